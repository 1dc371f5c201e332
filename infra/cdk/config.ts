/**
 * Deployment options of the CSMS app: read from CDK context (`cdk synth -c key=value`, cdk.json) or
 * passed by tests, validated once here so that the stacks only ever see typed, checked values.
 */

import { SecretValue } from 'aws-cdk-lib';
import { EVENTS, type EventType } from '../../shared/events/catalog.js';
import { patternErrors } from '../../shared/webhooks/pattern.js';
import type { PartnerWebhook, PartnerWebhookAuth } from './constructs/webhooks.js';

/** A custom domain for the station front door (CloudFront). */
export interface CustomDomain {
  /** e.g. `ocpp.example.com`; point a CNAME / alias at the distribution after deploying. */
  readonly domainName: string;
  /** ACM certificate for `domainName`; CloudFront only accepts certificates from us-east-1. */
  readonly certificateArn: string;
}

export interface CsmsOptions {
  /**
   * Admit stations that are not provisioned yet (their first connection creates the station as
   * pending); when false, the authorizer refuses unknown identities.
   * @default false
   */
  readonly admitUnknownStations: boolean;
  /**
   * HeartbeatInterval sent to stations, 10 to 590 s: API Gateway closes connections idle for
   * 10 minutes.
   * @default 300
   */
  readonly heartbeatIntervalSeconds: number;
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
   * @default 'csms'
   */
  readonly eventBusName: string;
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
}

/** HeartbeatInterval bounds, in seconds. */
export const HEARTBEAT_BOUNDS = { min: 10, max: 590 } as const;

export const DEFAULT_OPTIONS: CsmsOptions = {
  admitUnknownStations: false,
  heartbeatIntervalSeconds: 300,
  configureApiGatewayLogsRole: true,
  eventBusName: 'csms',
};

/** The context keys the app reads (`cdk synth -c admitUnknownStations=true`). */
export const CONTEXT_KEYS = {
  admitUnknownStations: 'admitUnknownStations',
  heartbeatIntervalSeconds: 'heartbeatIntervalSeconds',
  domainName: 'domainName',
  certificateArn: 'certificateArn',
  webAclArn: 'webAclArn',
  configureApiGatewayLogsRole: 'configureApiGatewayLogsRole',
  eventBusName: 'eventBusName',
  webhooks: 'webhooks',
  webhookLimit: 'webhookLimit',
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
  return options;
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
  const webhooks = readWebhooks(read);
  const webhookLimit = read(CONTEXT_KEYS.webhookLimit);
  return validateOptions({
    ...(webhooks ? { webhooks } : {}),
    ...(webhookLimit !== undefined ? { webhookLimit: readNumber(read, CONTEXT_KEYS.webhookLimit, 250) } : {}),
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
    eventBusName: readString(read, CONTEXT_KEYS.eventBusName) ?? DEFAULT_OPTIONS.eventBusName,
    ...(domainName !== undefined && certificateArn !== undefined
      ? { customDomain: { domainName, certificateArn } }
      : {}),
    ...(webAclArn !== undefined ? { webAclArn } : {}),
  });
}
