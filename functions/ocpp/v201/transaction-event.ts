/**
 * 2.0.1 E01-E08, E12, E13 TransactionEvent: the station's transaction (its id comes from the
 * station, E01.FR.08), told as Started / Updated / Ended events numbered by seqNo (E01.FR.07).
 * Version-neutral: 2.1 uses `handleTransactionEvent` through its own route.
 *
 * Station retries (E13.FR.02) and offline queues (E04, E08, E12: offline = true) deliver the same
 * seqNo again and deliver events late, out of order. The totals follow shared/domain/transactions.ts.
 * Per event:
 *  1. one strongly consistent BatchGet of the event item (the replay guard) and the summary;
 *     a stored event with the same content is a duplicate: answered again, nothing written or
 *     published; a different event with the same seqNo (a station that does not count) is kept
 *     beside it, processed (an Ended always ends its transaction) and flagged
 *     (transaction.anomaly.v1 conflictingDuplicate);
 *     an event numbered after the station's Ended changes nothing but is recorded and flagged
 *     (eventAfterEnded): an ended transaction's totals are final;
 *  2. the summary is written only when the event changes it: Started (start time, EVSE, token,
 *     start meter), Ended (end, reason, energy from every stored sample), an Updated that brings
 *     something new (EVSE, token, charging state), or any event arriving after the Ended whose
 *     meter readings change the totals; a meter-value-only Updated writes just its event item;
 *  3. events are queued (published by the dispatcher after the handler succeeds);
 *  4. the event item is written last: it is the replay marker, so a failure before it makes the
 *     station's retry redo the work (state exactly once, events at least once).
 * OCPP-J §4.1.1 lets a station have one CALL outstanding, so events of one transaction are
 * processed one after the other even when they arrive out of order; only a timed-out retry may
 * overlap its own original, and both then write the same values.
 */
