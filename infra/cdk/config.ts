/**
 * Deployment options of the CSMS app: read from CDK context (`cdk synth -c key=value`, cdk.json) or
 * passed by tests, validated once here so that the stacks only ever see typed, checked values.
 */

/** A Route 53 public hosted zone, by its attributes (nothing is looked up at synth time). */
export interface HostedZoneRef {
  /** e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
  /** The zone's domain, e.g. `example.com`; the custom domain must be in it. */
  readonly zoneName: string;
}
import { SecretValue } from 'aws-cdk-lib';
import { METER_EVENT_MODES, type MeterEventMode } from '../../shared/aws/config.js';
import { EVENTS, type EventType } from '../../shared/events/catalog.js';
import { patternErrors } from '../../shared/webhooks/pattern.js';
import type { PartnerWebhook, PartnerWebhookAuth } from './constructs/webhooks.js';

/** A custom domain for the station front door (CloudFront). */
export interface CustomDomain {
  /** e.g. `ocpp.example.com`; point a CNAME / alias at the distribution after deploying. */
  readonly domainName: string;
  /** ACM certificate for `domainName`; CloudFront only accepts certificates from us-east-1. */
  readonly certificateArn: string;
  /**
   * Create alias A and AAAA records for `domainName` in this zone.
   * @default - no record: point a CNAME at the StationDistributionDomainName output yourself
   */
  readonly hostedZone?: HostedZoneRef;
}

/** Log levels of the functions (POWERTOOLS_LOG_LEVEL). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Steady-state rate (requests or messages per second) and burst of an API Gateway stage. */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** The functions whose reserved concurrency can be set (the sweep always has exactly 1). */
export const CONCURRENCY_FUNCTIONS = ['authorizer', 'connect', 'message', 'disconnect', 'api'] as const;
export type ConcurrencyFunction = (typeof CONCURRENCY_FUNCTIONS)[number];

