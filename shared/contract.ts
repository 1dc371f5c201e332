/**
 * The contract between the deployment (infra/topology.ts, which re-exports these) and the code it
 * runs: environment variable names, the event source, the station identity in URLs. It lives
 * below both so that shared/ and functions/ never import infra/.
 */

/** Environment variables the functions read (validated once in shared/aws/config.ts). */
export const ENV = {
  tableName: 'CSMS_TABLE_NAME',
  eventBusName: 'CSMS_EVENT_BUS_NAME',
  connectionsUrl: 'CSMS_CONNECTIONS_URL',
  originSecret: 'CSMS_ORIGIN_SECRET',
  /** Secret the api function derives its pagination cursor key from (docs/adr/0007-cursor-signing.md). */
  cursorSecret: 'CSMS_CURSOR_SECRET',
  admitUnknownStations: 'CSMS_ADMIT_UNKNOWN_STATIONS',
  /** At most this many admitted stations wait to be provisioned; more unknown ones are refused. */
  maxPendingStations: 'CSMS_MAX_PENDING_STATIONS',
  /** Unknown stations admitted from one source address per minute, at most. */
  admissionsPerAddressPerMinute: 'CSMS_ADMISSIONS_PER_ADDRESS_PER_MINUTE',
  heartbeatIntervalSeconds: 'CSMS_HEARTBEAT_INTERVAL_SECONDS',
  /** How long a station has to answer a CALL of the CSMS before the command times out. */
  callTimeoutSeconds: 'CSMS_CALL_TIMEOUT_SECONDS',
  /** How long a command may wait in the queue (station offline or busy) before it times out. */
  queueTtlSeconds: 'CSMS_QUEUE_TTL_SECONDS',
  /** The call-deadline queue (DEADLINE_QUEUE); unset: only the minute sweep times calls out. */
  deadlineQueueUrl: 'CSMS_DEADLINE_QUEUE_URL',
  /** Webhooks (api function): the role API destination targets run as (iam:PassRole). */
  webhookRoleArn: 'CSMS_WEBHOOK_ROLE_ARN',
  /** Webhooks: the SQS queue every subscription's target dead-letters to. */
  webhookDeadLetterQueueArn: 'CSMS_WEBHOOK_DLQ_ARN',
  /** Webhooks: the bus archive that replays and redrives read. */
  eventArchiveArn: 'CSMS_EVENT_ARCHIVE_ARN',
  /** Webhooks: how many subscriptions the API accepts (EventBridge: 300 rules per bus by default). */
  webhookLimit: 'CSMS_WEBHOOK_LIMIT',
  /** Webhooks: accept http:// endpoints on loopback (the local host only; EventBridge needs https). */
  webhookAllowLoopbackHttp: 'CSMS_WEBHOOK_ALLOW_LOOPBACK_HTTP',
  /** Cognito user pool whose access tokens the HTTP API accepts beside API keys (AWS dashboard). */
  cognitoUserPoolId: 'CSMS_COGNITO_USER_POOL_ID',
  /** The dashboard's app client in that pool (the `client_id` of its access tokens). */
  cognitoClientId: 'CSMS_COGNITO_CLIENT_ID',
  /** The firmware rollout state machine the api function starts and stops (functions/rollout). */
  rolloutStateMachineArn: 'CSMS_ROLLOUT_STATE_MACHINE_ARN',
  /** Station CA on AWS: the KMS asymmetric key (ECC_NIST_P256, SIGN_VERIFY) that signs (shared/pki/kms.ts). */
  caKmsKeyId: 'CSMS_CA_KMS_KEY_ID',
  /** Station CA, local host: the directory of ca.pem / ca-key.pem (shared/pki/local.ts). */
  caDir: 'CSMS_CA_DIR',
  /** Station CA, local host without a data dir: a CA in memory for the life of the process. */
  caInMemory: 'CSMS_CA_IN_MEMORY',
  /** When set, a CSR's subject O must be exactly this (and the CA certificate carries it). */
  certificateOrganization: 'CSMS_CERTIFICATE_ORGANIZATION',
  /** Validity of the station certificates the CA issues, in days. */
  certificateValidityDays: 'CSMS_CERTIFICATE_VALIDITY_DAYS',
  /** How long before an issued certificate expires the station is asked to renew it, in days. */
  certificateRenewalDays: 'CSMS_CERTIFICATE_RENEWAL_DAYS',
  /** Security profile 3: CA certificates (PEM text) whose station certificates are trusted (AWS). */
  clientCaPem: 'CSMS_CLIENT_CA_PEM',
  /** Security profile 3: PEM files of trusted CAs, joined by the path delimiter (local host). */
  clientCaFiles: 'CSMS_CLIENT_CA_FILES',
  /** Failed logins of one identity within the window after which it is throttled. */
  loginFailureLimit: 'CSMS_LOGIN_FAILURE_LIMIT',
  loginFailureWindowSeconds: 'CSMS_LOGIN_FAILURE_WINDOW_SECONDS',
  /** How long a throttled identity is refused (429 locally, 403 on AWS). */
  loginThrottleSeconds: 'CSMS_LOGIN_THROTTLE_SECONDS',
  /** What is published per meter sample: `every`, `periodic` or `none` (docs/events.md). */
  meterEvents: 'CSMS_METER_EVENTS',
  /** `periodic`: at most one transaction.updated.v1 per transaction in this many minutes. */
  meterEventMinutes: 'CSMS_METER_EVENT_MINUTES',
} as const;

