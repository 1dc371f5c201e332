/**
 * The command path's safety net (docs/adr/0005-command-path.md), on a schedule (an EventBridge
 * schedule every minute on AWS, a timer in the local host): times out CALLs the stations never
 * answered and commands queued past their deadline, sends what is due. One at a time (reserved
 * concurrency 1); deadlines and pumps as they happen are the calls function's.
 * Logic: shared/calls/service.ts.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath } from '../ocpp/command-path.js';
import { METRICS } from '../../shared/contract.js';

const commands = commandPath();

export const handler = middy(async (): Promise<{ looked: number; finished: number }> => {
  count(METRICS.sweepRuns);
  const result = await commands.sweep(new Date());
  if (result.looked > 0) logger.info('Sweep done', result);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());
