/**
 * Function configuration: read from the environment and validated once per cold start.
 * Both hosts set the same variables (infra/topology.ts ENV); there is no "local mode".
 */
import { delimiter } from 'node:path';
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
  [ENV.rolloutStateMachineArn]: z.string().startsWith('arn:').optional(),
  [ENV.originSecret]: z.string().min(16).optional(),
  [ENV.cursorSecret]: z.string().min(32).optional(),
  [ENV.admitUnknownStations]: booleanString,
  [ENV.maxPendingStations]: z.coerce.number().int().min(0).max(1_000_000).default(100),
  [ENV.admissionsPerAddressPerMinute]: z.coerce.number().int().min(0).max(100_000).default(10),
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
  [ENV.webhookRoleArn]: z.string().startsWith('arn:').optional(),
  [ENV.webhookDeadLetterQueueArn]: z.string().startsWith('arn:').optional(),
  [ENV.eventArchiveArn]: z.string().startsWith('arn:').optional(),
  // 300 rules per bus by default; leave room for the CSMS's own rules (archive, schedules, ...).
  [ENV.webhookLimit]: z.coerce.number().int().min(0).max(10_000).default(250),
  [ENV.webhookAllowLoopbackHttp]: booleanString,
  [ENV.cognitoUserPoolId]: z
    .string()
    .regex(/^[\w-]+_[0-9a-zA-Z]+$/)
    .optional(),
  [ENV.cognitoClientId]: z.string().min(1).optional(),
  [ENV.caKmsKeyId]: z.string().min(1).optional(),
  [ENV.caDir]: z.string().min(1).optional(),
  [ENV.caInMemory]: booleanString,
  [ENV.certificateOrganization]: z.string().min(1).max(64).optional(),
  [ENV.certificateValidityDays]: z.coerce.number().int().min(1).max(3650).default(365),
  [ENV.certificateRenewalDays]: z.coerce.number().int().min(1).max(365).default(30),
  [ENV.clientCaPem]: z.string().optional(),
  [ENV.clientCaFiles]: z.string().optional(),
  [ENV.loginFailureLimit]: z.coerce.number().int().min(1).max(10_000).default(10),
  [ENV.loginFailureWindowSeconds]: z.coerce.number().int().min(1).max(86_400).default(300),
  [ENV.loginThrottleSeconds]: z.coerce.number().int().min(1).max(86_400).default(300),
});

export interface Config {
  readonly tableName: string;
  readonly eventBusName: string;
  readonly connectionsUrl: string | undefined;
  /** SQS queue of call deadlines (topology DEADLINE_QUEUE); undefined: the minute sweep only. */
  readonly deadlineQueueUrl: string | undefined;
  /** The firmware rollout state machine; undefined: rollouts cannot be started. */
  readonly rolloutStateMachineArn: string | undefined;
  readonly originSecret: string | undefined;
  /** Only the api function needs it (it refuses to start without). */
  readonly cursorSecret: string | undefined;
  readonly admitUnknownStations: boolean;
  readonly maxPendingStations: number;
  readonly admissionsPerAddressPerMinute: number;
  readonly heartbeatIntervalSeconds: number;
  readonly callTimeoutSeconds: number;
  readonly queueTtlSeconds: number;
  /** Webhook infrastructure; undefined where it is not deployed (the webhook routes then answer 500). */
  readonly webhooks:
    | { readonly targetRoleArn: string; readonly deadLetterQueueArn: string; readonly archiveArn: string }
    | undefined;
  readonly webhookLimit: number;
  readonly webhookAllowLoopbackHttp: boolean;
  /** Both set: the HTTP API also accepts this pool's access tokens for this client. */
  readonly cognito: { readonly userPoolId: string; readonly clientId: string } | undefined;
  /** The station CA (shared/pki/select.ts): KMS on AWS, a directory or memory locally; undefined: none. */
  readonly stationCa:
    | { readonly kind: 'kms'; readonly keyId: string }
    | { readonly kind: 'dir'; readonly dir: string }
    | { readonly kind: 'memory' }
    | undefined;
  readonly certificates: {
    readonly organization: string | undefined;
    readonly validityDays: number;
    readonly renewalDays: number;
  };
  /** Trusted CAs of station client certificates (profile 3): PEM text, and PEM files to read. */
  readonly clientCa: { readonly pem: string | undefined; readonly files: readonly string[] };
  /** Failed-login throttling per identity: `limit` failures within `windowSeconds` → refused for `throttleSeconds`. */
  readonly loginThrottle: {
    readonly limit: number;
    readonly windowSeconds: number;
    readonly throttleSeconds: number;
  };
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const c = parsed.data;
  const userPoolId = c[ENV.cognitoUserPoolId];
  const clientId = c[ENV.cognitoClientId];
  return {
    tableName: c[ENV.tableName],
    eventBusName: c[ENV.eventBusName],
    connectionsUrl: c[ENV.connectionsUrl],
    deadlineQueueUrl: c[ENV.deadlineQueueUrl],
    rolloutStateMachineArn: c[ENV.rolloutStateMachineArn],
    originSecret: c[ENV.originSecret],
    cursorSecret: c[ENV.cursorSecret],
    admitUnknownStations: c[ENV.admitUnknownStations],
    maxPendingStations: c[ENV.maxPendingStations],
    admissionsPerAddressPerMinute: c[ENV.admissionsPerAddressPerMinute],
    heartbeatIntervalSeconds: c[ENV.heartbeatIntervalSeconds],
    callTimeoutSeconds: c[ENV.callTimeoutSeconds],
    queueTtlSeconds: c[ENV.queueTtlSeconds],
    webhooks: webhookInfrastructure(
      c[ENV.webhookRoleArn],
      c[ENV.webhookDeadLetterQueueArn],
      c[ENV.eventArchiveArn],
    ),
    webhookLimit: c[ENV.webhookLimit],
    webhookAllowLoopbackHttp: c[ENV.webhookAllowLoopbackHttp],
    cognito: userPoolId && clientId ? { userPoolId, clientId } : undefined,
    stationCa: stationCaOf(c[ENV.caKmsKeyId], c[ENV.caDir], c[ENV.caInMemory]),
    certificates: {
      organization: c[ENV.certificateOrganization],
      validityDays: c[ENV.certificateValidityDays],
      renewalDays: c[ENV.certificateRenewalDays],
    },
    clientCa: {
      pem: c[ENV.clientCaPem] || undefined,
      files: (c[ENV.clientCaFiles] ?? '').split(delimiter).filter((f) => f !== ''),
    },
    loginThrottle: {
      limit: c[ENV.loginFailureLimit],
      windowSeconds: c[ENV.loginFailureWindowSeconds],
      throttleSeconds: c[ENV.loginThrottleSeconds],
    },
  };
}

function stationCaOf(
  kmsKeyId: string | undefined,
  dir: string | undefined,
  memory: boolean,
): Config['stationCa'] {
  if (kmsKeyId) return { kind: 'kms', keyId: kmsKeyId };
  if (dir) return { kind: 'dir', dir };
  return memory ? { kind: 'memory' } : undefined;
}

function webhookInfrastructure(
  targetRoleArn: string | undefined,
  deadLetterQueueArn: string | undefined,
  archiveArn: string | undefined,
): Config['webhooks'] {
  if (!targetRoleArn || !deadLetterQueueArn || !archiveArn) return undefined;
  return { targetRoleArn, deadLetterQueueArn, archiveArn };
}

let cached: Config | undefined;
/** The configuration of this process, read on first use. */
export function config(): Config {
  cached ??= readConfig();
  return cached;
}
