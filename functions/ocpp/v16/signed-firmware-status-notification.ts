/**
 * Security extension L01 SignedFirmwareStatusNotification (whitepaper §5.19): progress of a signed
 * firmware update; requestId is the one of its SignedUpdateFirmware (L01.FR.10; absent only with
 * status Idle, L01.FR.21). Kept as the station's firmware status, like the unsigned 1.6 message.
 */
import type { SignedFirmwareStatusNotificationRequest } from '../../../shared/ocpp/generated/v16/types.js';
import { deviceStatusRoute } from '../device-status.js';

export const signedFirmwareStatusNotification = deviceStatusRoute(
  (req: SignedFirmwareStatusNotificationRequest) => {
    return {
      kind: 'firmwareStatus',
      message: 'SignedFirmwareStatusNotification',
      status: req.status,
      requestId: req.requestId,
      event: 'firmware.status.v1',
    };
  },
);
