/** 2.0.1 B01-B03 BootNotification: register the station, answer Accepted / Pending / Rejected. */
import { OcppError } from '../../../shared/ocpp/errors.js';
import { bootInterval, decideRegistration } from '../../../shared/domain/boot.js';
import type {
  BootNotificationRequest,
  BootNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';

export const bootNotification: Route<BootNotificationRequest, BootNotificationResponse> = {
  beforeAccepted: true,
  async handle(ctx, req) {
    const station = await ctx.station();
    if (!station) throw new OcppError('SecurityError', 'Unknown charging station');
    const status = decideRegistration(station);
    const cs = req.chargingStation;
    const boot = {
      vendor: cs.vendorName,
      model: cs.model,
      serialNumber: cs.serialNumber,
      firmwareVersion: cs.firmwareVersion,
      iccid: cs.modem?.iccid,
      imsi: cs.modem?.imsi,
    };
    await ctx.store.stations.recordBoot(ctx.stationId, status, boot, ctx.now);
    ctx.emit('station.booted.v1', {
      stationId: ctx.stationId,
      occurredAt: ctx.now.toISOString(),
      registrationStatus: status,
      reason: req.reason,
      vendor: boot.vendor,
      model: boot.model,
      ...(boot.serialNumber ? { serialNumber: boot.serialNumber } : {}),
      ...(boot.firmwareVersion ? { firmwareVersion: boot.firmwareVersion } : {}),
    });
    return {
      status,
      currentTime: ctx.now.toISOString(),
      // B01.FR.04: the heartbeat interval when Accepted; B02.FR.08: when to retry otherwise.
      interval: bootInterval(status, ctx.config.heartbeatIntervalSeconds),
    };
  },
};