/** CloudWatch Logs retention periods, in days (the values RetentionDays accepts). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface CsmsOptions {
  /**
   * Admit stations that are not provisioned yet (their first connection creates the station as
   * pending); when false, the authorizer refuses unknown identities.
   * @default false
   */
  readonly admitUnknownStations: boolean;
  /**
   * HeartbeatInterval sent to stations, 10 to 590 s: API Gateway closes connections idle for
   * 10 minutes; the default leaves a minute of margin (BENCHMARKS.md, "Heartbeat interval").
   * @default 540
   */
  readonly heartbeatIntervalSeconds: number;
  /**
   * What is published per meter sample (docs/events.md, "Meter values"): `every`, `periodic`
   * (at most one transaction.updated.v1 per transaction every `meterEventMinutes`) or `none`.
   * @default 'periodic'
   */
  readonly meterEvents?: MeterEventMode;
  /**
   * `periodic` meter events: minutes between two updates of one transaction (1 to 1440).
   * @default 15
   */
  readonly meterEventMinutes?: number;
  /**
   * Serve stations on a custom domain instead of the `*.cloudfront.net` name.
   * @default - no custom domain
   */
  readonly customDomain?: CustomDomain;
  /**
   * ARN of an existing AWS WAF web ACL (scope CLOUDFRONT, in us-east-1) to attach to the station
   * front door.
   * @default - no web ACL
   */
  readonly webAclArn?: string;
  /**
   * Set the account-wide API Gateway CloudWatch Logs role (AWS::ApiGateway::Account), which
   * WebSocket API access logging needs. Turn off when the account already has one that another
   * stack manages.
   * @default true
   */
  readonly configureApiGatewayLogsRole: boolean;
  /**
   * Name of the custom EventBridge bus.
   * @default 'csms', or `csms-{stage}` with a stage
   */
  readonly eventBusName: string;
  /**
   * Stage (environment) name, e.g. `dev` or `prod`: part of the stack names (`Csms-{stage}-Stateful`),
   * the bus name, the API names, the dashboard and the alarm names, so that several stages can
   * live in one account and region. Letters, digits and hyphens, starting with a letter.
   * @default - none: stacks `Csms-Stateful` / `Csms-Stateless`, bus `csms`
   */
  readonly stage?: string;
  /**
   * E-mail address subscribed to the alarm topic (it must confirm the subscription).
   * @default - no subscription: subscribe to the AlarmTopicArn output yourself
   */
  readonly alarmEmail?: string;
  /**
   * Log level of every function: Lambda's application log level (advanced logging controls, JSON
   * format) and POWERTOOLS_LOG_LEVEL. WARN (the default) keeps warnings and errors and drops
   * Lambda's START / END / REPORT lines; DEBUG (a stage's debug switch) keeps everything.
   * @default 'WARN'
   */
  readonly logLevel: LogLevel;
  /**
   * AWS X-Ray active tracing of every function, with Powertools Tracer segments for the AWS SDK
   * calls. Costs per trace: see BENCHMARKS.md.
   * @default false
   */
  readonly tracing: boolean;
  /**
   * Days the function logs and API access logs are kept (a CloudWatch Logs retention value).
   * @default 30
   */
  readonly logRetentionDays: number;
  /**
   * Adopt an existing CSMS table (one retained from an earlier deployment) instead of creating
   * one: see docs/deploy.md, "Destroying and re-adopting data".
   * @default - a new table
   */
  readonly existingTableName?: string;
  /**
   * Adopt an existing event bus (retained from an earlier deployment, with its archive) instead of
   * creating one; `eventBusName` is then ignored.
   * @default - a new bus and archive
   */
  readonly existingEventBusName?: string;
  /**
   * Reserved concurrency per function (it is also that function's maximum). Nothing is reserved
   * unless given: a new account has a regional limit of 10 concurrent executions, too few to reserve.
   * @default - none reserved (the sweep always reserves 1)
   */
  readonly reservedConcurrency?: Readonly<Partial<Record<ConcurrencyFunction, number>>>;
  /**
   * Throttling of station messages on the WebSocket stage (every route).
   * @default - the account's API Gateway limits only
   */
  readonly stationThrottle?: Throttle;
  /**
   * Throttling of the HTTP API's stage.
   * @default - the account's API Gateway limits only
   */
  readonly httpThrottle?: Throttle;
  /**
   * Partner webhooks fixed at deploy time (CsmsEventsProps.webhooks). From context `webhooks`:
   * a JSON array of `{name, url, eventTypes?, stationIds?, detailFilter?, auth}` where auth is
   * `{type: "apiKey", header, secretName}`, `{type: "basic", username, secretName}` or
   * `{type: "oauth", tokenUrl, clientId, secretName, scope?}`: the secret is read from Secrets
   * Manager at deploy time (`secretName`, optional `secretField` for a JSON secret), never given
   * in clear.
   * @default - none
   */
  readonly webhooks?: readonly PartnerWebhook[];
  /**
   * Most webhook subscriptions the HTTP API accepts (EventBridge: 300 rules per bus by default).
   * @default 250
   */
  readonly webhookLimit?: number;
  /**
   * Security profile 3 (docs/adr/0015-station-client-certificates.md): CloudFront viewer mTLS in
   * optional mode with a trust store built from the CA bundle in S3, and the authorizer's trust
   * anchors (the same CA certificates, PEM). Context `stationClientCertificates` (JSON).
   * @default - no viewer mTLS: profile-3 stations cannot connect
   */
  readonly stationClientCertificates?: StationClientCertificates;
}

export interface StationClientCertificates {
  /** The PEM bundle of CA certificates CloudFront's trust store is made from. */
  readonly trustStoreBundle: { readonly bucket: string; readonly key: string; readonly region: string };
  /** The same CA certificates, PEM text: the authorizer's trust anchors (a Lambda variable, under 3 KB). */
  readonly caPem: string;
}

/** Lambda allows 4 KB of environment in all: the CA certificates get at most this much of it. */
export const MAX_CLIENT_CA_PEM_BYTES = 3_000;

/** HeartbeatInterval bounds, in seconds. */
export const HEARTBEAT_BOUNDS = { min: 10, max: 590 } as const;

