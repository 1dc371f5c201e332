/**
 * Security extension L01 SignedFirmwareStatusNotification (whitepaper §5.19): progress of a signed
 * firmware update; requestId is the one of its SignedUpdateFirmware (L01.FR.10; absent only with
 * status Idle, L01.FR.21). Kept as the station's firmware status, like the unsigned 1.6 message.
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  SignedFirmwareStatusNotificationRequest,
  SignedFirmwareStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const signedFirmwareStatusNotification: Route<
  SignedFirmwareStatusNotificationRequest,
  SignedFirmwareStatusNotificationResponse
> = {
  async handle(ctx, req) {
    const at = ctx.now.toISOString();
    // An id beyond 2^53 cannot be one the CSMS issued, nor be stored exactly: left out.
    const requestId =
      req.requestId !== undefined && Number.isSafeInteger(req.requestId) ? { requestId: req.requestId } : {};
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'firmwareStatus', {
      status: req.status,
      ...requestId,
      at,
    });
    await recordCommandResult(ctx, requestId.requestId, 'SignedFirmwareStatusNotification', {
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
