/**
 * What both hosts deploy: the functions, the WebSocket and HTTP routes, the table and its index,
 * the event bus. The CDK stacks and the local host (infra/local) both read this module, and
 * test/infra/topology.test.ts holds the synthesized template against it, so they cannot drift.
 */
import { MAX_QUEUE_DELAY_SECONDS } from '../shared/contract.js';

// The part of the topology the code reads at run time lives in shared/contract.ts (below both).
export { ENV, EVENT_BUS, METRICS, ORIGIN_SECRET_HEADER, STATION_ID_PARAM } from '../shared/contract.js';
export { VIEWER_HEADERS } from '../shared/contract.js';

export type FunctionName =
  | 'authorizer'
  | 'connect'
  | 'message'
  | 'disconnect'
  | 'api'
  | 'calls'
  | 'sweep'
  | 'webhookDeadLetters'
  | 'rollout'
  | 'sites';

export interface FunctionSpec {
  /** Source file, relative to the repository root, that exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

export const FUNCTIONS: Readonly<Record<FunctionName, FunctionSpec>> = {
  authorizer: {
    entry: 'functions/ocpp/authorizer.ts',
    description: 'WebSocket $connect authorizer: station identity, HTTP Basic (security profiles 1/2)',
    memoryMb: 512, // scrypt verification is CPU bound; more memory buys more CPU
    timeoutSeconds: 10,
  },
  connect: {
    entry: 'functions/ocpp/connect.ts',
    description: 'WebSocket $connect: subprotocol negotiation, connection record',
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  message: {
    entry: 'functions/ocpp/message.ts',
    description: 'WebSocket $default: every OCPP frame from a station',
    memoryMb: 512,
    timeoutSeconds: 15,
  },
  disconnect: {
    entry: 'functions/ocpp/disconnect.ts',
    description: 'WebSocket $disconnect: connection closed',
    memoryMb: 256,
    timeoutSeconds: 10,
  },
  api: {
    entry: 'functions/api/handler.ts',
    description: 'HTTP API for operators and partners',
    memoryMb: 512,
    timeoutSeconds: 29,
  },
  calls: {
    entry: 'functions/calls/handler.ts',
    description:
      'Remote commands: times a call out at its deadline, sends what was queued once a station booted or connected',
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  sweep: {
    entry: 'functions/sweep/handler.ts',
    description:
      'Remote commands, every minute: times out overdue calls and expired commands, sends queued ones (the safety net)',
    memoryMb: 256,
    timeoutSeconds: 60,
  },
  webhookDeadLetters: {
    entry: 'functions/webhooks/dead-letters.ts',
    description: 'SQS: webhook deliveries EventBridge gave up on, kept per subscription for the HTTP API',
    memoryMb: 256,
    timeoutSeconds: 30,
  },
  rollout: {
    entry: 'functions/rollout/handler.ts',
    description: 'Firmware rollouts: the tasks of the rollout state machine (start a wave, poll it, gate it)',
    memoryMb: 512,
    timeoutSeconds: 120,
  },
  sites: {
    entry: 'functions/sites/handler.ts',
    description:
      "Site load management: recomputes a site's shares on its transactions, profile answers and time-of-use windows",
    memoryMb: 256,
    timeoutSeconds: 60, // under the site lease's 90 s (functions/sites/service.ts LEASE_TTL_MS)
  },
};

/** Functions run on a schedule (an EventBridge rule on AWS, a timer in the local host). */
export const SCHEDULES = [
  { function: 'sweep', everyMinutes: 1 },
  // Time-of-use windows begin and end on minutes: a site whose limit in force changed is recomputed.
  { function: 'sites', everyMinutes: 1 },
] as const satisfies readonly {
  readonly function: FunctionName;
  readonly everyMinutes: number;
}[];

/**
 * EventBridge rules on the CSMS bus whose target is a function (a rule on AWS, a subscriber of the
 * local bus that invokes the function). `command-pump`: a station that booted or connected gets
 * what was queued for it at once, not at its next message (docs/adr/0005-command-path.md).
 */
export const EVENT_RULES = [
  {
    name: 'command-pump',
    description: 'Sends the commands queued for a station once it has booted or connected',
    function: 'calls',
    source: 'csms',
    detailTypes: ['station.booted.v1', 'station.connected.v1'],
  },
  {
    name: 'site-recompute',
    description:
      "Recomputes the shares of a station's site when a transaction starts or ends, or a profile is answered",
    function: 'sites',
    source: 'csms',
    detailTypes: ['transaction.started.v1', 'transaction.ended.v1', 'command.completed.v1'],
  },
  {
    name: 'certificate-delivery',
    description: 'Sends CertificateSigned with the chain the station CA issued (SignCertificate accepted)',
    function: 'calls',
    source: 'csms',
    detailTypes: ['certificate.issued.v1'],
  },
] as const satisfies readonly {
  readonly name: string;
  readonly description: string;
  readonly function: FunctionName;
  readonly source: string;
  readonly detailTypes: readonly string[];
}[];

/**
 * The call-deadline queue: one message per CALL sent, delayed until its deadline (SQS DelaySeconds,
 * at most 900 s), consumed by `function`, which times the CALL out if the station has not answered
 * and sends the next command. Locally a timer per message (infra/local/deadline-queue.ts).
 */
export const DEADLINE_QUEUE = {
  function: 'calls',
  maxDelaySeconds: MAX_QUEUE_DELAY_SECONDS,
  batchSize: 10,
} as const satisfies {
  readonly function: FunctionName;
  readonly maxDelaySeconds: number;
  readonly batchSize: number;
};

/** API Gateway WebSocket route keys and the function behind each. */
export const WEBSOCKET_ROUTES = {
  $connect: 'connect',
  $default: 'message',
  $disconnect: 'disconnect',
} as const satisfies Record<string, FunctionName>;

/** The WebSocket API stage; the CloudFront function rewrites /ocpp/{stationId} to /{stage}. */
export const WEBSOCKET_STAGE = 'ocpp';

/** HTTP API routes (payload format 2.0), all served by the api function. */
export const HTTP_ROUTES = [
  { method: 'GET', path: '/health' },
  { method: 'ANY', path: '/v1/{proxy+}' },
] as const;

/** The one DynamoDB table (see shared/store/keys.ts for the item layout). */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** DynamoDB deletes expired items lazily; reads filter on it too (dynalite has no TTL). */
  ttlAttribute: 'expiresAt',
  indexes: [
    {
      name: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      // Keys only: updates to other attributes (heartbeats, status) never write to the index.
      projection: 'KEYS_ONLY',
    },
  ],
} as const;