import { canonicalTime } from '../../../shared/domain/normalize.js';
import { energyWh, type samplesFrom2, type Sample } from '../../../shared/domain/meter-values.js';
import {
  contentKey,
  isFinal,
  mergeAnomalies,
  sameEvent,
  startReading,
  totals2,
  type Anomaly,
  type TxEventContent,
} from '../../../shared/domain/transactions.js';
import { contentDigest } from '../../../shared/store/keys.js';
import type {
  TransactionEventRequest,
  TransactionEventResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { SummaryUpdate, TransactionItem } from '../../../shared/store/transactions.js';
import type { HandlerContext, Route } from '../context.js';
import { claimEvse, emitAnomaly, emitNewAnomalies } from '../transactions.js';
import { checkIdToken, emitDecision, idTokenInfo, type IdTokenInfo, type IdTokenInput } from './id-token.js';
import { requireInt32, samplesOf } from './normalize.js';
import { everySample, notePublished, periodicUpdateDue } from '../meter-events.js';

/** The fields of TransactionEventRequest that 2.0.1 and 2.1 share and the CSMS reads. */
export interface TransactionEventInput {
  readonly eventType: 'Started' | 'Updated' | 'Ended';
  readonly timestamp: string;
  readonly triggerReason: string;
  readonly seqNo: number;
  readonly offline?: boolean;
  readonly meterValue?: Parameters<typeof samplesFrom2>[0];
  readonly transactionInfo: {
    readonly transactionId: string;
    readonly chargingState?: string;
    readonly stoppedReason?: string;
    readonly remoteStartId?: number;
  };
  readonly evse?: { readonly id: number; readonly connectorId?: number };
  readonly idToken?: IdTokenInput;
}

export interface TransactionEventResult {
  readonly idTokenInfo?: IdTokenInfo;
}

/** Summary fields being assembled for one update (mutable while it is built). */
type SummaryFields = {
  -readonly [K in keyof NonNullable<SummaryUpdate['set']>]: NonNullable<SummaryUpdate['set']>[K];
};

/** The store ports a TransactionEvent uses (2.0.1 and 2.1). */
export type TxEventPorts = 'commands' | 'idTokens' | 'transactions';

export async function handleTransactionEvent(
  ctx: HandlerContext<TxEventPorts>,
  input: TransactionEventInput,
): Promise<TransactionEventResult> {
  requireInt32({
    seqNo: input.seqNo,
    'evse.id': input.evse?.id,
    'evse.connectorId': input.evse?.connectorId,
  });
  // The timestamp orders events and lists transactions: one canonical UTC form.
  const req: TransactionEventInput = { ...input, timestamp: canonicalTime(input.timestamp) };
  const txId = req.transactionInfo.transactionId;
  const [{ event: seen, summary }, check] = await Promise.all([
    ctx.store.transactions.getEventAndSummary(ctx.stationId, txId, req.seqNo),
    req.idToken ? checkIdToken(ctx, req.idToken) : Promise.resolve(undefined),
  ]);
  // TransactionEventResponse.idTokenInfo: "Is required when the transactionRequest contained an
  // idToken" (E01.FR.12, E02.FR.02, E03.FR.02), and only then.
  const response: TransactionEventResult = check ? { idTokenInfo: idTokenInfo(check) } : {};
  const samples = samplesOf(req.meterValue ?? []);
  const content = contentOf(req, samples);
  let variant: string | undefined;
  if (seen) {
    const replay = sameEvent(seen, content);
    // Defect 19: the same seqNo with other content is another event: kept beside the first.
    variant = replay ? undefined : contentDigest(contentKey(content));
    if (replay || (await ctx.store.transactions.getEvent(ctx.stationId, txId, req.seqNo, variant))) {
      ctx.log.info('TransactionEvent already processed; answered again', {
        stationId: ctx.stationId,
        transactionId: txId,
        seqNo: req.seqNo,
        offline: req.offline ?? false,
      });
      return response;
    }
    flag(ctx, req, 'conflictingDuplicate', `a ${seen.eventType} with this seqNo was received before`);
  }
  // The event item is the replay marker: written only once the events are out (ADR 0003).
  ctx.afterPublish(() =>
    ctx.store.transactions.putEvent(
      ctx.stationId,
      txId,
      { ...content, offline: req.offline ?? false },
      ctx.now,
      variant,
    ),
  );
  if (req.idToken && check) emitDecision(ctx, req.idToken, check, 'TransactionEvent');

  if (isFinal(summary, req)) {
    // Defect 3: an ended transaction's totals are final; the event is recorded, not applied.
    flag(ctx, req, 'eventAfterEnded', `the transaction ended with seqNo ${summary?.endedSeqNo}`);
    return response;
  }

  const update = await summaryUpdate(ctx, req, summary, samples);
  const item = update
    ? await ctx.store.transactions.upsert(ctx.stationId, txId, ctx.protocol, update, ctx.now)
    : summary;

  emitEvents(ctx, req, item, samples);
  emitNewAnomalies(ctx, summary, item);
  // Defect 17: one transaction per EVSE; an older one still active is abandoned.
  const evseId = req.evse?.id;
  if (
    item?.status === 'active' &&
    evseId !== undefined &&
    (req.eventType === 'Started' || summary?.evseId === undefined)
  ) {
    await claimEvse(ctx, {
      transactionId: txId,
      evseId,
      ...(req.evse?.connectorId !== undefined ? { connectorId: req.evse.connectorId } : {}),
      startedAt: item.startedAt ?? req.timestamp,
    });
  }
  return response;
}

function contentOf(req: TransactionEventInput, samples: Sample[]): TxEventContent & { samples: Sample[] } {
  return {
    seqNo: req.seqNo,
    eventType: req.eventType,
    timestamp: req.timestamp,
    triggerReason: req.triggerReason,
    samples,
    ...(req.transactionInfo.chargingState ? { chargingState: req.transactionInfo.chargingState } : {}),
    ...(req.transactionInfo.stoppedReason ? { stoppedReason: req.transactionInfo.stoppedReason } : {}),
  };
}

function flag(ctx: HandlerContext<never>, req: TransactionEventInput, anomaly: Anomaly, why: string): void {
  emitAnomaly(ctx, {
    occurredAt: req.timestamp,
    transactionId: req.transactionInfo.transactionId,
    anomaly,
    seqNo: req.seqNo,
    eventType: req.eventType,
    detail: `${req.eventType} seqNo ${req.seqNo}: ${why}`,
  });
}

/** What this event changes in the summary, or undefined when it changes nothing. */
async function summaryUpdate(
  ctx: HandlerContext<'transactions'>,
  req: TransactionEventInput,
  summary: TransactionItem | undefined,
  samples: readonly Sample[],
): Promise<SummaryUpdate | undefined> {
  const first: SummaryFields = { status: 'active', ...evseFields(req), ...tokenFields(req.idToken) };
  const set: SummaryFields = {};
  const state = req.transactionInfo.chargingState;
  // E01.FR.18: the charging state as of the latest event (by seqNo), whatever the arrival order.
  if (
    state !== undefined &&
    req.seqNo >= (summary?.chargingStateSeqNo ?? -1) &&
    state !== summary?.chargingState
  ) {
    set.chargingState = state;
    set.chargingStateSeqNo = req.seqNo;
  }

  // The start timestamp is authoritative from the Started event (E01.FR.01-06), even when late.
  if (req.eventType === 'Started') set.startedAt = req.timestamp;
  if (req.eventType !== 'Ended') Object.assign(first, startMeter(req, samples));
  // A second Ended never gets here (isFinal): this one ends the transaction.
  if (req.eventType === 'Ended') {
    set.status = 'ended';
    set.endedAt = req.timestamp;
    set.endedSeqNo = req.seqNo;
    set.closedBy = 'station';
    // E06.FR.09 / E07.FR.04: an omitted stoppedReason means Local.
    set.stopReason = req.transactionInfo.stoppedReason ?? 'Local';
  }
  // The totals of an ended transaction come from all its readings up to the Ended: at the Ended,
  // and again when an earlier event arrives after it (offline replay, E04/E12) with readings.
  const settle = req.eventType === 'Ended' || (summary?.status === 'ended' && samples.some(isEnergyReading));
  if (settle) Object.assign(set, await totals(ctx, req, samples, summary, set.endedSeqNo));

  if (req.eventType === 'Updated' && summary && Object.keys(set).length === 0) {
    // A meter-value-only Updated: write the summary only if the event brings something it lacks.
    const news = (Object.keys(first) as (keyof SummaryFields)[]).some(
      (k) => k !== 'status' && summary[k] === undefined,
    );
    if (!news) return undefined;
  }
  return { first: withoutKeysOf(first, set), set };
}

/**
 * The start meter: the Transaction.Begin reading, sent with the Started (E01.FR.09) or, when the
 * EVSE was not known at the start, with a later Updated (E01.FR.17); failing that, the Started's
 * own reading. Only fills an empty field: at the Ended, all readings decide.
 */
function startMeter(req: TransactionEventInput, samples: readonly Sample[]): SummaryFields {
  const own =
    req.eventType === 'Started' ? samples : samples.filter((s) => s.context === 'Transaction.Begin');
  const start = startReading([
    { seqNo: req.seqNo, eventType: req.eventType, timestamp: req.timestamp, samples: own },
  ]);
  return start ? { meterStartWh: start.wh, meterStartAt: start.at } : {};
}

function evseFields(req: TransactionEventInput): SummaryFields {
  if (!req.evse) return {};
  // E01.FR.16: evse.id and connectorId once the EV is connected (the EVSE may be unknown at start).
  return {
    evseId: req.evse.id,
    ...(req.evse.connectorId !== undefined ? { connectorId: req.evse.connectorId } : {}),
  };
}

function tokenFields(token: IdTokenInput | undefined): SummaryFields {
  if (!token) return {};
  // NoAuthorization (C02.FR.01) carries an empty idToken: only its type is worth keeping.
  if (token.type === 'NoAuthorization') return { idTokenType: token.type };
  // The token that authorized the transaction stays; a later one (E07.FR.02: the token that
  // stopped it, possibly of the same group) does not replace it.
  return { idToken: token.idToken, idTokenType: token.type };
}

const isEnergyReading = (s: Sample) => energyWh(s) !== undefined;

/**
 * Totals from every stored event of the transaction and this one, up to the Ended's seqNo
 * (shared/domain/transactions.ts). A start reading already in the summary counts only when no
 * event gives one (its event may still be in flight).
 */
async function totals(
  ctx: HandlerContext<'transactions'>,
  req: TransactionEventInput,
  samples: readonly Sample[],
  summary: TransactionItem | undefined,
  endedSeqNo: number | undefined,
): Promise<SummaryFields> {
  const stored = await ctx.store.transactions.listEvents(ctx.stationId, req.transactionInfo.transactionId);
  const events = [
    ...stored,
    { seqNo: req.seqNo, eventType: req.eventType, timestamp: req.timestamp, samples },
  ];
  const known =
    summary?.meterStartWh !== undefined && summary.meterStartAt !== undefined
      ? { wh: summary.meterStartWh, at: summary.meterStartAt }
      : undefined;
  const t = totals2(events, {
    ...((endedSeqNo ?? summary?.endedSeqNo) !== undefined
      ? { endedSeqNo: endedSeqNo ?? summary?.endedSeqNo }
      : {}),
    ...(known ? { knownStart: known } : {}),
  });
  // Energy and time flags are recomputed; the station's own Ended replaces the CSMS's 'abandoned'.
  const kept = (summary?.anomalies ?? []).filter(
    (a) =>
      a !== 'meterStopBelowStart' &&
      a !== 'stopBeforeStart' &&
      !(a === 'abandoned' && req.eventType === 'Ended'),
  );
  return {
    ...(t.meterStartWh !== undefined ? { meterStartWh: t.meterStartWh, meterStartAt: t.meterStartAt } : {}),
    ...(t.meterStopWh !== undefined ? { meterStopWh: t.meterStopWh, meterStopAt: t.meterStopAt } : {}),
    ...(t.energyWh !== undefined ? { energyWh: t.energyWh } : {}),
    anomalies: mergeAnomalies(kept, t.anomalies),
  };
}

/** `first` must not name a field that `set` writes (one update cannot write a path twice). */
function withoutKeysOf(first: SummaryFields, set: SummaryFields): SummaryFields {
  return Object.fromEntries(Object.entries(first).filter(([k]) => !(k in set)));
}

/** E02.FR / 2.0.1 TriggerReasonEnumType: the Updated events that only carry meter values. */
const METER_TRIGGERS: ReadonlySet<string> = new Set(['MeterValuePeriodic', 'MeterValueClock']);

function emitEvents(
  ctx: HandlerContext<never>,
  req: TransactionEventInput,
  item: TransactionItem | undefined,
  samples: Sample[],
): void {
  const transactionId = req.transactionInfo.transactionId;
  const evseId = req.evse?.id ?? item?.evseId;
  const connectorId = req.evse?.connectorId ?? item?.connectorId;
  const idToken =
    item?.idToken ?? (req.idToken?.type !== 'NoAuthorization' ? req.idToken?.idToken : undefined);
  const common = {
    stationId: ctx.stationId,
    occurredAt: req.timestamp,
    transactionId,
    ...(evseId !== undefined ? { evseId } : {}),
    ...(connectorId !== undefined ? { connectorId } : {}),
    ...(idToken !== undefined ? { idToken } : {}),
  };
  if (req.eventType === 'Started') {
    ctx.emit('transaction.started.v1', {
      ...common,
      startedAt: req.timestamp,
      ...(item?.meterStartWh !== undefined ? { meterStartWh: item.meterStartWh } : {}),
    });
  } else if (req.eventType === 'Updated') {
    // CSMS_METER_EVENTS (meter-events.ts; issue 14): an Updated about meter values only is
    // throttled (periodic) or dropped (none); any other Updated is always published.
    const aboutMeterValues = METER_TRIGGERS.has(req.triggerReason);
    const publish =
      everySample(ctx) ||
      (aboutMeterValues
        ? periodicUpdateDue(ctx, { transactionId }, samples)
        : (notePublished(ctx, transactionId, samples), true));
    if (publish) {
      ctx.emit('transaction.updated.v1', {
        ...common,
        triggerReason: req.triggerReason,
        ...(req.transactionInfo.chargingState ? { chargingState: req.transactionInfo.chargingState } : {}),
        samples,
      });
    }
  } else {
    ctx.emit('transaction.ended.v1', {
      ...common,
      ...(item?.startedAt ? { startedAt: item.startedAt } : {}),
      endedAt: item?.endedAt ?? req.timestamp,
      ...(item?.meterStartWh !== undefined ? { meterStartWh: item.meterStartWh } : {}),
      ...(item?.meterStopWh !== undefined ? { meterStopWh: item.meterStopWh } : {}),
      ...(item?.energyWh !== undefined ? { energyWh: item.energyWh } : {}),
      stopReason: item?.stopReason ?? req.transactionInfo.stoppedReason ?? 'Local',
      ...(item?.anomalies && item.anomalies.length > 0 ? { anomalies: item.anomalies } : {}),
    });
  }
  if (samples.length > 0 && everySample(ctx)) {
    ctx.emit('meter.values.v1', {
      stationId: ctx.stationId,
      occurredAt: req.timestamp,
      // Transaction meter values belong to the transaction's EVSE; 0 (the station) while it is unknown.
      evseId: evseId ?? 0,
      transactionId,
      samples,
    });
  }
}

export const transactionEvent: Route<TransactionEventRequest, TransactionEventResponse, TxEventPorts> = {
  handle: handleTransactionEvent,
};
