/**
 * What is published per meter sample (issue 14): a deployment setting, CSMS_METER_EVENTS
 * (docs/events.md, "Meter values"). The samples are always stored (transactions API); only the
 * events differ.
 *
 * - `every`: meter.values.v1 for every message with samples, and 2.x transaction.updated.v1 for
 *   every TransactionEvent Updated (the behaviour before the setting existed).
 * - `periodic` (default): per transaction at most one transaction.updated.v1 (with the samples of
 *   the message that triggered it) every CSMS_METER_EVENT_MINUTES (15), by the station's sample
 *   time; outside transactions, at most one meter.values.v1 per EVSE as often. A 2.x Updated that
 *   is not about meter values (charging state, EV, token...) is always published.
 * - `none`: no meter events; 2.x Updated events that are not about meter values still are.
 *
 * transaction.started.v1 / transaction.ended.v1 (with the energy) are published in every mode.
 */
import type { Sample } from '../../shared/domain/meter-values.js';
import type { HandlerContext } from './context.js';

/** Per function instance: scope key → station time (ms) of the last published update. */
const lastPublished = new Map<string, number>();
const MAX_TRACKED = 20_000;

export function everySample(ctx: HandlerContext<never>): boolean {
  return ctx.config.meterEvents === 'every';
}

/** When the samples were taken (the latest of them), or the message's arrival. */
function sampleTimeMs(ctx: HandlerContext<never>, samples: readonly Sample[]): number {
  let latest = Number.NEGATIVE_INFINITY;
  for (const s of samples) {
    const t = Date.parse(s.timestamp);
    if (t > latest) latest = t;
  }
  return Number.isFinite(latest) ? latest : ctx.now.getTime();
}

/**
 * `periodic`: whether the update of this scope (a transaction, or an EVSE outside transactions)
 * is due now. When it is, it counts as published only once the events are (afterPublish): a
 * failed publish leaves the retry due. An older sample (an offline queue) never holds a newer one.
 */
export function periodicUpdateDue(
  ctx: HandlerContext<never>,
  scope: { readonly transactionId: string } | { readonly evseId: number },
  samples: readonly Sample[],
): boolean {
  if (ctx.config.meterEvents !== 'periodic') return false;
  const key =
    'transactionId' in scope
      ? `${ctx.stationId}\ntx\n${scope.transactionId}`
      : `${ctx.stationId}\nevse\n${scope.evseId}`;
  const at = sampleTimeMs(ctx, samples);
  const last = lastPublished.get(key);
  if (last !== undefined && at >= last && at - last < ctx.config.meterEventMinutes * 60_000) return false;
  ctx.afterPublish(() => {
    if (lastPublished.size >= MAX_TRACKED) lastPublished.clear();
    lastPublished.set(key, Math.max(at, lastPublished.get(key) ?? at));
    return Promise.resolve();
  });
  return true;
}

/** Marks a transaction's update as published (a 2.x Updated published for another reason). */
export function notePublished(
  ctx: HandlerContext<never>,
  transactionId: string,
  samples: readonly Sample[],
): void {
  const key = `${ctx.stationId}\ntx\n${transactionId}`;
  const at = sampleTimeMs(ctx, samples);
  ctx.afterPublish(() => {
    if (lastPublished.size >= MAX_TRACKED) lastPublished.clear();
    lastPublished.set(key, Math.max(at, lastPublished.get(key) ?? at));
    return Promise.resolve();
  });
}
