/**
 * Scheduled sweep of the command path (an EventBridge schedule on AWS, a timer in the local host):
 * times out CALLs the stations never answered and commands queued past their deadline, and sends
 * what is due. Logic: shared/calls/service.ts (CommandPath.sweep).
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { METRICS } from '../../infra/topology.js';
import { count, logger, metrics } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath } from '../../shared/calls/composition.js';

const commands = commandPath();

export const handler = middy(async (): Promise<{ looked: number; finished: number }> => {
  count(METRICS.sweepRuns);
  const result = await commands.sweep(new Date());
  if (result.looked > 0) logger.info('Sweep done', result);
  return result;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .use(tracing());
