/**
 * 1.6 §4.8 StartTransaction: the CSMS assigns the transaction id (unique per station) and checks
 * the idTag again (it may have been authorized offline or from a stale cache).
 *
 * Idempotent under retry: a station retries an unanswered StartTransaction (1.6 §3.7.1,
 * TransactionMessageAttempts), and every retry must get the id of the first attempt. The guard is
 * the replay item keyed by (connector, start timestamp), written before the summary:
 *
 *   allocate id -> replay item (conditional) -> summary -> events (published by the dispatcher)
 *
 * A failure after the replay item leaves a retry to find it and finish the summary and events; a
 * failure before it only leaves a gap in the id sequence.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
import { mergeAnomalies, totals16 } from '../../../shared/domain/transactions.js';
import type {
  StartTransactionRequest,
  StartTransactionResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { TransactionItem } from '../../../shared/store/transactions.js';
import type { HandlerContext, Route } from '../context.js';
import { claimEvse, emitNewAnomalies } from '../transactions.js';
import { authorizationEvent, authorizeIdTag, type IdTagAuthorization } from './id-tag-info.js';
import { checkConnectorId } from './mapping.js';
import { evseOf16 } from '../../../shared/domain/evse.js';

/** How many ids to skip when the next one is already taken (see allocateTransactionId). */
const MAX_ID_ATTEMPTS = 10;

export const startTransaction: Route<
  StartTransactionRequest,
  StartTransactionResponse,
  'commands' | 'idTokens' | 'stations' | 'transactions'
> = {
  async handle(ctx, req) {
    checkConnectorId(req.connectorId, 1);
    const startedAt = canonicalTime(req.timestamp);
    const transactions = ctx.store.transactions;
    // 1.6 §4.8: the CSMS MUST verify the idTag; the answer carries its status even when the
    // transaction is not Accepted, and the station then ends it itself (errata 3.17, DeAuthorized).
    const auth = await authorizeIdTag(ctx, req.idTag);

    const replay = await transactions.getStartReplay(ctx.stationId, req.connectorId, startedAt);
    if (replay) {
      return answerRetry(ctx, req, startedAt, replay.transactionId, auth, { publish: true });
    }

    const transactionId = await allocateTransactionId(ctx);
    const guarded = await transactions.putStartReplay(
      ctx.stationId,
      req.connectorId,
      startedAt,
      transactionId,
      ctx.now,
    );
    if (!guarded) {
      // A concurrent attempt of the same message recorded its id first: answer with that one.
      // The id allocated here stays unused. That attempt publishes the events.
      const winner = await transactions.getStartReplay(ctx.stationId, req.connectorId, startedAt);
      if (!winner) throw new Error('StartTransaction replay item vanished after a conditional write failed');
      return answerRetry(ctx, req, startedAt, winner.transactionId, auth, { publish: false });
    }

    await recordStart(ctx, req, startedAt, transactionId);
    emitStarted(ctx, req, startedAt, transactionId, auth);
    // Defect 17 / 1.6 §3.6: one transaction per connector; an older one still active is abandoned.
    await claimEvse(ctx, { transactionId: String(transactionId), ...evseOf16(req.connectorId), startedAt });
    return { transactionId, idTagInfo: auth.idTagInfo };
  },
};

/**
 * A retry: the same transaction id, and the idTag checked again (a read). The summary is written
 * only if the attempt that recorded the id failed before writing it. The events are published
 * again unless a concurrent attempt of the same message is publishing them right now.
 */
