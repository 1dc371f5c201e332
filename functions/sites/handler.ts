/**
 * Site load management (docs/adr/0013-site-load-management.md), run by:
 * - the topology EVENT_RULES `site-recompute`: a transaction started or ended on a station of a
 *   site, or a SetChargingProfile completed there (the share applied, or refused: retried once);
 * - the topology SCHEDULES tick: a site whose time-of-use window began or ended since its last
 *   recompute.
 * Each recompute holds its site's lease (service.ts): never two of one site at once.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { logger, metrics } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { EVENT_RULES } from '../../infra/topology.js';
import { siteDeps } from './composition.js';
import { dueForSchedule, requestRecompute } from './service.js';

const deps = siteDeps();
const ruleEvents: readonly string[] = EVENT_RULES.filter((r) => r.function === 'sites').flatMap(
  (r) => r.detailTypes,
);

interface BusEvent {
  readonly 'detail-type'?: string;
  readonly source?: string;
  readonly detail?: { readonly stationId?: unknown; readonly action?: unknown };
}

export const handler = middy(async (event: unknown): Promise<{ recomputed: number }> => {
  const bus = event as BusEvent | null;
  const type = bus?.['detail-type'];
  if (type === 'Scheduled Event') {
    const due = await dueForSchedule(deps);
    for (const siteId of due) {
      await requestRecompute(siteId, deps).catch((error: unknown) =>
        logger.error('Site recompute failed', { error: error as Error, siteId }),
      );
    }
    return { recomputed: due.length };
  }
  if (type === undefined || !ruleEvents.includes(type)) {
    logger.warn('Not a site event; ignored', { detailType: type });
    return { recomputed: 0 };
  }
  // command.completed.v1 of any other action: nothing of a site's (no read).
  if (type === 'command.completed.v1' && bus?.detail?.action !== 'SetChargingProfile')
    return { recomputed: 0 };
  const stationId = bus?.detail?.stationId;
  if (typeof stationId !== 'string') return { recomputed: 0 };
  const siteId = await deps.store.sites.siteOf(stationId);
  if (siteId === undefined) return { recomputed: 0 }; // the usual case: not load managed
  await requestRecompute(siteId, deps); // thrown: EventBridge retries the event
  return { recomputed: 1 };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(tracing());
