/**
 * The command path's safety net (docs/adr/0005-command-path.md), on a schedule (an EventBridge
 * schedule every minute on AWS, a timer in the local host): times out CALLs the stations never
 * answered and commands queued past their deadline, sends what is due. One at a time (reserved
 * concurrency 1); deadlines and pumps as they happen are the calls function's.
 * Also asks stations to renew the station CA's certificates near expiry (shared/pki/renewal.ts).
 * Logic: shared/calls/service.ts.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath } from '../ocpp/command-path.js';
import { METRICS } from '../../shared/contract.js';
import { requestRenewals } from '../../shared/pki/renewal.js';
import { stationFunctionDeps } from '../ocpp/composition.js';

const commands = commandPath();
const { store, config } = stationFunctionDeps();

export const handler = middy(async (): Promise<{ looked: number; finished: number; renewals?: number }> => {
  count(METRICS.sweepRuns);
  const now = new Date();
  const result = await commands.sweep(now);
  if (result.looked > 0) logger.info('Sweep done', result);
  // Certificates of the station CA near expiry: ask their stations for a new CSR (shared/pki/renewal.ts).
  const renewals = await requestRenewals(
    { commands, store, log: logger, renewalDays: config.certificates.renewalDays },
    now,
  ).catch((error: unknown) => {
    logger.error('Certificate renewal check failed', { error: error as Error });
    return 0;
  });
  return { ...result, ...(renewals > 0 ? { renewals } : {}) };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());