export const DEFAULT_OPTIONS: CsmsOptions = {
  admitUnknownStations: false,
  heartbeatIntervalSeconds: 540,
  configureApiGatewayLogsRole: true,
  eventBusName: 'csms',
  logLevel: 'WARN',
  tracing: false,
  logRetentionDays: 30,
};

/** The bus name when none is given: `csms`, or `csms-{stage}`. */
export function defaultEventBusName(stage: string | undefined): string {
  return stage ? `csms-${stage}` : DEFAULT_OPTIONS.eventBusName;
}

/** The context keys the app reads (`cdk synth -c admitUnknownStations=true`). */
export const CONTEXT_KEYS = {
  admitUnknownStations: 'admitUnknownStations',
  heartbeatIntervalSeconds: 'heartbeatIntervalSeconds',
  domainName: 'domainName',
  meterEvents: 'meterEvents',
  meterEventMinutes: 'meterEventMinutes',
  certificateArn: 'certificateArn',
  webAclArn: 'webAclArn',
  configureApiGatewayLogsRole: 'configureApiGatewayLogsRole',
  eventBusName: 'eventBusName',
  hostedZoneId: 'hostedZoneId',
  hostedZoneName: 'hostedZoneName',
  stage: 'stage',
  alarmEmail: 'alarmEmail',
  logLevel: 'logLevel',
  tracing: 'tracing',
  logRetentionDays: 'logRetentionDays',
  existingTableName: 'existingTableName',
  existingEventBusName: 'existingEventBusName',
  /** A JSON object, e.g. `{"message": 100}` (cdk.json, or a JSON string on the command line). */
  reservedConcurrency: 'reservedConcurrency',
  /** `{"rateLimit": 500, "burstLimit": 1000}` */
  stationThrottle: 'stationThrottle',
  httpThrottle: 'httpThrottle',
  webhooks: 'webhooks',
  webhookLimit: 'webhookLimit',
  /** `{"trustStoreBundle": {"bucket", "key", "region"}, "caPem": "-----BEGIN CERTIFICATE-----..."}` */
  stationClientCertificates: 'stationClientCertificates',
} as const;

export class CsmsOptionsError extends Error {
  override readonly name = 'CsmsOptionsError';
}

/** Reads a context value (as given by the CLI: a string, or any JSON value from cdk.json). */
export type ContextReader = (key: string) => unknown;

function readBoolean(read: ContextReader, key: string, fallback: boolean): boolean {
  const value = read(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new CsmsOptionsError(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
}

function readString(read: ContextReader, key: string): string | undefined {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') {
    throw new CsmsOptionsError(`context ${key} must be a string, got ${JSON.stringify(value)}`);
  }
  return value;
}

function readNumber(read: ContextReader, key: string, fallback: number): number {
  const value = read(key);
  if (value === undefined || value === null || value === '') return fallback;
  const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(number)) {
    throw new CsmsOptionsError(`context ${key} must be a number, got ${JSON.stringify(value)}`);
  }
  return number;
}

