/**
 * 2.0.1 L01 / L02 FirmwareStatusNotification: the station's progress through a firmware update
 * (L01.FR.01: one notification per new state). The latest status is kept on the station;
 * firmware.status.v1 carries each one.
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const firmwareStatusNotification: Route<
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse
> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId });
    const at = ctx.now.toISOString();
    // requestId is absent only when triggered with no update ongoing (then status is Idle).
    const requestId = req.requestId !== undefined ? { requestId: req.requestId } : {};
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'firmwareStatus', {
      status: req.status,
      ...requestId,
      at,
    });
    // L01.FR.20: the requestId of the UpdateFirmware it reports on.
    await recordCommandResult(ctx, req.requestId, 'FirmwareStatusNotification', {
      status: req.status,
      ...requestId,
    });
    ctx.emit('firmware.status.v1', {
      stationId: ctx.stationId,
      occurredAt: at,
      status: req.status,
      ...requestId,
    });
    return {};
  },
};
