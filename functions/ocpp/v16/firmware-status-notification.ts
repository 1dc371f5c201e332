/** 1.6 §4.5 FirmwareStatusNotification: progress of a firmware update (UpdateFirmware, §5.19). */
import type {
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { reportDeviceStatus } from '../device-status.js';

export const firmwareStatusNotification: Route<
  FirmwareStatusNotificationRequest,
  FirmwareStatusNotificationResponse,
  'commands' | 'stations'
> = {
  async handle(ctx, req) {
    // No requestId in 1.6: it reports on the latest UpdateFirmware.
    await reportDeviceStatus(ctx, {
      kind: 'firmwareStatus',
      message: 'FirmwareStatusNotification',
      status: req.status,
      latestOf: 'UpdateFirmware',
      event: 'firmware.status.v1',
    });
    // 1.6 §4.5: the CSMS SHALL respond with a FirmwareStatusNotification.conf.
    return {};
  },
};