/** Checks options that were built in code (tests, other apps) as strictly as context values. */
export function validateOptions(options: CsmsOptions): CsmsOptions {
  const { heartbeatIntervalSeconds, customDomain, eventBusName, webAclArn } = options;
  // The same bounds as shared/aws/config.ts, which the functions check at cold start: under
  // API Gateway's 10-minute idle timeout with a margin for a late heartbeat.
  if (
    !Number.isInteger(heartbeatIntervalSeconds) ||
    heartbeatIntervalSeconds < HEARTBEAT_BOUNDS.min ||
    heartbeatIntervalSeconds > HEARTBEAT_BOUNDS.max
  ) {
    throw new CsmsOptionsError(
      `heartbeatIntervalSeconds must be an integer from ${HEARTBEAT_BOUNDS.min} to ${HEARTBEAT_BOUNDS.max} ` +
        `(API Gateway closes connections idle for 600 s)`,
    );
  }
  if (options.meterEvents !== undefined && !METER_EVENT_MODES.includes(options.meterEvents)) {
    throw new CsmsOptionsError(`meterEvents must be one of ${METER_EVENT_MODES.join(', ')}`);
  }
  const minutes = options.meterEventMinutes;
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440)) {
    throw new CsmsOptionsError('meterEventMinutes must be an integer from 1 to 1440');
  }
  if (!/^[A-Za-z0-9._-]{1,256}$/.test(eventBusName) || eventBusName === 'default') {
    throw new CsmsOptionsError(`eventBusName ${JSON.stringify(eventBusName)} is not a valid custom bus name`);
  }
  if (customDomain) {
    if (!/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(customDomain.domainName)) {
      throw new CsmsOptionsError(
        `domainName ${JSON.stringify(customDomain.domainName)} is not a domain name`,
      );
    }
    if (!/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(customDomain.certificateArn)) {
      throw new CsmsOptionsError(
        `certificateArn must be an ACM certificate ARN in us-east-1 (CloudFront only uses those)`,
      );
    }
  }
  if (
    options.webhookLimit !== undefined &&
    (!Number.isInteger(options.webhookLimit) || options.webhookLimit < 0 || options.webhookLimit > 10_000)
  ) {
    throw new CsmsOptionsError(
      'webhookLimit must be an integer from 0 to 10000 (EventBridge allows 300 rules per bus unless raised)',
    );
  }
  if (webAclArn !== undefined && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclArn)) {
    throw new CsmsOptionsError(`webAclArn must be the ARN of a CLOUDFRONT-scoped WAFv2 web ACL`);
  }
  validateClientCertificates(options.stationClientCertificates);
  validateOperations(options);
  return options;
}

