/**
 * The local host: one Node process serving the same Lambda handlers as AWS (see "One code, two
 * hosts" in the architecture). One HTTP server on one port carries the station gateway
 * (`/ocpp/{stationId}`), its `@connections` API, the HTTP API (`/v1/...`), `/health` and the dashboard (`/`, static files of web/dist);
 * dynalite and the event bus listen on loopback ports of their own, reached by the functions'
 * AWS SDK clients through the standard endpoint variables.
 *
 * The environment and the functions' SDK clients are process-global: one host per process.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import {
  DEADLINE_QUEUE,
  ENV,
  EVENT_BUS,
  FUNCTIONS,
  SCHEDULES,
  WEBSOCKET_STAGE,
  type FunctionName,
} from '../topology.js';
import { generateToken } from '../../shared/auth/secrets.js';
import { ApiKeyStore } from '../../shared/store/api-keys.js';
import { ensureTable, startDynamo, type LocalDynamo } from './dynamodb.js';
import {
  jsonLinesFile,
  startEventBus,
  summarize,
  type EventEnvelope,
  type LocalEventBus,
} from './event-bus.js';
import { startDeadlineQueue, type LocalDeadlineQueue } from './deadline-queue.js';
import { functionRules } from './function-rules.js';
import type { AdmissionOptions } from './admission.js';
import { recoverRollouts, startStepFunctions, type LocalStepFunctions } from './step-functions.js';
import { createStore } from '../../shared/store/index.js';
import { WebSocketGateway } from './gateway.js';
import { answerClientError, HttpApi, writeJson } from './http-api.js';
import { LocalFunction, loadFunction, type Handler } from './lambda.js';
import type { HostInstrumentation } from './instrumentation.js';
import { createHostLog, type HostLog } from './log.js';
import type { DeadLetterMessage, WebhookDeliveryOptions, WebhookStats } from './webhook-delivery.js';
import { serveStatic } from './static-site.js';
import { readConfig } from '../../shared/aws/config.js';
import { fileAuthority } from '../../shared/pki/local.js';
import { authorityOptions } from '../../shared/pki/select.js';
import { startTlsListener, type TlsListenerOptions } from './tls-listener.js';
import type { ClientCertificateTrust } from '../../functions/ocpp/client-certificate.js';
import { useClientCertificateTrust } from '../../functions/ocpp/client-certificate-trust.js';

export type { Handler } from './lambda.js';
export type { EventEnvelope } from './event-bus.js';
/** An event as published on the bus (the EventBridge envelope). */
export type RecordedEvent = EventEnvelope;

export const TABLE_NAME = 'csms';
export const EVENT_BUS_NAME = 'csms';
export const API_TOKEN_FILE = 'api-token';
/** The secret pagination cursors are signed with (docs/adr/0007-cursor-signing.md). */
export const CURSOR_SECRET_FILE = 'cursor-secret';
export const EVENTS_FILE = 'events.jsonl';
/** Webhook control plane (connections with their secrets, mode 0600) and queued deliveries. */
export const WEBHOOKS_DIR = 'webhooks';
/** The station CA: `ca.pem` (certificate) and `ca-key.pem` (mode 0600), shared/pki/local.ts. */
export const PKI_DIR = 'pki';
/** The ARNs the api function is given for webhooks (the local bus accepts them). */
export const LOCAL_WEBHOOK_ARNS = {
  targetRole: 'arn:aws:iam::000000000000:role/csms-webhook-targets',
  deadLetterQueue: 'arn:aws:sqs:us-east-1:000000000000:csms-webhook-dead-letters',
  archive: 'arn:aws:events:us-east-1:000000000000:archive/csms',
} as const;
/** How many recent events `host.events` keeps in memory. */
export const MAX_RECORDED_EVENTS = 10_000;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

