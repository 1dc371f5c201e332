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

/**
 * Counts are summed in memory and written as one EMF line at most once a minute per function
 * instance (issue 14): one line per message was most of what the functions logged. A count still
 * in memory when an instance is retired is lost (at most a minute of it): the metrics feed
 * 15-minute alarms and dashboards, not billing.
 */
export const METRICS_FLUSH_MS = 60_000;
const pending = new Map<string, number>();
let lastFlushMs = 0;

/** Adds `value` to the count metric `name` (flushed by the function's metricsFlush middleware). */
export function count(name: string, value = 1): void {
  pending.set(name, (pending.get(name) ?? 0) + value);
}

/** Writes the summed counts when a minute has passed since the last write (or `force`). */
export function flushMetrics(nowMs: number = Date.now(), force = false): void {
  if (pending.size === 0 || (!force && nowMs - lastFlushMs < METRICS_FLUSH_MS)) return;
  for (const [name, value] of pending) metrics.addMetric(name, MetricUnit.Count, value);
  pending.clear();
  lastFlushMs = nowMs;
  // Lambda's log-level filter (JSON format) treats a line without `level` as INFO and drops it
  // at the deployed WARN; the EMF line carries one so that the metrics survive the filter.
  metrics.addMetadata('level', 'WARN');
  metrics.publishStoredMetrics();
}

/** Middy middleware: flushes the counts after an invocation, at most once a minute. */
export function metricsFlush(): { after: () => void; onError: () => void } {
  return { after: () => flushMetrics(), onError: () => flushMetrics() };
}
