/**
 * Deployment options of the CSMS app: read from CDK context (`cdk synth -c key=value`, cdk.json) or
 * passed by tests, validated once here so that the stacks only ever see typed, checked values.
 */

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
  if (webAclArn !== undefined && !/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclArn)) {
    throw new CsmsOptionsError(`webAclArn must be the ARN of a CLOUDFRONT-scoped WAFv2 web ACL`);
  }
  return options;
}

/** Reads and validates the options from CDK context; anything absent takes its default. */
export function optionsFromContext(read: ContextReader): CsmsOptions {
  const domainName = readString(read, CONTEXT_KEYS.domainName);
  const certificateArn = readString(read, CONTEXT_KEYS.certificateArn);
  if ((domainName === undefined) !== (certificateArn === undefined)) {
    throw new CsmsOptionsError(`context domainName and certificateArn go together: give both or neither`);
  }
  const webAclArn = readString(read, CONTEXT_KEYS.webAclArn);
  return validateOptions({
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