async function answerRetry(
  ctx: HandlerContext<'transactions'>,
  req: StartTransactionRequest,
  startedAt: string,
  transactionId: number,
  auth: IdTagAuthorization,
  options: { publish: boolean },
): Promise<StartTransactionResponse> {
  const summary = await ctx.store.transactions.get(ctx.stationId, String(transactionId));
  // A StopTransaction may have created the summary first (out of order): startedAt tells.
  if (summary?.startedAt === undefined) await recordStart(ctx, req, startedAt, transactionId);
  // The attempt that recorded the id may have failed before it claimed the EVSE (idempotent).
  await claimEvse(ctx, { transactionId: String(transactionId), ...evseOf16(req.connectorId), startedAt });
  // The attempt that recorded the id may have failed before its events were published: publish
  // them again (events are at least once; consumers key on stationId + transactionId).
  if (options.publish) emitStarted(ctx, req, startedAt, transactionId, auth);
  return { transactionId, idTagInfo: auth.idTagInfo };
}

/**
 * The next id of the station's counter that no summary uses yet. Stops for ids this CSMS never
 * assigned are no longer recorded as transactions (issue 7, defect 8), but tables written before
 * may hold such summaries: an id already taken is skipped, not reused.
 */
async function allocateTransactionId(ctx: HandlerContext<'stations' | 'transactions'>): Promise<number> {
  for (let attempt = 0; attempt < MAX_ID_ATTEMPTS; attempt++) {
    const id = await ctx.store.stations.nextTransactionId(ctx.stationId);
    if (!(await ctx.store.transactions.get(ctx.stationId, String(id)))) return id;
    ctx.log.warn('Transaction id already used by a transaction this CSMS did not start; skipped', {
      stationId: ctx.stationId,
      transactionId: id,
    });
  }
  throw new Error(`no free transaction id after ${MAX_ID_ATTEMPTS} attempts`);
}

async function recordStart(
  ctx: HandlerContext<'transactions'>,
  req: StartTransactionRequest,
  startedAt: string,
  transactionId: number,
): Promise<void> {
  const { evseId, connectorId } = evseOf16(req.connectorId);
  const txId = String(transactionId);
  // The store keeps status 'ended' if the StopTransaction got here first; the start fields fill in.
  const summary = await ctx.store.transactions.upsert(
    ctx.stationId,
    txId,
    'ocpp1.6',
    {
      set: {
        evseId,
        connectorId,
        idToken: req.idTag,
        status: 'active',
        startedAt,
        meterStartWh: storableNumber(req.meterStart),
      },
    },
    ctx.now,
  );
  await completeEnergy(ctx, summary);
}

/** When the stop was recorded before the start, the energy (never negative) is known only now. */
async function completeEnergy(ctx: HandlerContext<'transactions'>, summary: TransactionItem): Promise<void> {
  if (summary.status !== 'ended' || summary.energyWh !== undefined) return;
  if (summary.meterStartWh === undefined || summary.meterStopWh === undefined) return;
  const totals = totals16(summary);
  // status 'ended' (final already) is repeated: the committed TransactionStore.upsert
  // rejects an update without a status (it always names #status).
  const after = await ctx.store.transactions.upsert(
    ctx.stationId,
    summary.id,
    'ocpp1.6',
    {
      set: {
        status: 'ended',
        ...(totals.energyWh !== undefined ? { energyWh: totals.energyWh } : {}),
        anomalies: mergeAnomalies(summary.anomalies, totals.anomalies),
      },
    },
    ctx.now,
  );
  emitNewAnomalies(ctx, summary, after);
}

function emitStarted(
  ctx: HandlerContext<never>,
  req: StartTransactionRequest,
  startedAt: string,
  transactionId: number,
  auth: IdTagAuthorization,
): void {
  const { evseId, connectorId } = evseOf16(req.connectorId);
  ctx.emit('authorization.decided.v1', authorizationEvent(ctx, auth, 'StartTransaction'));
  ctx.emit('transaction.started.v1', {
    stationId: ctx.stationId,
    occurredAt: startedAt,
    transactionId: String(transactionId),
    evseId,
    connectorId,
    idToken: req.idTag,
    startedAt,
    ...(storableNumber(req.meterStart) !== undefined ? { meterStartWh: req.meterStart } : {}),
  });
}
