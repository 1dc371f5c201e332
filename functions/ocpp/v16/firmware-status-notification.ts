/** 1.6 §4.5 FirmwareStatusNotification: progress of a firmware update (UpdateFirmware, §5.19). */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const firmwareStatusNotification: Route<
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse
> = {
  async handle(ctx, req) {
    const at = ctx.now.toISOString();
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'firmwareStatus', { status: req.status, at });
    // No requestId in 1.6: it reports on the latest UpdateFirmware.
    await recordCommandResult(ctx, 'UpdateFirmware', 'FirmwareStatusNotification', { status: req.status });
    ctx.emit('firmware.status.v1', { stationId: ctx.stationId, occurredAt: at, status: req.status });
    // 1.6 §4.5: the CSMS SHALL respond with a FirmwareStatusNotification.conf.
    return {};
  },
};
