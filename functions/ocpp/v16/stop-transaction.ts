/**
 * 1.6 §4.10 StopTransaction: the transaction has ended at the station. The CSMS cannot refuse it:
 * it records what it is told (also for a transaction it does not know) and answers, with the
 * idTagInfo of the stopping idTag when there is one.
 *
 * Idempotent under retry (1.6 §3.7.1): the meter data is written first under keys of its own
 * timestamps, the summary last; a summary already 'ended' means an earlier attempt got through,
 * and the retry is answered again without writing; its ended event is published again.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
import type {
  StopTransactionRequest,
  StopTransactionResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { TransactionItem } from '../../../shared/store/transactions.js';
import type { HandlerContext, Route } from '../context.js';
import { authorizationEvent, authorizeIdTag } from './id-tag-info.js';
import { samplesOf16, UNKNOWN_TRANSACTION_ID } from './mapping.js';

export const stopTransaction: Route<StopTransactionRequest, StopTransactionResponse> = {
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
    if (known?.status === 'ended') {
      // A retry of a stop already recorded. The earlier attempt may have failed to publish, so the
      // ended event goes out again (events are at least once; state does not change).
      emitEnded(ctx, known, txId, req.reason ?? 'Local');
      return answer;
    }
    if (!known) {
      ctx.log.warn('StopTransaction for a transaction this CSMS does not know; recorded', {
        stationId: ctx.stationId,
        transactionId: txId,
      });
    }

    // 1.6 §4.10: transactionData holds MeterValues (1.6 §7.33), often Transaction.Begin/End (errata 3.14).
    const samples = samplesOf16(req.transactionData ?? []);
    if (samples.length > 0) {
      await transactions.putMeterSamples(ctx.stationId, txId, samples, ctx.now);
    }

    let summary = await transactions.upsert(
      ctx.stationId,
      txId,
      'ocpp1.6',
      {
        set: {
          status: 'ended',
          endedAt,
          meterStopWh,
          energyWh: energyWh(ctx, txId, known?.meterStartWh, meterStopWh),
          // 1.6 §4.10 / §6.49: an absent reason means Local (a regular stop at the station).
          stopReason: req.reason ?? 'Local',
        },
        // An unknown transaction keeps at least the idTag that stopped it; a late start overwrites it.
        first: { ...(req.idTag !== undefined ? { idToken: req.idTag } : {}) },
      },
      ctx.now,
    );
    if (
      summary.energyWh === undefined &&
      summary.meterStartWh !== undefined &&
      known?.meterStartWh === undefined
    ) {
      // The StartTransaction was recorded between the read and this write.
      const late = energyWh(ctx, txId, summary.meterStartWh, meterStopWh);
      if (late !== undefined) {
        summary = await transactions.upsert(
          ctx.stationId,
          txId,
          'ocpp1.6',
          { set: { energyWh: late } },
          ctx.now,
        );
      }
    }

    if (auth) ctx.emit('authorization.decided.v1', authorizationEvent(ctx, auth, 'StopTransaction'));
    if (samples.length > 0 && summary.evseId !== undefined) {
      ctx.emit('meter.values.v1', {
        stationId: ctx.stationId,
        occurredAt: endedAt,
        evseId: summary.evseId,
        transactionId: txId,
        samples,
      });
    }
    emitEnded(ctx, summary, txId, req.reason ?? 'Local');
    // 1.6 §4.10: sanity checks SHOULD NOT ever keep the CSMS from answering.
    return answer;
  },
};

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

/** meterStop - meterStart (both in Wh, 1.6 §6.45 / §6.49), unless the meter went backwards. */
function energyWh(
  ctx: HandlerContext,
  txId: string,
  meterStartWh: number | undefined,
  meterStopWh: number | undefined,
): number | undefined {
  if (meterStartWh === undefined || meterStopWh === undefined) return undefined;
  if (meterStopWh < meterStartWh) {
    ctx.log.warn('meterStop below meterStart: energy left unknown', {
      stationId: ctx.stationId,
      transactionId: txId,
      meterStartWh,
      meterStopWh,
    });
    return undefined;
  }
  return meterStopWh - meterStartWh;
}

function emitEnded(ctx: HandlerContext, summary: TransactionItem, txId: string, stopReason: string): void {
  ctx.emit('transaction.ended.v1', {
    stationId: ctx.stationId,
    occurredAt: summary.endedAt ?? ctx.now.toISOString(),
    transactionId: txId,
    ...(summary.evseId !== undefined ? { evseId: summary.evseId } : {}),
    ...(summary.connectorId !== undefined ? { connectorId: summary.connectorId } : {}),
    ...(summary.idToken !== undefined ? { idToken: summary.idToken } : {}),
    ...(summary.startedAt !== undefined ? { startedAt: summary.startedAt } : {}),
    endedAt: summary.endedAt ?? ctx.now.toISOString(),
    ...(summary.meterStartWh !== undefined ? { meterStartWh: summary.meterStartWh } : {}),
    ...(summary.meterStopWh !== undefined ? { meterStopWh: summary.meterStopWh } : {}),
    ...(summary.energyWh !== undefined ? { energyWh: summary.energyWh } : {}),
    stopReason: summary.stopReason ?? stopReason,
  });
}
