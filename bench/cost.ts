/**
 * Benchmark 1: cost per station-month on AWS. One station runs through simulated days of the
 * profile (bench/lib/profile.ts) against the metered local host (bench/host/meter.ts); each day
 * is one run. Every billable operation is counted per day and per message type, then priced
 * (bench/lib/prices.ts) per station-month.
 */
import { randomUUID } from 'node:crypto';
import { FUNCTIONS, SCHEDULES, type FunctionName } from '../infra/topology.js';
import type { LabelCounters, MeterSnapshot } from './host/meter.js';
import { forkChild } from './lib/ipc.js';
import { CONNECTION_SECONDS, DAY_SECONDS, DAYS_PER_MONTH, ID_TAG, type Protocol } from './lib/profile.js';
import { cost, GB, type PriceKey } from './lib/prices.js';
import { DEPLOYED_LOG_LEVEL } from './host/meter.js';

export const PASSWORD = 'bench-password-0123456789';
/** The longest HeartbeatInterval the CSMS accepts (shared/aws/config.ts): under API Gateway's 10-minute idle timeout. */
export const LONGEST_HEARTBEAT_SECONDS = 590;

/** CloudWatch Logs counts 26 bytes of metadata per log event. */
const LOG_EVENT_OVERHEAD = 26;
/** Partner webhooks in the profile, each subscribed to every event (an API destination each). */
export const PROFILE_WEBHOOKS = 1;
/** Modelled in-region latencies for the sensitivity row (not measured). */
export const MODEL_LATENCY_MS = { dynamodb: 5, putEvents: 15 };

export interface DayRun {
  readonly snapshot: MeterSnapshot;
  readonly calls: Record<string, number>;
  readonly errors: string[];
}

export interface CostRun {
  readonly protocol: Protocol;
  readonly heartbeatInterval: number;
  readonly days: DayRun[];
  readonly seconds: number;
}

