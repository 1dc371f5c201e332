/** Powertools logger and metrics, created once per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS } from '../contract.js';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'csms',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS.namespace,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'csms',
  // Its warnings (e.g. an invocation that added no metric: in the local host, where every function
  // shares this one instance, another invocation may have flushed them) go through the logger and
  // its level, not straight to the console.
  logger,
});

export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** Adds `value` to the count metric `name` (flushed by the function's logMetrics middleware). */
export function count(name: string, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
