/** Powertools logger and metrics, created once per process. */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'csms',
  logLevel: (process.env.POWERTOOLS_LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Csms',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'csms',
});

export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;
