/**
 * What 1.6 and 2.x transaction handlers share: the ended event, data-quality events, and closing
 * abandoned transactions.
 *
 * Abandoned: a station that lost its StopTransaction / Ended (power loss, a full queue) leaves its
 * transaction active forever. The CSMS closes it when
 *  - a new transaction starts on the same EVSE (one transaction per EVSE at a time: 1.6 §3.6 one
 *    per connector, 2.0.1 E01 one per EVSE), or
 *  - the station booted again and then reported that connector Available (1.6 §4.9, 2.0.1
 *    B01.FR.05 / G01: the status after a boot; a transaction that survived the reboot would show
 *    Occupied / Charging, not Available).
 * The transaction is ended with stopReason 'Abandoned', the last known reading as its stop, and
 * closedBy 'csms'; transaction.ended.v1 (anomalies: ['abandoned']) tells billing partners. If the
 * station's own stop arrives later (1.6: the StopTransaction from its queue, 1.6 §3.7.1; 2.x: the
 * Ended replayed offline, E04), the real stop data replaces the CSMS's guess and a second
 * transaction.ended.v1 is published: the later one wins.
 *
 * Cost: a start writes one small marker item per EVSE (ACTIVETX#), which also returns the marker
 * it replaced (no read); an Available status reads the marker; the summary is read only when the
 * marker points at a transaction started before the last boot.
 */
import type { Sample } from '../../shared/domain/meter-values.js';
import {
  energyBetween,
  lastReading,
  mergeAnomalies,
  type Anomaly,
} from '../../shared/domain/transactions.js';
import type { EventDetail } from '../../shared/events/catalog.js';
import type { TransactionItem } from '../../shared/store/transactions.js';
import type { HandlerContext } from './context.js';

export const ABANDONED = 'Abandoned';

export function emitEnded(ctx: HandlerContext<never>, summary: TransactionItem, occurredAt?: string): void {
  const endedAt = summary.endedAt ?? ctx.now.toISOString();
  ctx.emit('transaction.ended.v1', {
    stationId: ctx.stationId,
    occurredAt: occurredAt ?? endedAt,
    transactionId: summary.id,
    ...(summary.evseId !== undefined ? { evseId: summary.evseId } : {}),
    ...(summary.connectorId !== undefined ? { connectorId: summary.connectorId } : {}),
    ...(summary.idToken !== undefined ? { idToken: summary.idToken } : {}),
    ...(summary.startedAt !== undefined ? { startedAt: summary.startedAt } : {}),
    endedAt,
    ...(summary.meterStartWh !== undefined ? { meterStartWh: summary.meterStartWh } : {}),
    ...(summary.meterStopWh !== undefined ? { meterStopWh: summary.meterStopWh } : {}),
    ...(summary.energyWh !== undefined ? { energyWh: summary.energyWh } : {}),
    stopReason: summary.stopReason ?? 'Local',
    ...(summary.anomalies && summary.anomalies.length > 0 ? { anomalies: summary.anomalies } : {}),
  });
}

export function emitAnomaly(
  ctx: HandlerContext<never>,
  fact: Omit<EventDetail<'transaction.anomaly.v1'>, 'stationId' | 'occurredAt'> & { occurredAt?: string },
): void {
  ctx.log.warn('Transaction anomaly', { stationId: ctx.stationId, ...fact });
  ctx.emit('transaction.anomaly.v1', {
    ...fact,
    stationId: ctx.stationId,
    occurredAt: fact.occurredAt ?? ctx.now.toISOString(),
  });
}

/** Anomalies this write adds to what the summary had: each published once, when it first appears. */
export function emitNewAnomalies(
  ctx: HandlerContext<never>,
  before: TransactionItem | undefined,
  after: TransactionItem | undefined,
): void {
  if (!after) return;
  const had = new Set(before?.anomalies ?? []);
  for (const anomaly of after.anomalies ?? []) {
    if (had.has(anomaly) || anomaly === 'abandoned') continue;
    emitAnomaly(ctx, {
      transactionId: after.id,
      anomaly,
      detail: DETAILS[anomaly],
    });
  }
}