export interface LocalHostOptions {
  /** Port of the one HTTP/WebSocket server; 0 picks a free one. Default 8080. */
  readonly port?: number | undefined;
  /** Address to listen on. Default 127.0.0.1. */
  readonly host?: string | undefined;
  /** DynamoDB data, the API token and the event log live here. Default `.data`. */
  readonly dataDir?: string | undefined;
  /** No data dir: DynamoDB in memory, nothing written to disk (tests). */
  readonly inMemory?: boolean | undefined;
  /** The admin API token; default CSMS_API_TOKEN, then `{dataDir}/api-token`, then a new one. */
  readonly apiToken?: string | undefined;
  /** A read-only (viewer) API token to create as well; default CSMS_VIEWER_API_TOKEN, else none. */
  readonly viewerApiToken?: string | undefined;
  /** CSMS_ADMIT_UNKNOWN_STATIONS for the functions. Default false. */
  readonly admitUnknownStations?: boolean | undefined;
  /** CSMS_HEARTBEAT_INTERVAL_SECONDS for the functions (their default when unset). */
  readonly heartbeatIntervalSeconds?: number | undefined;
  /** CSMS_METER_EVENTS of the functions (docs/events.md); default: the variable, else periodic. */
  readonly meterEvents?: 'every' | 'periodic' | 'none' | undefined;
  /** CSMS_CALL_TIMEOUT_SECONDS: how long a station has to answer a CALL (their default when unset). */
  readonly callTimeoutSeconds?: number | undefined;
  /** CSMS_QUEUE_TTL_SECONDS: how long a command may wait for its station (their default when unset). */
  readonly queueTtlSeconds?: number | undefined;
  /** CSMS_CERTIFICATE_VALIDITY_DAYS: validity of issued station certificates (their default when unset). */
  readonly certificateValidityDays?: number | undefined;
  /** CSMS_CERTIFICATE_RENEWAL_DAYS: renewal lead time (their default when unset). */
  readonly certificateRenewalDays?: number | undefined;
  /**
   * How often the scheduled functions run (topology SCHEDULES; on AWS an EventBridge schedule of
   * `everyMinutes`). Default: their schedule; tests use a fraction of a second.
   */
  readonly sweepIntervalMs?: number | undefined;
  /** API Gateway closes connections without a message from the client for this long. Default 10 min. */
  readonly idleTimeoutMs?: number | undefined;
  /** API Gateway closes every connection after this long. Default 2 h. */
  readonly maxConnectionMs?: number | undefined;
  /** No output from the host; the functions' log level becomes SILENT unless `logLevel` says otherwise. */
  readonly quiet?: boolean | undefined;
  /** POWERTOOLS_LOG_LEVEL of the functions. Default WARN (SILENT when quiet). */
  readonly logLevel?: LogLevel | undefined;
  /**
   * Replaces functions by in-process handlers (tests of the host itself). Each one not given is
   * imported from its topology entry, as in production.
   */
  readonly handlers?: Partial<Record<FunctionName, Handler>> | undefined;
  /**
   * Function timeouts other than the topology's (tests: a deadline reached in seconds, not in
   * the 15 s of the message function).
   */
  readonly functionTimeoutsSeconds?: Partial<Record<FunctionName, number>> | undefined;
  /** Handshake admission on the gateway (./admission.ts); defaults sized for this machine. */
  readonly admission?: AdmissionOptions | undefined;
  /** Webhook delivery: retry delays, timeout, queue bound (tests make retries fast). */
  readonly webhooks?: WebhookDeliveryOptions | undefined;
  /** CSMS_WEBHOOK_LIMIT: most subscriptions the API accepts. Default 250. */
  readonly webhookLimit?: number | undefined;
  /** Benchmark instrumentation (bench/); none by default. See ./instrumentation.ts. */
  readonly instrumentation?: HostInstrumentation | undefined;
  /** Also serve `wss://` (CSMS_TLS_CERT, CSMS_TLS_KEY, CSMS_TLS_PORT): ./tls-listener.ts. */
  readonly tls?: TlsListenerOptions | undefined;
  /** Extra PEM files of CAs trusted for station client certificates (CSMS_TLS_CLIENT_CA). */
  readonly clientCaFiles?: readonly string[] | undefined;
  /** Replaces the trust in client certificates (tests): CA certificates and registry status. */
  readonly clientCertificateTrust?: ClientCertificateTrust | undefined;
  /** Failed-login throttling (CSMS_LOGIN_FAILURE_LIMIT, ..._WINDOW_SECONDS, CSMS_LOGIN_THROTTLE_SECONDS). */
  readonly loginThrottle?:
    | { readonly limit?: number; readonly windowSeconds?: number; readonly throttleSeconds?: number }
    | undefined;
}