function validateClientCertificates(value: StationClientCertificates | undefined): void {
  if (value === undefined) return;
  const bundle = value.trustStoreBundle as Partial<StationClientCertificates['trustStoreBundle']> | undefined;
  if (!bundle?.bucket || !bundle.key || !bundle.region) {
    throw new CsmsOptionsError('stationClientCertificates.trustStoreBundle needs bucket, key and region');
  }
  if (typeof value.caPem !== 'string' || !value.caPem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CsmsOptionsError('stationClientCertificates.caPem must be PEM CA certificates');
  }
  if (Buffer.byteLength(value.caPem) > MAX_CLIENT_CA_PEM_BYTES) {
    throw new CsmsOptionsError(
      `stationClientCertificates.caPem is over ${MAX_CLIENT_CA_PEM_BYTES} bytes (Lambda environment: 4 KB in all)`,
    );
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function validateOperations(options: CsmsOptions): void {
  const { stage, alarmEmail, logLevel, logRetentionDays, customDomain } = options;
  // Stack names allow [A-Za-z0-9-]; the bus and API names take the same; short enough for every name.
  if (stage !== undefined && !/^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(stage)) {
    throw new CsmsOptionsError(
      `stage ${JSON.stringify(stage)} must be 1 to 20 letters, digits or hyphens, starting with a letter`,
    );
  }
  if (alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(alarmEmail)) {
    throw new CsmsOptionsError(`alarmEmail ${JSON.stringify(alarmEmail)} is not an e-mail address`);
  }
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new CsmsOptionsError(`logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new CsmsOptionsError(`logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  for (const [name, value] of Object.entries(options.reservedConcurrency ?? {})) {
    if (!(CONCURRENCY_FUNCTIONS as readonly string[]).includes(name)) {
      throw new CsmsOptionsError(
        `reservedConcurrency: unknown function ${JSON.stringify(name)} (one of ${CONCURRENCY_FUNCTIONS.join(', ')})`,
      );
    }
    if (!isPositiveInteger(value)) {
      throw new CsmsOptionsError(`reservedConcurrency.${name} must be a positive integer`);
    }
  }
  for (const key of ['stationThrottle', 'httpThrottle'] as const) {
    const throttle = options[key];
    if (throttle === undefined) continue;
    if (!isPositiveInteger(throttle.rateLimit) || !isPositiveInteger(throttle.burstLimit)) {
      throw new CsmsOptionsError(`${key} needs positive integers rateLimit and burstLimit`);
    }
  }
  const zone = customDomain?.hostedZone;
  if (zone) {
    if (!/^Z[A-Z0-9]{1,31}$/.test(zone.hostedZoneId)) {
      throw new CsmsOptionsError(`hostedZoneId ${JSON.stringify(zone.hostedZoneId)} is not a hosted zone id`);
    }
    const zoneName = zone.zoneName.replace(/\.$/, '').toLowerCase();
    const domain = customDomain.domainName.toLowerCase();
    if (domain !== zoneName && !domain.endsWith(`.${zoneName}`)) {
      throw new CsmsOptionsError(`domainName ${domain} is not in the hosted zone ${zoneName}`);
    }
  }
}

function readJson(read: ContextReader, key: string): unknown {
  const value = read(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new CsmsOptionsError(`context ${key} must be JSON, got ${JSON.stringify(value)}`);
  }
}

function readObject<T>(read: ContextReader, key: string): T | undefined {
  const value = readJson(read, key);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CsmsOptionsError(`context ${key} must be a JSON object, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

/** Options given in code (all optional): defaults filled in, then validated like context values. */
export function resolveOptions(given: Partial<CsmsOptions> = {}): CsmsOptions {
  const defined = Object.fromEntries(
    Object.entries(given).filter(([, value]) => value !== undefined),
  ) as Partial<CsmsOptions>;
  return validateOptions({
    ...DEFAULT_OPTIONS,
    eventBusName: defaultEventBusName(defined.stage),
    ...defined,
  });
}

/** Declared webhooks from context (JSON text or a JSON value from cdk.json). */
function readWebhooks(read: ContextReader): PartnerWebhook[] | undefined {
  let value = read(CONTEXT_KEYS.webhooks);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new CsmsOptionsError('context webhooks must be a JSON array');
    }
  }
  if (!Array.isArray(value)) throw new CsmsOptionsError('context webhooks must be a JSON array');
  return value.map((raw: unknown, i): PartnerWebhook => {
    const w = (raw ?? {}) as Record<string, unknown>;
    const fail = (message: string): never => {
      throw new CsmsOptionsError(`context webhooks[${i}]: ${message}`);
    };
    const text = (field: string, from: Record<string, unknown> = w): string =>
      typeof from[field] === 'string' && from[field] !== '' ? from[field] : fail(`${field} must be a string`);
    const auth = (w.auth ?? {}) as Record<string, unknown>;
    const secret = SecretValue.secretsManager(text('secretName', auth), {
      ...(typeof auth.secretField === 'string' ? { jsonField: auth.secretField } : {}),
    });
    let partnerAuth: PartnerWebhookAuth;
    if (auth.type === 'apiKey') partnerAuth = { type: 'apiKey', header: text('header', auth), value: secret };
    else if (auth.type === 'basic')
      partnerAuth = { type: 'basic', username: text('username', auth), password: secret };
    else if (auth.type === 'oauth') {
      partnerAuth = {
        type: 'oauth',
        tokenUrl: text('tokenUrl', auth),
        clientId: text('clientId', auth),
        clientSecret: secret,
        ...(typeof auth.scope === 'string' ? { scope: auth.scope } : {}),
      };
    } else return fail('auth.type must be apiKey, basic or oauth');
    const eventTypes = w.eventTypes;
    if (eventTypes !== undefined && (!Array.isArray(eventTypes) || eventTypes.some((t) => !(t in EVENTS)))) {
      fail('eventTypes must list event types of docs/events.md');
    }
    if (w.detailFilter !== undefined && patternErrors(w.detailFilter).length > 0) {
      fail(`detailFilter: ${patternErrors(w.detailFilter)[0]?.message ?? ''}`);
    }
    return {
      name: text('name'),
      url: text('url'),
      auth: partnerAuth,
      ...(eventTypes ? { eventTypes: eventTypes as EventType[] } : {}),
      ...(Array.isArray(w.stationIds) ? { stationIds: w.stationIds as string[] } : {}),
      ...(w.detailFilter ? { detailFilter: w.detailFilter as Record<string, unknown> } : {}),
    };
  });
}

/** Reads and validates the options from CDK context; anything absent takes its default. */
export function optionsFromContext(read: ContextReader): CsmsOptions {
  const domainName = readString(read, CONTEXT_KEYS.domainName);
  const certificateArn = readString(read, CONTEXT_KEYS.certificateArn);
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new CsmsOptionsError(`context domainName and certificateArn go together: give both or neither`);
  }
  const webAclArn = readString(read, CONTEXT_KEYS.webAclArn);
  const hostedZoneId = readString(read, CONTEXT_KEYS.hostedZoneId);
  const hostedZoneName = readString(read, CONTEXT_KEYS.hostedZoneName);
  if ((hostedZoneId === undefined) !== (hostedZoneName === undefined)) {
    throw new CsmsOptionsError(`context hostedZoneId and hostedZoneName go together: give both or neither`);
  }
  if (hostedZoneId !== undefined && domainName === undefined) {
    throw new CsmsOptionsError(`context hostedZoneId needs domainName and certificateArn`);
  }
  const stage = readString(read, CONTEXT_KEYS.stage);
  const webhooks = readWebhooks(read);
  const webhookLimit = read(CONTEXT_KEYS.webhookLimit);
  const optional = {
    stage,
    alarmEmail: readString(read, CONTEXT_KEYS.alarmEmail),
    existingTableName: readString(read, CONTEXT_KEYS.existingTableName),
    existingEventBusName: readString(read, CONTEXT_KEYS.existingEventBusName),
    reservedConcurrency: readObject<CsmsOptions['reservedConcurrency']>(
      read,
      CONTEXT_KEYS.reservedConcurrency,
    ),
    stationThrottle: readObject<Throttle>(read, CONTEXT_KEYS.stationThrottle),
    stationClientCertificates: readObject<StationClientCertificates>(
      read,
      CONTEXT_KEYS.stationClientCertificates,
    ),
    httpThrottle: readObject<Throttle>(read, CONTEXT_KEYS.httpThrottle),
    meterEvents: readString(read, CONTEXT_KEYS.meterEvents) as MeterEventMode | undefined,
    ...(read(CONTEXT_KEYS.meterEventMinutes) !== undefined
      ? { meterEventMinutes: readNumber(read, CONTEXT_KEYS.meterEventMinutes, 15) }
      : {}),
  };
  const logLevel = (readString(read, CONTEXT_KEYS.logLevel)?.toUpperCase() ??
    DEFAULT_OPTIONS.logLevel) as LogLevel;
  return resolveOptions({
    ...optional,
    ...(webhooks ? { webhooks } : {}),
    ...(webhookLimit !== undefined ? { webhookLimit: readNumber(read, CONTEXT_KEYS.webhookLimit, 250) } : {}),
    logLevel,
    tracing: readBoolean(read, CONTEXT_KEYS.tracing, DEFAULT_OPTIONS.tracing),
    logRetentionDays: readNumber(read, CONTEXT_KEYS.logRetentionDays, DEFAULT_OPTIONS.logRetentionDays),
    admitUnknownStations: readBoolean(
      read,
      CONTEXT_KEYS.admitUnknownStations,
      DEFAULT_OPTIONS.admitUnknownStations,
    ),
    heartbeatIntervalSeconds: readNumber(
      read,
      CONTEXT_KEYS.heartbeatIntervalSeconds,
      DEFAULT_OPTIONS.heartbeatIntervalSeconds,
    ),
    configureApiGatewayLogsRole: readBoolean(
      read,
      CONTEXT_KEYS.configureApiGatewayLogsRole,
      DEFAULT_OPTIONS.configureApiGatewayLogsRole,
    ),
    eventBusName: readString(read, CONTEXT_KEYS.eventBusName) ?? defaultEventBusName(stage),
    ...(domainName !== undefined && certificateArn !== undefined
      ? {
          customDomain: {
            domainName,
            certificateArn,
            ...(hostedZoneId !== undefined && hostedZoneName !== undefined
              ? { hostedZone: { hostedZoneId, zoneName: hostedZoneName } }
              : {}),
          },
        }
      : {}),
    ...(webAclArn !== undefined ? { webAclArn } : {}),
  });
}
