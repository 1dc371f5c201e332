/**
 * What 1.6 and 2.x handlers do alike for the messages whose meaning did not change between
 * versions: a security event the station reports, and a DataTransfer nobody implements.
 */
import { canonicalTime } from '../../shared/domain/normalize.js';
import type { HandlerContext } from './context.js';

/**
 * 1.6 security whitepaper A04 / 2.0.1 A04 SecurityEventNotification: stored in the station's
 * security log and published; the answer confirms it (A04.FR.03), ending the station's
 * guaranteed delivery (A04.FR.02; a retry is stored once, the key is the event's content).
 */
export async function recordStationSecurityEvent(
  ctx: HandlerContext,
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
  });
}

/**
 * 1.6 §4.3 / 2.0.1 P02 DataTransfer: published for partners who act on vendor data; this CSMS has
 * no vendor extension, so the answer is UnknownVendorId (1.6 §4.3, 2.0.1 P02.FR.06) without data.
 */
export function publishDataTransfer(
  ctx: HandlerContext,
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
 * SignCertificate (1.6 security whitepaper A02/A03, 2.0.1 A02/A03): this CSMS has no certificate
 * authority yet, so it cannot process a CSR; A02.FR.12 / A03.FR.12: a CSMS NOT able to process
 * the request SHALL answer Rejected (rather than NotSupported).
 */
export async function rejectSignCertificate(ctx: HandlerContext): Promise<{ status: 'Rejected' }> {
  ctx.log.warn('SignCertificate rejected: no certificate authority is configured');
  return { status: 'Rejected' };
}