export interface LocalHost {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly httpUrl: string;
  /** `ws://127.0.0.1:PORT/ocpp`: stations connect to `${wsUrl}/${stationId}`. */
  readonly wsUrl: string;
  /** `wss://127.0.0.1:TLSPORT/ocpp` when the TLS listener runs (options.tls), else undefined. */
  readonly wssUrl: string | undefined;
  readonly tlsPort: number | undefined;
  readonly apiToken: string;
  /** Absolute data dir; undefined in memory. */
  readonly dataDir: string | undefined;
  /** The local Step Functions endpoint (firmware rollouts): its state transitions count the cost. */
  readonly stepFunctions: Pick<LocalStepFunctions, 'transitions' | 'running'>;
  /** The events published to the bus, in order: the latest MAX_RECORDED_EVENTS (all are in events.jsonl). */
  readonly events: RecordedEvent[];
  /** Webhook delivery counters (delivered, retried, dead-lettered, overflowed, queued). */
  webhookStats(): WebhookStats;
  /** Closes connections (running $disconnect), waits for running invocations, stops everything. */
  close(): Promise<void>;
}

let hostActive = false;

/**
 * Ports a previous host in this process used, once real function modules were loaded: they
 * keep their SDK clients and configuration (endpoints, @connections URL) for the life of the
 * process, so a later host must serve the same addresses.
 */
const sticky: {
  dynamoPort?: number;
  busPort?: number;
  deadlinePort?: number;
  sfnPort?: number;
  port?: number;
} = {};
let realFunctionsLoaded = false;

export async function startLocalHost(options: LocalHostOptions = {}): Promise<LocalHost> {
  if (hostActive) {
    throw new Error(
      'A local host is already running in this process: close() it first (the environment and the ' +
        "functions' AWS clients are process-global).",
    );
  }
  hostActive = true;
  const cleanup: Array<() => Promise<void>> = [];
  try {
    return await start(options, cleanup);
  } catch (error) {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
    hostActive = false;
    throw error;
  }
}

