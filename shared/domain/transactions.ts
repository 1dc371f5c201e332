/**
 * The transaction rules, version-neutral and pure: which readings are a transaction's start and
 * stop, what its energy is, what an ended transaction may still change, and which facts make it
 * doubtful (anomalies). The handlers decide what to read and write; the store only persists.
 *
 * Billing numbers never depend on the order in which readings arrive or are listed:
 * - 2.0.1/2.1: the start is the Transaction.Begin reading, the stop the Transaction.End reading
 *   (E01.FR.09 / E06.FR.11 SampledDataTxStartedMeasurands / TxEndedMeasurands); without them, the
 *   first / last reading in seqNo order (E01.FR.07: seqNo counts the events of a transaction),
 *   then timestamp. Readings that tie on all of these (same event, same millisecond) are one
 *   instant of a register that only counts up: the start is the lowest, the stop the highest.
 * - 1.6: meterStart (§6.45) and meterStop (§6.49) of the StartTransaction / StopTransaction.
 * - energy = stop - start, never negative: a stop below its start keeps both raw readings, reports
 *   energy 0 and the anomaly 'meterStopBelowStart'.
 * - an Ended is final: events numbered after it change none of the totals ('eventAfterEnded').
 */
import { energyWh, type Sample } from './meter-values.js';

/** Data-quality facts about a transaction, published with it and by transaction.anomaly.v1. */
export const ANOMALIES = [
  /** The stop reading is below the start reading: energy is reported as 0. */
  'meterStopBelowStart',
  /** The stop time is before the start time. */
  'stopBeforeStart',
  /** An event numbered after the Ended arrived: recorded, the totals stay as ended. */
  'eventAfterEnded',
  /** Two different events with the same seqNo (a station that does not count). */
  'conflictingDuplicate',
  /** A 1.6 StopTransaction for a transaction id this CSMS never assigned: no transaction recorded. */
  'unknownTransaction',
  /** Closed by the CSMS: a new transaction started on its EVSE, or the station rebooted and reported it Available. */
  'abandoned',
] as const;
export type Anomaly = (typeof ANOMALIES)[number];

export type EventType2 = 'Started' | 'Updated' | 'Ended';

/** A 2.0.1/2.1 TransactionEvent as far as the totals care. */
export interface TxEventData {
  readonly seqNo: number;
  readonly eventType: EventType2;
  readonly timestamp: string;
  readonly samples: readonly Sample[];
}

export interface Reading {
  readonly wh: number;
  readonly at: string;
}

export interface Totals {
  readonly meterStartWh?: number;
  readonly meterStartAt?: string;
  readonly meterStopWh?: number;
  readonly meterStopAt?: string;
  readonly energyWh?: number;
  readonly anomalies: Anomaly[];
}

/** Energy between two register readings: never negative (a meter that went backwards is flagged). */
export function energyBetween(
  startWh: number | undefined,
  stopWh: number | undefined,
): { energyWh?: number; anomalies: Anomaly[] } {
  if (startWh === undefined || stopWh === undefined) return { anomalies: [] };
  if (stopWh < startWh) return { energyWh: 0, anomalies: ['meterStopBelowStart'] };
  return { energyWh: stopWh - startWh, anomalies: [] };
}

/** 'stopBeforeStart' when both times are known and the stop is earlier. */
export function timeAnomalies(startedAt: string | undefined, endedAt: string | undefined): Anomaly[] {
  if (startedAt === undefined || endedAt === undefined) return [];
  return Date.parse(endedAt) < Date.parse(startedAt) ? ['stopBeforeStart'] : [];
}

/** 1.6 totals: meterStart and meterStop as the station reported them, and what is doubtful. */
export function totals16(tx: {
  readonly meterStartWh?: number;
  readonly meterStopWh?: number;
  readonly startedAt?: string;
  readonly endedAt?: string;
}): Totals {
  const energy = energyBetween(tx.meterStartWh, tx.meterStopWh);
  return {
    ...(energy.energyWh !== undefined ? { energyWh: energy.energyWh } : {}),
    anomalies: [...energy.anomalies, ...timeAnomalies(tx.startedAt, tx.endedAt)],
  };
}

const RANK: Record<EventType2, number> = { Started: 0, Updated: 1, Ended: 2 };

interface Ranked {
  readonly wh: number;
  readonly at: string;
  readonly context: string | undefined;
  readonly key: readonly [number, number, number];
}

function rankedReadings(events: readonly TxEventData[]): Ranked[] {
  return events.flatMap((e) =>
    e.samples.flatMap((s) => {
      const wh = energyWh(s);
      if (wh === undefined) return [];
      return [
        {
          wh,
          at: s.timestamp,
          context: s.context,
          key: [e.seqNo, RANK[e.eventType], Date.parse(s.timestamp)] as const,
        },
      ];
    }),
  );
}

const compareKey = (a: Ranked, b: Ranked): number =>
  a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2];

