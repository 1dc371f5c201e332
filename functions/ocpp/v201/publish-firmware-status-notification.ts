/**
 * 2.0.1 L03 PublishFirmwareStatusNotification: a local controller's progress publishing firmware
 * that PublishFirmware asked for (L03.FR.07: with its requestId, absent only when Idle). The
 * latest status is kept on the station; firmware.publish-status.v1 carries each one; it is a
 * result of the PublishFirmware command.
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  PublishFirmwareStatusNotificationRequest,
  PublishFirmwareStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const publishFirmwareStatusNotification: Route<
  PublishFirmwareStatusNotificationRequest,
  PublishFirmwareStatusNotificationResponse
> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId });
    const at = ctx.now.toISOString();
    const requestId = req.requestId !== undefined ? { requestId: req.requestId } : {};
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'publishFirmwareStatus', {
      status: req.status,
      ...requestId,
      at,
    });
    await recordCommandResult(ctx, req.requestId, 'PublishFirmwareStatusNotification', {
      status: req.status,
      ...requestId,
      ...(req.location ? { location: [...req.location] } : {}),
    });
    ctx.emit('firmware.publish-status.v1', {
      stationId: ctx.stationId,
      occurredAt: at,
      status: req.status,
      ...requestId,
      ...(req.location ? { location: [...req.location] } : {}),
    });
    return {};
  },
};