const DETAILS: Record<Anomaly, string> = {
  meterStopBelowStart: 'The stop reading is below the start reading: energy reported as 0, readings kept.',
  stopBeforeStart: 'The stop time is before the start time.',
  eventAfterEnded: 'An event numbered after the Ended: recorded, the totals stay as ended.',
  conflictingDuplicate: 'A different event with a seqNo already used: both kept.',
  unknownTransaction: 'A stop for a transaction id this CSMS never assigned: answered, not recorded.',
  abandoned: 'Closed by the CSMS: the station never reported its end.',
};

/**
 * Records that `tx` is the newest transaction of its EVSE and closes the one it replaces if that
 * one is still active and started earlier.
 */
export async function claimEvse(
  ctx: HandlerContext<'transactions'>,
  tx: { transactionId: string; evseId: number; connectorId?: number; startedAt: string },
): Promise<void> {
  if (tx.evseId <= 0) return;
  const { marked, previous } = await ctx.store.transactions.markActive(ctx.stationId, tx.evseId, {
    transactionId: tx.transactionId,
    ...(tx.connectorId !== undefined ? { connectorId: tx.connectorId } : {}),
    startedAt: tx.startedAt,
    recordedAt: ctx.now.toISOString(),
  });
  if (!marked || !previous || previous.transactionId === tx.transactionId) return;
  if (Date.parse(previous.startedAt) > Date.parse(tx.startedAt)) return;
  await closeAbandoned(
    ctx,
    previous.transactionId,
    `transaction ${tx.transactionId} started on EVSE ${tx.evseId}`,
  );
}

/**
 * A connector reported Available: its EVSE's transaction is abandoned if it started before the
 * station's last boot and is still active.
 */
export async function abandonAfterReboot(
  ctx: HandlerContext<'transactions'>,
  evseId: number,
  connectorId: number,
  status: string,
): Promise<void> {
  if (status !== 'Available' || evseId <= 0) return;
  const marker = await ctx.store.transactions.getActive(ctx.stationId, evseId);
  if (!marker) return;
  // An EVSE with several connectors: another connector being Available says nothing.
  if (marker.connectorId !== undefined && marker.connectorId !== connectorId) return;
  const bootedAt = (await ctx.station())?.bootedAt;
  if (bootedAt === undefined || Date.parse(bootedAt) <= Date.parse(marker.recordedAt)) return;
  await closeAbandoned(
    ctx,
    marker.transactionId,
    `station booted at ${bootedAt}, connector reported Available`,
  );
}

async function closeAbandoned(ctx: HandlerContext<'transactions'>, txId: string, why: string): Promise<void> {
  const tx = await ctx.store.transactions.get(ctx.stationId, txId);
  if (tx?.status !== 'active') return;
  const samples: Sample[] = await ctx.store.transactions.listSamples(ctx.stationId, txId);
  const last = lastReading(samples);
  const energy = energyBetween(tx.meterStartWh, last?.wh);
  const closed = await ctx.store.transactions.upsertIf(
    ctx.stationId,
    txId,
    tx.protocol,
    {
      set: {
        status: 'ended',
        endedAt: last?.at ?? tx.startedAt ?? ctx.now.toISOString(),
        ...(last ? { meterStopWh: last.wh, meterStopAt: last.at } : {}),
        ...(energy.energyWh !== undefined ? { energyWh: energy.energyWh } : {}),
        stopReason: ABANDONED,
        closedBy: 'csms',
        anomalies: mergeAnomalies(tx.anomalies, ['abandoned'], energy.anomalies),
      },
    },
    ctx.now,
    'active',
  );
  // Ended meanwhile by the station: its stop stands.
  if (!closed) return;
  emitEnded(ctx, closed, ctx.now.toISOString());
  emitAnomaly(ctx, { transactionId: txId, anomaly: 'abandoned', detail: `${DETAILS.abandoned} (${why})` });
}