async function start(options: LocalHostOptions, cleanup: Array<() => Promise<void>>): Promise<LocalHost> {
  polyfillPromiseWithResolvers();
  const log = createHostLog({ quiet: options.quiet });
  const dataDir = options.inMemory ? undefined : resolve(options.dataDir ?? '.data');
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });

  const requestedPort = options.port ?? 8080;
  if (
    realFunctionsLoaded &&
    sticky.port !== undefined &&
    requestedPort !== 0 &&
    requestedPort !== sticky.port
  ) {
    throw new Error(
      `This process already served the functions on port ${sticky.port}; they keep that @connections URL. ` +
        'Use the same port (or 0) for another host in this process.',
    );
  }

  // DynamoDB
  const dynamo: LocalDynamo = await startDynamo({
    path: dataDir === undefined ? undefined : join(dataDir, 'dynamodb'),
    port: realFunctionsLoaded ? sticky.dynamoPort : undefined,
  });
  cleanup.push(() => dynamo.close());

  // Event bus
  const events: RecordedEvent[] = [];
  const functions = {} as Record<FunctionName, LocalFunction>;
  const webhooksDir = dataDir === undefined ? undefined : join(dataDir, WEBHOOKS_DIR);
  const bus: LocalEventBus = await startEventBus({
    busName: EVENT_BUS_NAME,
    port: realFunctionsLoaded ? sticky.busPort : undefined,
    onSubscriberError: (error, event) => log.error('event subscriber failed', { error, eventId: event.id }),
    log,
    controlPlaneFile: webhooksDir && join(webhooksDir, 'control-plane.json'),
    deliveriesFile: webhooksDir && join(webhooksDir, 'deliveries.json'),
    delivery: options.webhooks,
    archiveFile: dataDir === undefined ? undefined : join(dataDir, EVENTS_FILE),
    // The CDK archive's pattern (infra/cdk/constructs/events.ts).
    archivePattern: { source: [EVENT_BUS.source] },
    invokeFunction: async (name, event) => {
      const fn = Object.values(functions).find((f) => f.functionName === name);
      if (!fn) throw new Error(`No function ${name} for a rule target`);
      return fn.invoke(event);
    },
  });
  bus.subscribe((event) => {
    // A long-running npm start must not grow without bound: keep the latest ones in memory.
    if (events.push(event) > MAX_RECORDED_EVENTS * 1.1) events.splice(0, events.length - MAX_RECORDED_EVENTS);
  });
  if (dataDir !== undefined) {
    const file = jsonLinesFile(join(dataDir, EVENTS_FILE), (error) =>
      log.error(`cannot append to ${EVENTS_FILE}`, { error }),
    );
    bus.subscribe(file.subscriber);
    cleanup.push(() => file.close());
  }
  bus.subscribe((event) => log.line(summarize(event)));
  cleanup.push(() => bus.close());

  // The functions are loaded below; the rules and the deadline queue invoke them.
  const invoke = (name: FunctionName, event: unknown): Promise<unknown> =>
    functions[name] ? functions[name].invoke(event) : Promise.resolve(undefined);
  // topology EVENT_RULES: rules whose target is a function.
  bus.subscribe(functionRules(invoke, (error, rule) => log.error(`event rule ${rule} failed`, { error })));
  // topology DEADLINE_QUEUE: a timer per CALL sent, at its deadline.
  const deadlineQueue: LocalDeadlineQueue = await startDeadlineQueue({
    consume: (event) => invoke(DEADLINE_QUEUE.function, event),
    onError: (error) => log.error('call deadline failed', { error }),
    port: realFunctionsLoaded ? sticky.deadlinePort : undefined,
  });
  cleanup.push(() => deadlineQueue.close());
  // Firmware rollouts: the state machine runs here, its tasks in the rollout function.
  const stepFunctions = await startStepFunctions({
    invokeTask: (input) => invoke('rollout', input),
    onError: (error, execution) => log.error('rollout execution failed', { error, execution }),
    port: realFunctionsLoaded ? sticky.sfnPort : undefined,
  });
  cleanup.push(() => stepFunctions.close());

  // The one HTTP server: gateway, @connections, HTTP API, health
  let ready = false;
  let domainName = '';
  const gateway = new WebSocketGateway({
    log,
    domainName: () => domainName,
    idleTimeoutMs: options.idleTimeoutMs,
    maxConnectionMs: options.maxConnectionMs,
    observer: options.instrumentation?.gateway,
    admission: options.admission,
  });
  const httpApi = new HttpApi({ log, domainName: () => domainName });
  const server = createServer((req, res) => void route(req, res));
  server.on('clientError', answerClientError);
  server.on('upgrade', (req: IncomingMessage, socket, head: Buffer) =>
    gateway.handleUpgrade(req, socket, head),
  );
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    try {
      if (WebSocketGateway.isManagementPath(pathname)) return await gateway.handleManagement(req, res);
      if (pathname === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
        return writeJson(res, ready ? 200 : 503, { status: ready ? 'ok' : 'starting' });
      }
      if (HttpApi.matches(pathname)) return await httpApi.handle(req, res);
      if (!pathname.startsWith('/v1/') && (await serveStatic(req, res, pathname))) return;
      writeJson(res, 404, {
        error: { code: 'not_found', message: `No route for ${req.method} ${pathname}` },
      });
    } catch (error) {
      log.error('request failed', { error, path: pathname });
      if (!res.headersSent) writeJson(res, 500, { message: 'Internal Server Error' });
      else res.destroy();
    }
  };
  const listenPort = requestedPort === 0 && realFunctionsLoaded ? (sticky.port ?? 0) : requestedPort;
  const bindHost = options.host ?? '127.0.0.1';
  await listen(server, listenPort, bindHost);
  let serverClosed: Promise<void> | undefined;
  const stopListening = (): Promise<void> =>
    (serverClosed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    }));
  cleanup.push(async () => {
    const closed = stopListening();
    server.closeAllConnections();
    await closed;
  });
  const port = (server.address() as AddressInfo).port;
  // wss:// beside ws://: the same routes, the gateway tells them apart by the socket.
  const tlsListener = options.tls
    ? await startTlsListener(options.tls, bindHost, {
        request: (req, res) => void route(req, res),
        upgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
      })
    : undefined;
  if (tlsListener) cleanup.push(tlsListener.close);
  const urlHost = ['0.0.0.0', '::', '127.0.0.1'].includes(bindHost)
    ? '127.0.0.1'
    : bindHost.includes(':')
      ? `[${bindHost}]`
      : bindHost;
  domainName = `${urlHost}:${port}`;
  const httpUrl = `http://${domainName}`;

  // What the functions read, set before any of them is imported.
  const redirect = options.instrumentation?.endpoint;
  setFunctionEnvironment({
    dynamoEndpoint: redirect ? await redirect('dynamodb', dynamo.endpoint) : dynamo.endpoint,
    busEndpoint: redirect ? await redirect('eventbridge', bus.endpoint) : bus.endpoint,
    connectionsUrl: `${httpUrl}/${WEBSOCKET_STAGE}`,
    deadlineQueueUrl: deadlineQueue.queueUrl,
    sfnEndpoint: stepFunctions.endpoint,
    rolloutStateMachineArn: stepFunctions.stateMachineArn,
    cursorSecret: await resolveCursorSecret(dataDir),
    caDir: dataDir === undefined ? undefined : join(dataDir, PKI_DIR),
    options,
  });
  // The station CA: created on first start in the data dir, like the API token (shared/pki/local.ts);
  // the wss:// listener's trust anchor is its ca.pem.
  if (dataDir !== undefined) {
    await fileAuthority(
      join(dataDir, PKI_DIR),
      authorityOptions(readConfig(), () => new Date()),
    );
  }
  // Profile 3: the local CA (<dataDir>/pki/ca.pem, made on first start) and any extra CA files.
  process.env[ENV.clientCaFiles] = [
    ...(dataDir === undefined ? [] : [join(dataDir, 'pki', 'ca.pem')]),
    ...(options.clientCaFiles ?? []),
  ].join(delimiter);
  for (const [name, value] of [
    [ENV.loginFailureLimit, options.loginThrottle?.limit],
    [ENV.loginFailureWindowSeconds, options.loginThrottle?.windowSeconds],
    [ENV.loginThrottleSeconds, options.loginThrottle?.throttleSeconds],
  ] as const) {
    if (value !== undefined) process.env[name] = String(value);
    else delete process.env[name];
  }
  useClientCertificateTrust(options.clientCertificateTrust);
  cleanup.push(() => Promise.resolve(useClientCertificateTrust(undefined)));

  // The functions
  for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
    const override = options.handlers?.[name];
    const timeoutSeconds = options.functionTimeoutsSeconds?.[name] ?? FUNCTIONS[name].timeoutSeconds;
    const spec = { ...FUNCTIONS[name], timeoutSeconds };
    if (override) {
      functions[name] = new LocalFunction(name, spec, override);
    } else {
      functions[name] = await loadFunction(name, spec);
      realFunctionsLoaded = true;
    }
    functions[name].wrapInvocations(options.instrumentation?.invocations);
  }
  if (realFunctionsLoaded)
    Object.assign(sticky, {
      dynamoPort: dynamo.port,
      busPort: bus.port,
      deadlinePort: deadlineQueue.port,
      sfnPort: stepFunctions.port,
      port,
    });

  // The table and the admin API key
  await ensureTable(dynamo.client, TABLE_NAME);
  const apiToken = await resolveApiToken(options.apiToken, dataDir);
  const keys = new ApiKeyStore({ db: dynamo.documentClient, tableName: TABLE_NAME });
  if ((await keys.verify(apiToken)) === undefined) await keys.put(apiToken, 'admin', new Date());
  const viewerToken = options.viewerApiToken ?? (process.env.CSMS_VIEWER_API_TOKEN || undefined);
  if (viewerToken !== undefined && (await keys.verify(viewerToken)) === undefined) {
    await keys.put(viewerToken, 'viewer', new Date(), 'viewer');
  }

  gateway.setFunctions(functions);
  httpApi.setFunction(functions.api);
  // The dead-letter queue's event source mapping: batches of SQS records, partial failures.
  bus.webhooks.setDeadLetterConsumer(async (messages) => {
    const result = (await functions.webhookDeadLetters.invoke({ Records: messages.map(sqsRecord) })) as {
      batchItemFailures?: { itemIdentifier: string }[];
    } | null;
    return (result?.batchItemFailures ?? []).map((f) => f.itemIdentifier);
  });
  const timers = startSchedules(functions, options.sweepIntervalMs, log);
  // No execution survives a restart: rollouts stored as running continue from stored progress.
  await recoverRollouts(
    createStore({ db: dynamo.documentClient, tableName: TABLE_NAME }),
    async (input) => stepFunctions.startExecution(input),
    (error, rolloutId) => log.error('rollout could not be restarted', { error, rolloutId }),
  );
  ready = true;

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    ready = false;
    for (const timer of timers) clearInterval(timer);
    await deadlineQueue.close();
    await stepFunctions.close();
    httpApi.setFunction(undefined);
    bus.webhooks.setDeadLetterConsumer(undefined);
    await gateway.close();
    void stopListening(); // in-flight HTTP API requests may finish
    await Promise.all(Object.values(functions).map((fn) => fn.drain()));
    for (const step of cleanup.reverse()) await step();
    hostActive = false;
  };
  return {
    port,
    httpUrl,
    wsUrl: `ws://${domainName}/${WEBSOCKET_STAGE}`,
    wssUrl: tlsListener ? `wss://${urlHost}:${tlsListener.port}/${WEBSOCKET_STAGE}` : undefined,
    tlsPort: tlsListener?.port,
    apiToken,
    dataDir,
    events,
    webhookStats: () => ({ ...bus.webhooks.stats }),
    stepFunctions,
    close: () => (closing ??= close()),
  };
}

