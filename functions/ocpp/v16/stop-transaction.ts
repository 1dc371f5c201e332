/**
 * 1.6 §4.10 StopTransaction: the transaction has ended at the station. The CSMS cannot refuse it
 * (the station must be able to empty its queue): it answers, with the idTagInfo of the stopping
 * idTag when there is one, and records what it is told.
 *
 * - A transaction id this CSMS never assigned (above the station's id counter; not -1) is answered
 *   but not recorded as a transaction: transaction.anomaly.v1 'unknownTransaction' records it.
 * - A transaction the CSMS closed as abandoned takes the station's real stop data now
 *   (functions/ocpp/transactions.ts), and transaction.ended.v1 is published again.
 * - Energy = meterStop - meterStart (1.6 §6.45 / §6.49), never negative (shared/domain/transactions.ts).
 *
 * Idempotent under retry (1.6 §3.7.1): the meter data is written first under keys of its own
 * timestamps, the summary last; a summary already ended by the station means an earlier attempt
 * got through, and the retry is answered again without writing; its ended event is published again.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
import { mergeAnomalies, totals16 } from '../../../shared/domain/transactions.js';
import type {
  StopTransactionRequest,
  StopTransactionResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { HandlerContext, Route } from '../context.js';
import { emitAnomaly, emitEnded, emitNewAnomalies } from '../transactions.js';
import { authorizationEvent, authorizeIdTag } from './id-tag-info.js';
import { everySample } from '../meter-events.js';
import { samplesOf16, UNKNOWN_TRANSACTION_ID } from './mapping.js';

export const stopTransaction: Route<
  StopTransactionRequest,
  StopTransactionResponse,
  'commands' | 'idTokens' | 'transactions'
> = {
  async handle(ctx, req) {
    const endedAt = canonicalTime(req.timestamp);
    const txId = transactionKey(req.transactionId, endedAt);
    const meterStopWh = storableNumber(req.meterStop);
    const transactions = ctx.store.transactions;
    // 1.6 §4.10: the CSMS MAY send the idTagInfo of the idTag that stopped the transaction, for
    // the station's Authorization Cache.
    const auth = req.idTag !== undefined ? await authorizeIdTag(ctx, req.idTag) : undefined;
    const answer: StopTransactionResponse = auth ? { idTagInfo: auth.idTagInfo } : {};

    const known = await transactions.get(ctx.stationId, txId);
    if (known?.status === 'ended' && known.closedBy !== 'csms') {
      // A retry of a stop already recorded. The earlier attempt may have failed to publish, so the
      // ended event goes out again (events are at least once; state does not change).
      emitEnded(ctx, known);
      return answer;
    }
    if (!known && !(await assignedHere(ctx, req.transactionId))) {
      if (auth) ctx.emit('authorization.decided.v1', authorizationEvent(ctx, auth, 'StopTransaction'));
      // 1.6 §4.10: answered (the station empties its queue), but no transaction is made of it.
      emitAnomaly(ctx, {
        occurredAt: endedAt,
        transactionId: txId,
        anomaly: 'unknownTransaction',
        eventType: 'StopTransaction',
        detail: `StopTransaction for transaction ${txId}, which this CSMS never assigned (meterStop ${req.meterStop}, reason ${req.reason ?? 'Local'}): answered, not recorded`,
      });
      return answer;
    }
    if (auth) ctx.emit('authorization.decided.v1', authorizationEvent(ctx, auth, 'StopTransaction'));

    // 1.6 §4.10: transactionData holds MeterValues (1.6 §7.33), often Transaction.Begin/End (errata 3.14).
    const samples = samplesOf16(req.transactionData ?? []);
    if (samples.length > 0) {
      await transactions.putMeterSamples(ctx.stationId, txId, samples, ctx.now);
    }

    const stop = (startedAt: string | undefined, meterStartWh: number | undefined) => {
      const totals = totals16({ meterStartWh, meterStopWh, startedAt, endedAt });
      return {
        status: 'ended' as const,
        endedAt,
        meterStopWh,
        energyWh: totals.energyWh,
        // 1.6 §4.10 / §6.49: an absent reason means Local (a regular stop at the station).
        stopReason: req.reason ?? 'Local',
        closedBy: 'station' as const,
        // The CSMS's 'abandoned' guess gives way to the station's real stop.
        anomalies: mergeAnomalies(
          known?.anomalies?.filter((a) => a !== 'abandoned'),
          totals.anomalies,
        ),
      };
    };
    let summary = await transactions.upsertIf(
      ctx.stationId,
      txId,
      'ocpp1.6',
      {
        set: stop(known?.startedAt, known?.meterStartWh),
        // A stop recorded before its start keeps at least the idTag that stopped it; the start overwrites it.
        first: { ...(req.idTag !== undefined ? { idToken: req.idTag } : {}) },
      },
      ctx.now,
      // Abandoned: only while it is still the CSMS's guess (a concurrent retry may have replaced it).
      known?.closedBy === 'csms' ? 'closedByCsms' : undefined,
    );
    if (!summary) {
      const now = await transactions.get(ctx.stationId, txId);
      if (now) emitEnded(ctx, now);
      return answer;
    }
    if (
      summary.energyWh === undefined &&
      summary.meterStartWh !== undefined &&
      known?.meterStartWh === undefined
    ) {
      // The StartTransaction was recorded between the read and this write.
      summary = await transactions.upsert(
        ctx.stationId,
        txId,
        'ocpp1.6',
        { set: stop(summary.startedAt, summary.meterStartWh) },
        ctx.now,
      );
    }

    // Only with CSMS_METER_EVENTS=every: transaction.ended.v1 carries the energy (issue 14).
    if (samples.length > 0 && summary.evseId !== undefined && everySample(ctx)) {
      ctx.emit('meter.values.v1', {
        stationId: ctx.stationId,
        occurredAt: endedAt,
        evseId: summary.evseId,
        transactionId: txId,
        samples,
      });
    }
    emitEnded(ctx, summary);
    emitNewAnomalies(ctx, known, summary);
    // 1.6 §4.10: sanity checks SHOULD NOT ever keep the CSMS from answering.
    return answer;
  },
};

/**
 * Whether this CSMS may have assigned the id: -1 (errata 3.18: the station never got an answer)
 * or an id its counter handed out (its start may still be being recorded).
 */
async function assignedHere(ctx: HandlerContext<never>, transactionId: number): Promise<boolean> {
  if (transactionId === UNKNOWN_TRANSACTION_ID) return true;
  const counter = (await ctx.station())?.txCounter ?? 0;
  return transactionId >= 1 && transactionId <= counter;
}

/**
 * The summary key. Errata 3.18: transactionId -1 is a transaction whose StartTransaction never
 * got an answer; the CSMS SHALL answer as if it were valid. Every such transaction is its own,
 * so it is kept under -1 and its stop time (a retry has the same time) instead of one shared -1.
 */
function transactionKey(transactionId: number, endedAt: string): string {
  return transactionId === UNKNOWN_TRANSACTION_ID
    ? `${UNKNOWN_TRANSACTION_ID}@${endedAt}`
    : String(transactionId);
}
