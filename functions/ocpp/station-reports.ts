/**
 * What 1.6 and 2.x handlers do alike for the messages whose meaning did not change between
 * versions: boot, security events, DataTransfer (SignCertificate: ./certificate-signing.ts).
 */
import { bootInterval, decideRegistration } from '../../shared/domain/boot.js';
import { canonicalTime } from '../../shared/domain/normalize.js';
import { isCriticalSecurityEvent } from '../../shared/domain/security-events.js';
import { OcppError } from '../../shared/ocpp/errors.js';
import type { BootInfo, RegistrationStatus } from '../../shared/store/stations.js';
import type { HandlerContext } from './context.js';

/**
 * 1.6 security whitepaper A04 / 2.0.1 A04 SecurityEventNotification: stored in the station's
 * security log and published; the answer confirms it (A04.FR.03), ending the station's
 * guaranteed delivery (A04.FR.02; a retry is stored once, the key is the event's content).
 */
export async function recordStationSecurityEvent(
  ctx: HandlerContext<'securityEvents'>,
  event: { type: string; timestamp: string; techInfo?: string | undefined },
): Promise<void> {
  const timestamp = canonicalTime(event.timestamp);
  const techInfo = event.techInfo !== undefined ? { techInfo: event.techInfo } : {};
  await ctx.store.securityEvents.put(
    { stationId: ctx.stationId, type: event.type, timestamp, ...techInfo, origin: 'station' },
    ctx.now,
  );
  ctx.emit('security.event.v1', {
    stationId: ctx.stationId,
    occurredAt: timestamp,
    type: event.type,
    ...techInfo,
    origin: 'station',
    critical: isCriticalSecurityEvent(ctx.protocol, event.type),
  });
}

/**
 * 1.6 §4.3 / 2.0.1 P02 DataTransfer: published for partners who act on vendor data; this CSMS has
 * no vendor extension, so the answer is UnknownVendorId (1.6 §4.3, 2.0.1 P02.FR.06) without data.
 */
export function publishDataTransfer(
  ctx: HandlerContext<never>,
  req: { vendorId: string; messageId?: string | undefined; data?: unknown },
): { status: 'UnknownVendorId' } {
  ctx.emit('station.data-transfer.v1', {
    stationId: ctx.stationId,
    occurredAt: ctx.now.toISOString(),
    vendorId: req.vendorId,
    ...(req.messageId !== undefined ? { messageId: req.messageId } : {}),
    ...(req.data !== undefined ? { data: req.data } : {}),
  });
  return { status: 'UnknownVendorId' };
}

/**
 * BootNotification (1.6 §4.2, 2.0.1 B01-B03): decide the registration, record the boot data,
 * publish station.booted.v1, and answer status, time and interval (B01.FR.04: the heartbeat
 * interval when Accepted; B02.FR.08: when to retry otherwise).
 */
export async function registerBoot(
  ctx: HandlerContext<'stations'>,
  boot: BootInfo & { reason?: string },
): Promise<{ status: RegistrationStatus; currentTime: string; interval: number }> {
  const station = await ctx.station();
  if (!station) throw new OcppError('SecurityError', 'Unknown charging station');
  const status = decideRegistration(station);
  await ctx.store.stations.recordBoot(ctx.stationId, status, boot, ctx.now);
  ctx.emit('station.booted.v1', {
    stationId: ctx.stationId,
    occurredAt: ctx.now.toISOString(),
    registrationStatus: status,
    ...(boot.reason ? { reason: boot.reason } : {}),
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
}