/**
 * Runs each scheduled function (topology SCHEDULES) on a timer with an EventBridge "Scheduled
 * Event", one invocation at a time (a tick while the previous one runs is skipped).
 */
function startSchedules(
  functions: Record<FunctionName, LocalFunction>,
  intervalMs: number | undefined,
  log: HostLog,
): NodeJS.Timeout[] {
  return SCHEDULES.map((schedule) => {
    const fn = functions[schedule.function];
    let running = false;
    const timer = setInterval(
      () => {
        if (running) return;
        running = true;
        fn.invoke({
          version: '0',
          id: randomUUID(),
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: '000000000000',
          time: new Date().toISOString(),
          region: 'us-east-1',
          resources: [`arn:aws:events:us-east-1:000000000000:rule/csms-${schedule.function}`],
          detail: {},
        })
          .catch((error: unknown) => log.error(`scheduled ${schedule.function} failed`, { error }))
          .finally(() => {
            running = false;
          });
      },
      intervalMs ?? schedule.everyMinutes * 60_000,
    );
    timer.unref();
    return timer;
  });
}

function setFunctionEnvironment(input: {
  dynamoEndpoint: string;
  busEndpoint: string;
  connectionsUrl: string;
  deadlineQueueUrl: string;
  sfnEndpoint: string;
  rolloutStateMachineArn: string;
  cursorSecret: string;
  /** The station CA's directory; undefined: a CA in memory. */
  caDir: string | undefined;
  options: LocalHostOptions;
}): void {
  const { options } = input;
  const env = process.env;
  env.AWS_REGION = 'us-east-1';
  env.AWS_DEFAULT_REGION = 'us-east-1';
  env.AWS_ACCESS_KEY_ID = 'local';
  env.AWS_SECRET_ACCESS_KEY = 'local';
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
  env.AWS_ENDPOINT_URL_DYNAMODB = input.dynamoEndpoint;
  env.AWS_ENDPOINT_URL_EVENTBRIDGE = input.busEndpoint;
  env[ENV.tableName] = TABLE_NAME;
  env[ENV.eventBusName] = EVENT_BUS_NAME;
  env[ENV.connectionsUrl] = input.connectionsUrl;
  env[ENV.deadlineQueueUrl] = input.deadlineQueueUrl;
  env.AWS_ENDPOINT_URL_SQS = new URL(input.deadlineQueueUrl).origin;
  env.AWS_ENDPOINT_URL_SFN = input.sfnEndpoint;
  env[ENV.rolloutStateMachineArn] = input.rolloutStateMachineArn;
  delete env[ENV.originSecret]; // no CloudFront locally
  env[ENV.cursorSecret] = input.cursorSecret;
  env[ENV.admitUnknownStations] = options.admitUnknownStations ? 'true' : 'false';
  if (options.meterEvents !== undefined) env[ENV.meterEvents] = options.meterEvents;
  if (options.heartbeatIntervalSeconds !== undefined) {
    env[ENV.heartbeatIntervalSeconds] = String(options.heartbeatIntervalSeconds);
  } else {
    delete env[ENV.heartbeatIntervalSeconds];
  }
  delete env[ENV.caKmsKeyId];
  if (input.caDir !== undefined) {
    env[ENV.caDir] = input.caDir;
    delete env[ENV.caInMemory];
  } else {
    delete env[ENV.caDir];
    env[ENV.caInMemory] = 'true';
  }
  for (const [name, value] of [
    [ENV.callTimeoutSeconds, options.callTimeoutSeconds],
    [ENV.queueTtlSeconds, options.queueTtlSeconds],
    [ENV.certificateValidityDays, options.certificateValidityDays],
    [ENV.certificateRenewalDays, options.certificateRenewalDays],
  ] as const) {
    if (value !== undefined) env[name] = String(value);
    else delete env[name];
  }
  env[ENV.webhookRoleArn] = LOCAL_WEBHOOK_ARNS.targetRole;
  env[ENV.webhookDeadLetterQueueArn] = LOCAL_WEBHOOK_ARNS.deadLetterQueue;
  env[ENV.eventArchiveArn] = LOCAL_WEBHOOK_ARNS.archive;
  env[ENV.webhookAllowLoopbackHttp] = 'true';
  if (options.webhookLimit !== undefined) env[ENV.webhookLimit] = String(options.webhookLimit);
  else delete env[ENV.webhookLimit];
  env.POWERTOOLS_LOG_LEVEL = options.logLevel ?? (options.quiet ? 'SILENT' : 'WARN');
  // Powertools Metrics would print an EMF JSON blob per invocation: CloudWatch's job, not ours.
  env.POWERTOOLS_METRICS_DISABLED = 'true';
  for (const [name, value] of Object.entries(options.instrumentation?.environment ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
}

/**
 * The cursor secret saved in the data dir, or a new one (saved there, like the API token), so
 * that cursors stay good across restarts; a new one per run without a data dir.
 */
async function resolveCursorSecret(dataDir: string | undefined): Promise<string> {
  if (dataDir === undefined) return randomBytes(32).toString('base64url');
  const file = join(dataDir, CURSOR_SECRET_FILE);
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved.length >= 32) return saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/** A dead letter as the SQS event source mapping hands it to a function. */
function sqsRecord(message: DeadLetterMessage) {
  return {
    messageId: message.messageId,
    receiptHandle: message.messageId,
    body: message.body,
    attributes: {
      ...message.attributes,
      SenderId: 'events.amazonaws.com',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: message.messageAttributes,
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: LOCAL_WEBHOOK_ARNS.deadLetterQueue,
    awsRegion: 'us-east-1',
  };
}

/** The option, CSMS_API_TOKEN, the token saved in the data dir, or a new one (saved there). */
async function resolveApiToken(option: string | undefined, dataDir: string | undefined): Promise<string> {
  const given = option ?? process.env.CSMS_API_TOKEN;
  if (given !== undefined && given !== '') return given;
  if (dataDir === undefined) return generateToken();
  const file = join(dataDir, API_TOKEN_FILE);
  try {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved !== '') return saved;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = generateToken();
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} on ${host} is in use: stop what uses it or set PORT (0 picks a free one).`,
            )
          : error,
      );
    };
    server.once('error', failed);
    // A fleet reconnecting at once opens a thousand TCP connections together: a deep accept queue
    // lets the gateway answer each (503 + Retry-After at worst) instead of the kernel resetting them.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', failed);
      resolve();
    });
  });
}

/** aws-local-stepfunctions needs Promise.withResolvers (Node 22); Node 20 lacks it. */
function polyfillPromiseWithResolvers(): void {
  const P = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
