/** 1.6 §4.2 BootNotification: register the station, answer Accepted / Pending / Rejected. */
import { OcppError } from '../../../shared/ocpp/errors.js';
import { bootInterval, decideRegistration } from '../../../shared/domain/boot.js';
import type {
  BootNotificationRequest,
  BootNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const bootNotification: Route<BootNotificationRequest, BootNotificationResponse> = {
  beforeAccepted: true,
  async handle(ctx, req) {
    const station = await ctx.station();
    if (!station) throw new OcppError('SecurityError', 'Unknown charge point');
    const status = decideRegistration(station);
    const boot = {
      vendor: req.chargePointVendor,
      model: req.chargePointModel,
      // chargeBoxSerialNumber is deprecated in favour of chargePointSerialNumber (1.6 §6.2).
      serialNumber: req.chargePointSerialNumber ?? req.chargeBoxSerialNumber,
      firmwareVersion: req.firmwareVersion,
      iccid: req.iccid,
      imsi: req.imsi,
    };
    await ctx.store.stations.recordBoot(ctx.stationId, status, boot, ctx.now);
    ctx.emit('station.booted.v1', {
      stationId: ctx.stationId,
      occurredAt: ctx.now.toISOString(),
      registrationStatus: status,
      vendor: boot.vendor,
      model: boot.model,
      ...(boot.serialNumber ? { serialNumber: boot.serialNumber } : {}),
      ...(boot.firmwareVersion ? { firmwareVersion: boot.firmwareVersion } : {}),
    });
    return {
      status,
      currentTime: ctx.now.toISOString(),
      interval: bootInterval(status, ctx.config.heartbeatIntervalSeconds),
    };
  },
};
