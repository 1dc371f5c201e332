/**
 * Function configuration: read from the environment and validated once per cold start.
 * Both hosts set the same variables (infra/topology.ts ENV); there is no "local mode".
 */
import { z } from 'zod';
import { ENV } from '../contract.js';

const booleanString = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const schema = z.object({
  [ENV.tableName]: z.string().min(1),
  [ENV.eventBusName]: z.string().min(1),
  [ENV.connectionsUrl]: z.string().url().optional(),
  [ENV.deadlineQueueUrl]: z.string().url().optional(),
  [ENV.originSecret]: z.string().min(16).optional(),
  [ENV.cursorSecret]: z.string().min(32).optional(),
  [ENV.admitUnknownStations]: booleanString,
  // OCPP heartbeats must keep API Gateway's 10-minute idle timeout from closing the connection.
  [ENV.heartbeatIntervalSeconds]: z.coerce.number().int().min(10).max(590).default(300),
  // Remote commands (shared/calls): the CALL timeout, and how long a command may stay queued.
  [ENV.callTimeoutSeconds]: z.coerce.number().int().min(1).max(3600).default(60),
  [ENV.queueTtlSeconds]: z.coerce
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(86_400),
});

export interface Config {
  readonly tableName: string;
  readonly eventBusName: string;
  readonly connectionsUrl: string | undefined;
  /** SQS queue of call deadlines (topology DEADLINE_QUEUE); undefined: the minute sweep only. */
  readonly deadlineQueueUrl: string | undefined;
  readonly originSecret: string | undefined;
  /** Only the api function needs it (it refuses to start without). */
  readonly cursorSecret: string | undefined;
  readonly admitUnknownStations: boolean;
  readonly heartbeatIntervalSeconds: number;
  readonly callTimeoutSeconds: number;
  readonly queueTtlSeconds: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const c = parsed.data;
  return {
    tableName: c[ENV.tableName],
    eventBusName: c[ENV.eventBusName],
    connectionsUrl: c[ENV.connectionsUrl],
    deadlineQueueUrl: c[ENV.deadlineQueueUrl],
    originSecret: c[ENV.originSecret],
    cursorSecret: c[ENV.cursorSecret],
    admitUnknownStations: c[ENV.admitUnknownStations],
    heartbeatIntervalSeconds: c[ENV.heartbeatIntervalSeconds],
    callTimeoutSeconds: c[ENV.callTimeoutSeconds],
    queueTtlSeconds: c[ENV.queueTtlSeconds],
  };
}

let cached: Config | undefined;
/** The configuration of this process, read on first use. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}
