/** 1.6 §4.5 FirmwareStatusNotification: progress of a firmware update (UpdateFirmware, §5.19). */
import type { FirmwareStatusNotificationRequest } from '../../../shared/ocpp/generated/v16/types.js';
import { deviceStatusRoute } from '../device-status.js';

export const firmwareStatusNotification = deviceStatusRoute((req: FirmwareStatusNotificationRequest) => {
  // No requestId in 1.6: it reports on the latest UpdateFirmware.
  // 1.6 §4.5: the CSMS SHALL respond with a FirmwareStatusNotification.conf (empty).
  return {
    kind: 'firmwareStatus',
    message: 'FirmwareStatusNotification',
    status: req.status,
    latestOf: 'UpdateFirmware',
    event: 'firmware.status.v1',
  };
});
