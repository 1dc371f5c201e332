/**
 * Security extension N01 LogStatusNotification (whitepaper §5.13): progress of a log upload that
 * GetLog started; requestId ties it to that request (N01.FR.07; absent only when triggered while
 * idle, N01.FR.12).
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  LogStatusNotificationRequest,
  LogStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const logStatusNotification: Route<LogStatusNotificationRequest, LogStatusNotificationResponse> = {
  async handle(ctx, req) {
    const at = ctx.now.toISOString();
    // An id beyond 2^53 cannot be one the CSMS issued, nor be stored exactly: left out.
    const requestId =
      req.requestId !== undefined && Number.isSafeInteger(req.requestId) ? { requestId: req.requestId } : {};
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'logStatus', {
      status: req.status,
      ...requestId,
      at,
    });
    await recordCommandResult(ctx, requestId.requestId, 'LogStatusNotification', {
      status: req.status,
      ...requestId,
    });
    ctx.emit('log.status.v1', { stationId: ctx.stationId, occurredAt: at, status: req.status, ...requestId });
    return {};
  },
};