/**
 * The CSMS's own CloudWatch metrics: Powertools Metrics (embedded metric format) in namespace
 * `namespace`, dimension `service` = POWERTOOLS_SERVICE_NAME (one per stage). The functions emit
 * them (shared/aws/observability.ts); the alarms and the dashboard (infra/cdk/constructs/operations.ts)
 * read them. All are counts.
 */
export const METRICS = {
  namespace: 'Csms',
  /** authorizer: a connection admitted / refused. */
  connectionsAuthorized: 'ConnectionsAuthorized',
  connectionsRefused: 'ConnectionsRefused',
  /** connect / disconnect: a station's connection opened / its current connection closed. */
  stationsConnected: 'StationsConnected',
  stationsDisconnected: 'StationsDisconnected',
  /** message: a frame answered normally / answered with a CALLERROR. */
  messagesHandled: 'MessagesHandled',
  callErrors: 'CallErrors',
  /** message: a CALL answered InternalError because its handling did not finish before the deadline. */
  lateMessages: 'LateMessages',
  /** api: a request answered 2xx-4xx / 5xx. */
  httpRequests: 'HttpRequests',
  httpServerErrors: 'HttpServerErrors',
  /** sweep: one run. */
  sweepRuns: 'SweepRuns',
  /** any function finishing a remote command, by final status. */
  commands: {
    completed: 'CommandsCompleted',
    rejected: 'CommandsRejected',
    failed: 'CommandsFailed',
    timeout: 'CommandsTimedOut',
  },
} as const;

export const EVENT_BUS = {
  /** `source` of every event the CSMS publishes. */
  source: 'csms',
} as const;

/** SQS DelaySeconds is at most 900: a call deadline further away is waited for in steps. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/** The query string parameter that carries the station identity to the authorizer. */
export const STATION_ID_PARAM = 'stationId';
/** Header CloudFront adds to origin requests; the authorizer refuses connections without it. */
export const ORIGIN_SECRET_HEADER = 'x-csms-origin-secret';

/**
 * What CloudFront tells the origin about the viewer's connection (origin request policy), and the
 * local gateway the same way: the protocol (`https` when the station came over TLS) and, with
 * viewer mTLS, the client certificate. Trusted only on requests that carried the origin secret.
 * https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/viewer-mtls-headers.html
 */
export const VIEWER_HEADERS = {
  forwardedProto: 'CloudFront-Forwarded-Proto',
  certPresent: 'CloudFront-Viewer-Cert-Present',
  /** The leaf certificate, URL-encoded PEM (origin requests only). */
  certPem: 'CloudFront-Viewer-Cert-Pem',
  certSerialNumber: 'CloudFront-Viewer-Cert-Serial-Number',
  certSubject: 'CloudFront-Viewer-Cert-Subject',
  certIssuer: 'CloudFront-Viewer-Cert-Issuer',
  certValidity: 'CloudFront-Viewer-Cert-Validity',
} as const;

/**
 * A station identity (the last path segment of its WebSocket URL, and its id in the HTTP API).
 * 2.0.1 part 4 §3.1.1: an identifierString (a-z A-Z 0-9 * - _ = : + | @ .) of at most 48
 * characters, without ':' because it is also the Basic auth username. Applied to 1.6 too.
 */
export const STATION_ID = /^[A-Za-z0-9*\-_=+|@.]{1,48}$/;