/** The earliest (or latest) reading; ties on the whole key resolve by value, never by position. */
function pick(readings: readonly Ranked[], which: 'first' | 'last'): Reading | undefined {
  let best: Ranked | undefined;
  for (const r of readings) {
    if (!best) {
      best = r;
      continue;
    }
    const order = compareKey(r, best);
    const better =
      which === 'first'
        ? order < 0 || (order === 0 && r.wh < best.wh)
        : order > 0 || (order === 0 && r.wh > best.wh);
    if (better) best = r;
  }
  return best ? { wh: best.wh, at: best.at } : undefined;
}

/**
 * The start reading of a 2.x transaction: Transaction.Begin (E01.FR.09, or in a later Updated when
 * the EVSE was not known at the start, E01.FR.17), else the first reading.
 */
export function startReading(events: readonly TxEventData[]): Reading | undefined {
  const readings = rankedReadings(events);
  const begin = readings.filter((r) => r.context === 'Transaction.Begin');
  return pick(begin.length > 0 ? begin : readings, 'first');
}

/** The stop reading of a 2.x transaction: Transaction.End (E06.FR.11), else the last reading. */
export function stopReading(events: readonly TxEventData[]): Reading | undefined {
  const readings = rankedReadings(events);
  const end = readings.filter((r) => r.context === 'Transaction.End');
  return pick(end.length > 0 ? end : readings, 'last');
}

/**
 * The totals of a 2.x transaction from its events. Only events up to the Ended's seqNo count
 * (`endedSeqNo`; all when it is not known yet). `knownStart` is a start reading already in the
 * summary whose event may still be in flight: used only when no event gives a start.
 */
export function totals2(
  events: readonly TxEventData[],
  options: { endedSeqNo?: number; knownStart?: Reading } = {},
): Totals {
  const { endedSeqNo } = options;
  const counted = endedSeqNo === undefined ? events : events.filter((e) => e.seqNo <= endedSeqNo);
  const start = startReading(counted) ?? options.knownStart;
  const stop = stopReading(counted) ?? start;
  const energy = energyBetween(start?.wh, stop?.wh);
  const started = counted.filter((e) => e.eventType === 'Started').map((e) => e.timestamp);
  const ended = counted.filter((e) => e.eventType === 'Ended').map((e) => e.timestamp);
  return {
    ...(start ? { meterStartWh: start.wh, meterStartAt: start.at } : {}),
    ...(stop ? { meterStopWh: stop.wh, meterStopAt: stop.at } : {}),
    ...(energy.energyWh !== undefined ? { energyWh: energy.energyWh } : {}),
    anomalies: [...energy.anomalies, ...timeAnomalies(earliest(started), earliest(ended))],
  };
}

const earliest = (times: readonly string[]): string | undefined =>
  [...times].sort((a, b) => Date.parse(a) - Date.parse(b))[0];

/**
 * Whether a 2.x event may no longer change its transaction: the station's Ended made the totals
 * final, so an event numbered after it, or a second Ended, changes nothing (it is recorded and
 * flagged). An earlier event replayed late (offline, E04 / E12) still completes the totals, and a
 * transaction the CSMS closed as abandoned (no endedSeqNo) still takes the station's real Ended.
 */
export function isFinal(
  summary: { readonly status: string; readonly endedSeqNo?: number } | undefined,
  event: { readonly seqNo: number; readonly eventType: EventType2 },
): boolean {
  if (summary?.status !== 'ended' || summary.endedSeqNo === undefined) return false;
  return event.seqNo > summary.endedSeqNo || event.eventType === 'Ended';
}

/** The content of a 2.x event that tells a retry (same content) from a conflicting duplicate. */
export interface TxEventContent extends TxEventData {
  readonly triggerReason: string;
  readonly chargingState?: string;
  readonly stoppedReason?: string;
}

/**
 * A retry or offline replay of the same event (E13.FR.02, E04) has the same content; `offline`
 * may differ (an event first sent online, replayed from the queue) and does not count.
 */
export function sameEvent(a: TxEventContent, b: TxEventContent): boolean {
  return contentKey(a) === contentKey(b);
}

export function contentKey(e: TxEventContent): string {
  return canonical([
    e.seqNo,
    e.eventType,
    Date.parse(e.timestamp),
    e.triggerReason,
    e.chargingState ?? null,
    e.stoppedReason ?? null,
    e.samples,
  ]);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>)
            .filter(([, x]) => x !== undefined)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * The last known reading of a transaction that the CSMS closes as abandoned (no stop from the
 * station): the latest energy reading by time, the highest on a tie.
 */
export function lastReading(samples: readonly Sample[]): Reading | undefined {
  return pick(rankedReadings([{ seqNo: 0, eventType: 'Updated', timestamp: '', samples }]), 'last');
}

/** Anomalies in a stable order, each once. */
export function mergeAnomalies(...lists: readonly (readonly Anomaly[] | undefined)[]): Anomaly[] {
  const all = new Set(lists.flatMap((l) => l ?? []));
  return ANOMALIES.filter((a) => all.has(a));
}
