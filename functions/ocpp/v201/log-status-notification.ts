/**
 * 2.0.1 N01 LogStatusNotification: the progress of a log upload requested with GetLog. The latest
 * status is kept on the station; log.status.v1 carries each one.
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  LogStatusNotificationRequest,
  LogStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const logStatusNotification: Route<LogStatusNotificationRequest, LogStatusNotificationResponse> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId });
    const at = ctx.now.toISOString();
    // requestId is absent only when triggered with no upload ongoing (then status is Idle).
    const requestId = req.requestId !== undefined ? { requestId: req.requestId } : {};
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'logStatus', {
      status: req.status,
      ...requestId,
      at,
    });
    // N01.FR.07: the requestId of the GetLog it reports on.
    await recordCommandResult(ctx, req.requestId, 'LogStatusNotification', {
      status: req.status,
      ...requestId,
    });
    ctx.emit('log.status.v1', { stationId: ctx.stationId, occurredAt: at, status: req.status, ...requestId });
    return {};
  },
};
