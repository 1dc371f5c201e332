/**
 * 2.0.1 L01 / L02 FirmwareStatusNotification: the station's progress through a firmware update
 * (L01.FR.01: one notification per new state). The latest status is kept on the station;
 * firmware.status.v1 carries each one.
 */
import type { FirmwareStatusNotificationRequest } from '../../../shared/ocpp/generated/v201/types.js';
import { deviceStatusRoute } from '../device-status.js';
import { requireInt32 } from './normalize.js';

export const firmwareStatusNotification = deviceStatusRoute((req: FirmwareStatusNotificationRequest) => {
  requireInt32({ requestId: req.requestId });
  // L01.FR.20: the requestId of the UpdateFirmware it reports on; absent only when triggered
  // with no update ongoing (then status is Idle).
  return {
    kind: 'firmwareStatus',
    message: 'FirmwareStatusNotification',
    status: req.status,
    requestId: req.requestId,
    event: 'firmware.status.v1',
  };
});
