/**
 * Security extension L01 SignedFirmwareStatusNotification (whitepaper §5.19): progress of a signed
 * firmware update; requestId is the one of its SignedUpdateFirmware (L01.FR.10; absent only with
 * status Idle, L01.FR.21). Kept as the station's firmware status, like the unsigned 1.6 message.
 */
import type {
  SignedFirmwareStatusNotificationRequest,
  SignedFirmwareStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { reportDeviceStatus } from '../device-status.js';

export const signedFirmwareStatusNotification: Route<
  SignedFirmwareStatusNotificationRequest,
  SignedFirmwareStatusNotificationResponse,
  'commands' | 'stations'
> = {
  async handle(ctx, req) {
    await reportDeviceStatus(ctx, {
      kind: 'firmwareStatus',
      message: 'SignedFirmwareStatusNotification',
      status: req.status,
      requestId: req.requestId,
      event: 'firmware.status.v1',
    });
    return {};
  },
};