export async function runCost(protocol: Protocol, days: number): Promise<CostRun> {
  const started = performance.now();
  const host = await forkChild(new URL('./host/host-process.ts', import.meta.url), {
    args: ['--meter'],
    execArgv: ['--no-warnings'],
  });
  const gen = await forkChild(new URL('./load/loadgen.ts', import.meta.url));
  try {
    const stationId = `CS-COST-${protocol === 'ocpp1.6' ? '16' : '201'}`;
    await host.call('provision', { ids: [stationId], password: PASSWORD, idTags: [ID_TAG] });
    // Back-dated: every simulated timestamp lies in the past.
    const epochMs = Date.now() - (days + 3) * DAY_SECONDS * 1000;
    const { heartbeatInterval } = await gen.call('daySetup', {
      wsUrl: host.info.wsUrl,
      stationId,
      password: PASSWORD,
      protocol,
      epochMs,
    });
    const runs: DayRun[] = [];
    await settle();
    for (let day = 1; day <= days; day++) {
      await host.call('reset');
      const { calls, errors } = await gen.call('dayRun', { day });
      await settle(); // the last $disconnect of the day runs after the close
      runs.push({ snapshot: await host.call('snapshot'), calls, errors });
    }
    return { protocol, heartbeatInterval, days: runs, seconds: (performance.now() - started) / 1000 };
  } finally {
    await gen.stop();
    await host.stop();
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

// ------------------------------------------------------------------ pricing

export type Component =
  | 'apigwMessages'
  | 'apigwConnectionMinutes'
  | 'lambdaRequests'
  | 'lambdaDuration'
  | 'dynamoWrites'
  | 'dynamoReads'
  | 'dynamoStorage'
  | 'eventsCustom'
  | 'eventsApiDestinations'
  | 'eventsArchive'
  | 'stepFunctions'
  | 'logs'
  | 'cloudfront';

export const COMPONENTS: { key: Component; name: string; unit: string }[] = [
  { key: 'apigwMessages', name: 'API Gateway messages (in + out)', unit: 'messages' },
  { key: 'apigwConnectionMinutes', name: 'API Gateway connection-minutes', unit: 'minutes' },
  { key: 'lambdaRequests', name: 'Lambda requests', unit: 'invocations' },
  { key: 'lambdaDuration', name: 'Lambda duration (arm64, measured locally)', unit: 'GB-s' },
  { key: 'dynamoWrites', name: 'DynamoDB writes (table + index)', unit: 'WRU' },
  { key: 'dynamoReads', name: 'DynamoDB reads', unit: 'RRU' },
  { key: 'dynamoStorage', name: 'DynamoDB storage (a month of data, kept a month)', unit: 'GB-month' },
  { key: 'eventsCustom', name: 'EventBridge events', unit: 'events' },
  { key: 'eventsApiDestinations', name: 'EventBridge API destinations', unit: 'invocations' },
  { key: 'eventsArchive', name: 'EventBridge archive (30 days, for replay)', unit: 'GB' },
  { key: 'stepFunctions', name: 'Step Functions', unit: 'transitions' },
  { key: 'logs', name: 'CloudWatch Logs ingestion', unit: 'GB' },
  { key: 'cloudfront', name: 'CloudFront (requests, function, transfer)', unit: 'requests' },
];

export interface Priced {
  /** Per station-day. */
  readonly quantity: number;
  /** Dollars per station-month. */
  readonly usd: number;
}

/** One simulated day, counted and priced. */
export interface DayCost {
  readonly components: Record<Component, Priced>;
  readonly totalUsd: number;
  /**
   * What API Gateway alone bills for this day's traffic (issue 14): connection-minutes plus every
   * inbound message and its answer. No CSMS on an API Gateway WebSocket can cost less.
   */
  readonly apiGatewayFloorUsd: number;
  /** Per station-month, with the Lambda duration of the latency model instead of the measured one. */
  readonly totalModelUsd: number;
  readonly lambdaModelUsd: number;
  readonly inboundMessages: number;
  readonly writeUnits: number;
  readonly messageWriteUnits: number;
  readonly readUnits: number;
  readonly logBytes: { functions: number; platform: number; accessLog: number };
  readonly labels: Record<string, LabelDay>;
  readonly connections: number;
  readonly postToConnection: number;
  readonly failedConditionalWrites: number;
  readonly unattributed: number;
  /** Scheduled functions: per deployment, not per station (priced at their schedule). */
  readonly scheduled: ScheduledCost[];
}

export interface ScheduledCost {
  readonly fn: string;
  readonly everyMinutes: number;
  /** Invocations seen during the day (the bench host runs them every few hundred ms). */
  readonly observed: number;
  readonly perMonth: number;
  readonly meanMs: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly ddbRequests: number;
  /** Dollars per month for the deployment. */
  readonly usd: number;
}

/** A message type's share of one day. */
export interface LabelDay {
  readonly invocations: number;
  readonly meanMs: number;
  readonly messages: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly indexWriteUnits: number;
  readonly events: number;
  readonly logBytes: number;
  readonly ddbRequests: number;
  /** Dollars per station-month caused by this label (without connection time and CloudFront). */
  readonly usd: number;
}

const fnOf = (label: string): FunctionName => label.split(':')[0] as FunctionName;
const gbOf = (label: string): number => (FUNCTIONS[fnOf(label)]?.memoryMb ?? 512) / 1024;

/** Lambda's START / END / REPORT lines for one invocation (none at system level WARN), with event overhead. */
function platformLogBytes(ms: number, memoryMb: number): number {
  if (DEPLOYED_LOG_LEVEL === 'WARN') return 0;
  const id = randomUUID();
  const lines = [
    `START RequestId: ${id} Version: $LATEST\n`,
    `END RequestId: ${id}\n`,
    `REPORT RequestId: ${id}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.ceil(ms)} ms\t` +
      `Memory Size: ${memoryMb} MB\tMax Memory Used: 112 MB\t\n`,
  ];
  return lines.reduce((sum, line) => sum + Buffer.byteLength(line) + LOG_EVENT_OVERHEAD, 0);
}

/** One access log line in the CDK default format of the WebSocket stage (a public IPv4 source). */
export function accessLogBytes(eventType: string, routeKey: string): number {
  const line =
    `203.0.113.100 - - [09/Apr/2025:18:03:50 +0000] "${eventType} ${routeKey} Ze3fiejaIAMCKhQ=" 200 ` +
    'Ze3fiejaIAMCKhQ=\n';
  return Buffer.byteLength(line) + LOG_EVENT_OVERHEAD;
}

const ARCHIVE_ENVELOPE_BYTES = 250;

/** WebSocket framing + TLS record overhead per frame on the station side (CloudFront transfer). */
const FRAME_OVERHEAD_OUT = 4 + 22;
const FRAME_OVERHEAD_IN = 8 + 22;
/** Handshake request / response bytes (headers with Basic auth), per connection. */
const HANDSHAKE_IN = 450;
const HANDSHAKE_OUT = 200;

/** The functions a station's traffic runs; any other (api, scheduled ones) is not per station. */
export const STATION_FUNCTIONS: ReadonlySet<string> = new Set([
  'authorizer',
  'connect',
  'message',
  'disconnect',
]);

export function priceDay(run: DayRun): DayCost {
  const month = DAYS_PER_MONTH;
  const labels = Object.fromEntries(
    Object.entries(run.snapshot.labels).filter(([label]) => STATION_FUNCTIONS.has(fnOf(label))),
  );
  const gateway = run.snapshot.gateway;
  const entries = Object.entries<LabelCounters>(labels);
  const sum = (f: (c: LabelCounters, label: string) => number) =>
    entries.reduce((total, [label, c]) => total + f(c, label), 0);

  const messageUnits = sum((c) => c.unitsIn + c.unitsOut);
  const inboundMessages = sum((c) => c.messagesIn);
  const connections = gateway.connectionsOpened;
  const connectionMinutes = (connections * CONNECTION_SECONDS) / 60;
  const invocations = sum((c) => c.invocations);
  const billedMs = (c: LabelCounters) => c.durationsMs.reduce((t, ms) => t + Math.ceil(ms), 0);
  const gbSeconds = sum((c, label) => (billedMs(c) / 1000) * gbOf(label));
  const modelGbSeconds = sum(
    (c, label) =>
      ((billedMs(c) +
        sumValues(c.ddbRequests) * MODEL_LATENCY_MS.dynamodb +
        c.putEventsCalls * MODEL_LATENCY_MS.putEvents) /
        1000) *
      gbOf(label),
  );
  const writeUnits = sum((c) => c.tableWriteUnits + c.indexWriteUnits);
  const readUnits = sum((c) => c.readUnits);
  const storageBytes = sum((c) => c.storageBytes);
  const eventChunks = sum((c) => c.eventChunks);
  // The archive keeps the whole envelope (id, time, account, region, ...: ~250 bytes more than the entry).
  const archivedBytes = sum((c) => c.eventBytes + c.eventEntries * ARCHIVE_ENVELOPE_BYTES);
  const functionLogBytes = sum((c) => c.logBytes + c.logLines * LOG_EVENT_OVERHEAD);
  const platformBytes = sum((c, label) =>
    c.durationsMs.reduce((t, ms) => t + platformLogBytes(ms, FUNCTIONS[fnOf(label)].memoryMb), 0),
  );
  const accessBytes =
    connections * (accessLogBytes('CONNECT', '$connect') + accessLogBytes('DISCONNECT', '$disconnect')) +
    inboundMessages * accessLogBytes('MESSAGE', '$default');
  const logBytes = functionLogBytes + platformBytes + accessBytes;
  const bytesOut = gateway.bytesOut + gateway.messagesOut * FRAME_OVERHEAD_OUT + connections * HANDSHAKE_OUT;
  const bytesIn = gateway.bytesIn + gateway.messagesIn * FRAME_OVERHEAD_IN + connections * HANDSHAKE_IN;

  const priced = (key: PriceKey, quantity: number): Priced => ({
    quantity,
    usd: cost(key, quantity) * month,
  });
  const cloudfrontUsd =
    (cost('cloudfrontRequests', connections) +
      cost('cloudfrontFunctions', connections) +
      cost('cloudfrontTransferOut', bytesOut / GB) +
      cost('cloudfrontTransferOrigin', bytesIn / GB)) *
    month;
  const components: Record<Component, Priced> = {
    apigwMessages: priced('apigwMessages', messageUnits),
    apigwConnectionMinutes: priced('apigwConnectionMinutes', connectionMinutes),
    lambdaRequests: priced('lambdaRequests', invocations),
    lambdaDuration: priced('lambdaArmGbSeconds', gbSeconds),
    dynamoWrites: priced('dynamoWrite', writeUnits),
    dynamoReads: priced('dynamoRead', readUnits),
    // Data added in a month, stored for a month: it accumulates while it is kept.
    dynamoStorage: { quantity: storageBytes / GB, usd: cost('dynamoStorage', (storageBytes * month) / GB) },
    eventsCustom: priced('eventsCustom', eventChunks),
    // The profile's partner: one webhook subscribed to every event (an invocation per 64 KB chunk).
    eventsApiDestinations: priced('eventsApiDestinations', eventChunks * PROFILE_WEBHOOKS),
    // Processed once; with a 30-day retention about one month of events is stored at any time.
    eventsArchive: {
      quantity: archivedBytes / GB,
      usd:
        (cost('eventsArchiveProcessing', archivedBytes / GB) +
          cost('eventsArchiveStorage', archivedBytes / GB)) *
        month,
    },
    stepFunctions: priced('stepFunctions', 0),
    logs: priced('logsIngestion', logBytes / GB),
    cloudfront: { quantity: connections, usd: cloudfrontUsd },
  };
  const totalUsd = Object.values(components).reduce((t, c) => t + c.usd, 0);
  const apiGatewayFloorUsd =
    cost('apigwMessages', 2 * inboundMessages) * month + components.apigwConnectionMinutes.usd;
  const lambdaModelUsd = cost('lambdaArmGbSeconds', modelGbSeconds) * month;

  const labelDays: Record<string, LabelDay> = {};
  for (const [label, c] of entries) {
    const platform = c.durationsMs.reduce(
      (t, ms) => t + platformLogBytes(ms, FUNCTIONS[fnOf(label)].memoryMb),
      0,
    );
    const access =
      c.messagesIn * accessLogBytes('MESSAGE', '$default') +
      (label === 'connect' ? c.invocations * accessLogBytes('CONNECT', '$connect') : 0) +
      (label === 'disconnect' ? c.invocations * accessLogBytes('DISCONNECT', '$disconnect') : 0);
    const logBytesOfLabel = c.logBytes + c.logLines * LOG_EVENT_OVERHEAD + platform + access;
    const usd =
      (cost('apigwMessages', c.unitsIn + c.unitsOut) +
        cost('lambdaRequests', c.invocations) +
        cost('lambdaArmGbSeconds', (billedMs(c) / 1000) * gbOf(label)) +
        cost('dynamoWrite', c.tableWriteUnits + c.indexWriteUnits) +
        cost('dynamoRead', c.readUnits) +
        cost('eventsCustom', c.eventChunks) +
        cost('eventsApiDestinations', c.eventChunks * PROFILE_WEBHOOKS) +
        cost('eventsArchiveProcessing', (c.eventBytes + c.eventEntries * ARCHIVE_ENVELOPE_BYTES) / GB) +
        cost('eventsArchiveStorage', (c.eventBytes + c.eventEntries * ARCHIVE_ENVELOPE_BYTES) / GB) +
        cost('logsIngestion', logBytesOfLabel / GB)) *
        month +
      cost('dynamoStorage', (c.storageBytes * month) / GB);
    labelDays[label] = {
      invocations: c.invocations,
      meanMs: c.invocations ? c.durationsMs.reduce((t, ms) => t + ms, 0) / c.invocations : 0,
      messages: c.messagesIn + c.messagesOut,
      readUnits: c.readUnits,
      writeUnits: c.tableWriteUnits + c.indexWriteUnits,
      indexWriteUnits: c.indexWriteUnits,
      events: c.eventChunks,
      logBytes: logBytesOfLabel,
      ddbRequests: sumValues(c.ddbRequests),
      usd,
    };
  }

  const scheduled = SCHEDULES.map((schedule): ScheduledCost => {
    const c = run.snapshot.labels[schedule.function];
    const perMonth = (730 * 60) / schedule.everyMinutes;
    if (!c || c.invocations === 0) {
      return {
        fn: schedule.function,
        everyMinutes: schedule.everyMinutes,
        observed: 0,
        perMonth,
        meanMs: NaN,
        readUnits: NaN,
        writeUnits: NaN,
        ddbRequests: NaN,
        usd: NaN,
      };
    }
    const per = (v: number) => v / c.invocations;
    const gb = FUNCTIONS[schedule.function].memoryMb / 1024;
    const platform = c.durationsMs.reduce(
      (t, ms) => t + platformLogBytes(ms, FUNCTIONS[schedule.function].memoryMb),
      0,
    );
    const usdEach =
      cost('lambdaRequests', 1) +
      cost('lambdaArmGbSeconds', (per(billedMs(c)) / 1000) * gb) +
      cost('dynamoRead', per(c.readUnits)) +
      cost('dynamoWrite', per(c.tableWriteUnits + c.indexWriteUnits)) +
      cost('eventsCustom', per(c.eventChunks)) +
      cost('eventsApiDestinations', per(c.eventChunks) * PROFILE_WEBHOOKS) +
      cost('logsIngestion', per(c.logBytes + c.logLines * LOG_EVENT_OVERHEAD + platform) / GB);
    return {
      fn: schedule.function,
      everyMinutes: schedule.everyMinutes,
      observed: c.invocations,
      perMonth,
      meanMs: per(c.durationsMs.reduce((t, ms) => t + ms, 0)),
      readUnits: per(c.readUnits),
      writeUnits: per(c.tableWriteUnits + c.indexWriteUnits),
      ddbRequests: per(sumValues(c.ddbRequests)),
      usd: usdEach * perMonth,
    };
  });

  return {
    scheduled,
    components,
    totalUsd,
    apiGatewayFloorUsd,
    totalModelUsd: totalUsd - components.lambdaDuration.usd + lambdaModelUsd,
    lambdaModelUsd,
    inboundMessages,
    writeUnits,
    messageWriteUnits: sum((c, label) =>
      label.startsWith('message:') ? c.tableWriteUnits + c.indexWriteUnits : 0,
    ),
    readUnits,
    logBytes: { functions: functionLogBytes, platform: platformBytes, accessLog: accessBytes },
    labels: labelDays,
    connections,
    postToConnection: gateway.postToConnection,
    failedConditionalWrites: sum((c) => c.failedConditionalWrites),
    unattributed: sumValues(run.snapshot.labels.unattributed?.ddbRequests ?? {}),
  };
}

function sumValues(record: Record<string, number>): number {
  return Object.values(record).reduce((t, v) => t + v, 0);
}

/** The floor: connection time plus the fewest messages that keep API Gateway from closing an idle connection. */
export function floorPerMonth(heartbeatSeconds: number): { usd: number; messages: number; minutes: number } {
  const minutes = (DAY_SECONDS / 60) * DAYS_PER_MONTH;
  // One Heartbeat per interval and its answer: both are billed messages.
  const messages = 2 * (DAY_SECONDS / heartbeatSeconds) * DAYS_PER_MONTH;
  return {
    usd: cost('apigwConnectionMinutes', minutes) + cost('apigwMessages', messages),
    messages,
    minutes,
  };
}
