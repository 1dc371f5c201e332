/**
 * Function configuration: read from the environment and validated once per cold start.
 * Both hosts set the same variables (infra/topology.ts ENV); there is no "local mode".
 *
 * Plain checks rather than a schema library: every function reads this at cold start, and the
 * station-facing ones import nothing else that would need one (issue 14: no zod on the hot path).
 */
import { delimiter } from 'node:path';
import { ENV } from '../contract.js';

/** What is published per meter sample (docs/events.md, "Meter values"). */
export const METER_EVENT_MODES = ['every', 'periodic', 'none'] as const;
export type MeterEventMode = (typeof METER_EVENT_MODES)[number];

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
  /** What is published per meter sample (docs/events.md). */
  readonly meterEvents: MeterEventMode;
  /** `periodic`: at most one transaction.updated.v1 per transaction in this many minutes. */
  readonly meterEventMinutes: number;
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

/** The defaults of the settings that have one (README settings). */
export const CONFIG_DEFAULTS = {
  maxPendingStations: 100,
  admissionsPerAddressPerMinute: 10,
  // OCPP heartbeats must keep API Gateway's 10-minute idle timeout from closing the connection:
  // 9 minutes leaves a minute for a late station; 300 s cost 256 more billed messages a
  // station-day (issue 14, BENCHMARKS.md "Heartbeat interval").
  heartbeatIntervalSeconds: 540,
  callTimeoutSeconds: 60,
  queueTtlSeconds: 86_400,
  // 300 rules per bus by default; leave room for the CSMS's own rules (archive, schedules, ...).
  webhookLimit: 250,
  meterEvents: 'periodic',
  meterEventMinutes: 15,
  certificateValidityDays: 365,
  certificateRenewalDays: 30,
  loginFailureLimit: 10,
  loginFailureWindowSeconds: 300,
  loginThrottleSeconds: 300,
} as const;

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: NodeJS.ProcessEnv) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined ? undefined : value;
  }

  string(name: string, check?: (v: string) => string | undefined): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    const problem = check?.(value);
    if (problem) this.problems.push(`${name}: ${problem}`);
    return value;
  }

  required(name: string): string {
    const value = this.raw(name);
    if (value === undefined || value.length < 1) {
      this.problems.push(`${name}: required, a non-empty string`);
      return '';
    }
    return value;
  }

  boolean(name: string): boolean {
    const value = this.raw(name);
    if (value === undefined) return false;
    if (!['true', 'false', '1', '0', ''].includes(value)) {
      this.problems.push(`${name}: expected one of true, false, 1, 0`);
    }
    return value === 'true' || value === '1';
  }

  integer(name: string, min: number, max: number, fallback: number): number {
    const value = this.raw(name);
    // As before: an empty or blank value counts as 0 (Number('') is 0).
    if (value === undefined) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}: expected an integer from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined || value === '') return fallback;
    if (!(values as readonly string[]).includes(value)) {
      this.problems.push(`${name}: expected one of ${values.join(', ')}`);
      return fallback;
    }
    return value as T;
  }
}

const url = (v: string): string | undefined => {
  try {
    new URL(v);
    return undefined;
  } catch {
    return 'expected a URL';
  }
};
const arn = (v: string): string | undefined => (v.startsWith('arn:') ? undefined : 'expected an ARN');
const minLength =
  (n: number) =>
  (v: string): string | undefined =>
    v.length >= n ? undefined : `expected at least ${n} characters`;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const r = new Reader(env);
  const d = CONFIG_DEFAULTS;
  const userPoolId = r.string(ENV.cognitoUserPoolId, (v) =>
    /^[\w-]+_[0-9a-zA-Z]+$/.test(v) ? undefined : 'expected a user pool id (region_id)',
  );
  const clientId = r.string(ENV.cognitoClientId, minLength(1));
  const config: Config = {
    tableName: r.required(ENV.tableName),
    eventBusName: r.required(ENV.eventBusName),
    connectionsUrl: r.string(ENV.connectionsUrl, url),
    deadlineQueueUrl: r.string(ENV.deadlineQueueUrl, url),
    rolloutStateMachineArn: r.string(ENV.rolloutStateMachineArn, arn),
    originSecret: r.string(ENV.originSecret, minLength(16)),
    cursorSecret: r.string(ENV.cursorSecret, minLength(32)),
    admitUnknownStations: r.boolean(ENV.admitUnknownStations),
    maxPendingStations: r.integer(ENV.maxPendingStations, 0, 1_000_000, d.maxPendingStations),
    admissionsPerAddressPerMinute: r.integer(
      ENV.admissionsPerAddressPerMinute,
      0,
      100_000,
      d.admissionsPerAddressPerMinute,
    ),
    heartbeatIntervalSeconds: r.integer(ENV.heartbeatIntervalSeconds, 10, 590, d.heartbeatIntervalSeconds),
    callTimeoutSeconds: r.integer(ENV.callTimeoutSeconds, 1, 3600, d.callTimeoutSeconds),
    queueTtlSeconds: r.integer(ENV.queueTtlSeconds, 1, 30 * 86_400, d.queueTtlSeconds),
    webhooks: webhookInfrastructure(
      r.string(ENV.webhookRoleArn, arn),
      r.string(ENV.webhookDeadLetterQueueArn, arn),
      r.string(ENV.eventArchiveArn, arn),
    ),
    webhookLimit: r.integer(ENV.webhookLimit, 0, 10_000, d.webhookLimit),
    webhookAllowLoopbackHttp: r.boolean(ENV.webhookAllowLoopbackHttp),
    cognito: userPoolId && clientId ? { userPoolId, clientId } : undefined,
    meterEvents: r.oneOf(ENV.meterEvents, METER_EVENT_MODES, d.meterEvents),
    meterEventMinutes: r.integer(ENV.meterEventMinutes, 1, 1440, d.meterEventMinutes),
    stationCa: stationCaOf(
      r.string(ENV.caKmsKeyId, minLength(1)),
      r.string(ENV.caDir, minLength(1)),
      r.boolean(ENV.caInMemory),
    ),
    certificates: {
      organization: r.string(ENV.certificateOrganization, (v) =>
        v.length >= 1 && v.length <= 64 ? undefined : 'expected 1 to 64 characters',
      ),
      validityDays: r.integer(ENV.certificateValidityDays, 1, 3650, d.certificateValidityDays),
      renewalDays: r.integer(ENV.certificateRenewalDays, 1, 365, d.certificateRenewalDays),
    },
    clientCa: {
      pem: r.string(ENV.clientCaPem) || undefined,
      files: (r.string(ENV.clientCaFiles) ?? '').split(delimiter).filter((f) => f !== ''),
    },
    loginThrottle: {
      limit: r.integer(ENV.loginFailureLimit, 1, 10_000, d.loginFailureLimit),
      windowSeconds: r.integer(ENV.loginFailureWindowSeconds, 1, 86_400, d.loginFailureWindowSeconds),
      throttleSeconds: r.integer(ENV.loginThrottleSeconds, 1, 86_400, d.loginThrottleSeconds),
    },
  };
  if (r.problems.length > 0) throw new Error(`Invalid configuration: ${r.problems.join('; ')}`);
  return config;
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
