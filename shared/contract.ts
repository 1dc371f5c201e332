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
  heartbeatIntervalSeconds: 'CSMS_HEARTBEAT_INTERVAL_SECONDS',
  /** How long a station has to answer a CALL of the CSMS before the command times out. */
  callTimeoutSeconds: 'CSMS_CALL_TIMEOUT_SECONDS',
  /** How long a command may wait in the queue (station offline or busy) before it times out. */
  queueTtlSeconds: 'CSMS_QUEUE_TTL_SECONDS',
  /** The call-deadline queue (DEADLINE_QUEUE); unset: only the minute sweep times calls out. */
  deadlineQueueUrl: 'CSMS_DEADLINE_QUEUE_URL',
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
 * A station identity (the last path segment of its WebSocket URL, and its id in the HTTP API).
 * 2.0.1 part 4 §3.1.1: an identifierString (a-z A-Z 0-9 * - _ = : + | @ .) of at most 48
 * characters, without ':' because it is also the Basic auth username. Applied to 1.6 too.
 */
export const STATION_ID = /^[A-Za-z0-9*\-_=+|@.]{1,48}$/;
