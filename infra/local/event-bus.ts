/**
 * The local event bus: an EventBridge endpoint (JSON 1.1 protocol, the one the AWS SDK speaks) on
 * loopback. PutEvents validates entries as EventBridge does, wraps each accepted one in the
 * EventBridge event envelope and hands it to subscribers in order (the host records, appends to
 * the archive file and prints) and to the targets of every rule whose pattern matches
 * (./event-rules.ts: webhook API destinations go to ./webhook-delivery.ts, Lambda targets to
 * `invokeFunction`). It also serves the control-plane operations of webhook subscriptions and
 * StartReplay from the archive.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { isDeepStrictEqual } from 'node:util';
import { EVENT_BUS } from '../../shared/contract.js';
import { EVENTS, type EventType } from '../../shared/events/catalog.js';
import { matchesPattern, type EventPattern } from '../../shared/webhooks/pattern.js';
import { closeServer } from './dynamodb.js';
import { LocalEventRules, ServiceError, type LocalRule } from './event-rules.js';
import { createHostLog, type HostLog } from './log.js';
import { WebhookDelivery, type WebhookDeliveryOptions } from './webhook-delivery.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
/** PutEvents quotas. */
export const MAX_ENTRIES = 10;
export const MAX_ENTRIES_BYTES = 256 * 1024;

/** An event as EventBridge delivers it to rules and targets. */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: Record<string, unknown>;
  /** Set on events a replay sends again. */
  readonly 'replay-name'?: string;
}

/**
 * Receives every accepted event, in order, synchronously (before PutEvents answers). Return a
 * promise for slow work (delivery): it is not awaited, and a rejection is logged.
 */
export type EventSubscriber = (event: EventEnvelope) => void | Promise<void>;

export interface LocalEventBusOptions {
  /** The bus the functions publish to (CSMS_EVENT_BUS_NAME). */
  readonly busName: string;
  /** 0 (default) picks a free port. */
  readonly port?: number | undefined;
  /** Called when a subscriber throws or rejects. */
  readonly onSubscriberError?: ((error: unknown, event: EventEnvelope) => void) | undefined;
  /** Default: silent. */
  readonly log?: HostLog | undefined;
  /** Rules, targets, connections and API destinations persist here; undefined: in memory. */
  readonly controlPlaneFile?: string | undefined;
  /** Queued webhook deliveries and dead letters persist here; undefined: in memory. */
  readonly deliveriesFile?: string | undefined;
  readonly delivery?: WebhookDeliveryOptions | undefined;
  /** The archive: every event as a JSON line (the host appends them); replays read it. */
  readonly archiveFile?: string | undefined;
  /** Which events the archive keeps (the CDK archive's pattern). Default: all. */
  readonly archivePattern?: EventPattern | undefined;
  /** Runs a Lambda target of a rule (`arn:aws:lambda:...:function:NAME`). */
  readonly invokeFunction?: ((functionName: string, event: EventEnvelope) => Promise<unknown>) | undefined;
}

/** Events kept in memory for replay when there is no archive file. */
export const MEMORY_ARCHIVE_EVENTS = 10_000;

export interface LocalEventBus {
  readonly port: number;
  /** For AWS_ENDPOINT_URL_EVENTBRIDGE. */
  readonly endpoint: string;
  /** Adds a subscriber; returns its removal. */
  subscribe(subscriber: EventSubscriber): () => void;
  readonly rules: LocalEventRules;
  readonly webhooks: WebhookDelivery;
  /** Settles when the replays started so far have queued their events. */
  replaysDone(): Promise<void>;
  close(): Promise<void>;
}

interface EntryResult {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** A request EventBridge refuses as a whole (HTTP 400). */
const RequestError = ServiceError;

export async function startEventBus(options: LocalEventBusOptions): Promise<LocalEventBus> {
  const subscribers: EventSubscriber[] = [];
  const log = options.log ?? createHostLog({ quiet: true });
  const archivePattern = options.archivePattern ?? {};
  const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${options.busName}`;
  const rules = new LocalEventRules(options.busName, REGION, ACCOUNT, options.controlPlaneFile);
  const webhooks = new WebhookDelivery(
    (ruleArn, targetId) => {
      const rule = rules.rule(ruleArn.split('/').pop() ?? '');
      const target = rule?.targets.find((t) => t.id === targetId);
      const destination = target && rules.destination(target.arn);
      const connection = destination && rules.connection(destination.connectionArn);
      return target && destination && connection ? { target, destination, connection } : undefined;
    },
    log,
    options.delivery,
    options.deliveriesFile,
  );
  const memoryArchive: EventEnvelope[] = [];
  const replays = new Set<Promise<void>>();

  const toTargets = (rule: LocalRule, event: EventEnvelope): void => {
    for (const target of rule.targets) {
      if (target.arn.includes(':api-destination/')) {
        webhooks.enqueue(rule.arn, target, event);
      } else if (target.arn.startsWith('arn:aws:lambda:')) {
        const name = target.arn.split(':')[6] ?? '';
        options
          .invokeFunction?.(name, event)
          .catch((error: unknown) => options.onSubscriberError?.(error, event));
      }
    }
  };

  const deliver = (event: EventEnvelope): void => {
    for (const subscriber of [...subscribers]) {
      try {
        const pending = subscriber(event);
        if (pending) pending.catch((error: unknown) => options.onSubscriberError?.(error, event));
      } catch (error) {
        options.onSubscriberError?.(error, event);
      }
    }
    if (!options.archiveFile && matchesPattern(archivePattern, event)) {
      if (memoryArchive.push(event) > MEMORY_ARCHIVE_EVENTS * 1.1) {
        memoryArchive.splice(0, memoryArchive.length - MEMORY_ARCHIVE_EVENTS);
      }
    }
    for (const rule of rules.matching(event)) toTargets(rule, event);
  };

  async function* archived(): AsyncGenerator<EventEnvelope> {
    if (!options.archiveFile) {
      yield* [...memoryArchive];
      return;
    }
    const lines = createInterface({ input: createReadStream(options.archiveFile), crlfDelay: Infinity });
    try {
      for await (const line of lines) {
        if (line.trim() === '') continue;
        try {
          yield JSON.parse(line) as EventEnvelope;
        } catch {
          // a torn last line after a crash: skip it
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  /** StartReplay: the archived events of [start, end) to the rules in FilterArns (or all rules). */
  const startReplay = (request: Record<string, unknown>): unknown => {
    const name = typeof request.ReplayName === 'string' ? request.ReplayName : '';
    if (!/^[.\-_A-Za-z0-9]{1,64}$/.test(name))
      throw new RequestError('ValidationException', 'ReplayName is not valid.');
    const start = epoch(request.EventStartTime);
    const end = epoch(request.EventEndTime);
    if (start === undefined || end === undefined || start >= end) {
      throw new RequestError('ValidationException', 'EventStartTime must be before EventEndTime.');
    }
    const destination = (request.Destination ?? {}) as { Arn?: unknown; FilterArns?: unknown };
    if (destination.Arn !== busArn)
      throw new RequestError('ValidationException', "Destination.Arn must be the archive's event bus.");
    const filterArns = Array.isArray(destination.FilterArns)
      ? (destination.FilterArns as string[])
      : undefined;
    const run = (async () => {
      for await (const event of archived()) {
        const time = Date.parse(event.time);
        if (time < start || time >= end || !matchesPattern(archivePattern, event)) continue;
        const replayed: EventEnvelope = { ...event, 'replay-name': name };
        for (const rule of rules.matching(replayed, filterArns)) toTargets(rule, replayed);
      }
    })().catch((error: unknown) => log.error('replay failed', { error, replay: name }));
    replays.add(run);
    void run.finally(() => replays.delete(run));
    return {
      ReplayArn: `arn:aws:events:${REGION}:${ACCOUNT}:replay/${name}`,
      State: 'STARTING',
      ReplayStartTime: Date.now() / 1000,
    };
  };

  const putEvents = (
    request: Record<string, unknown>,
  ): { FailedEntryCount: number; Entries: EntryResult[] } => {
    const entries = (request as { Entries?: unknown } | null)?.Entries;
    if (!Array.isArray(entries)) {
      throw new RequestError(
        'ValidationException',
        "1 validation error detected: Value null at 'entries' failed to satisfy constraint: Member must not be null",
      );
    }
    if (entries.length < 1 || entries.length > MAX_ENTRIES) {
      const bound =
        entries.length < 1 ? 'greater than or equal to 1' : `less than or equal to ${MAX_ENTRIES}`;
      throw new RequestError(
        'ValidationException',
        `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length ${bound}`,
      );
    }
    const size = entries.reduce((total: number, entry: unknown) => total + entrySize(entry), 0);
    if (size > MAX_ENTRIES_BYTES) {
      throw new RequestError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results = entries.map((entry: unknown): EntryResult => {
      const checked = checkEntry(entry, options.busName, busArn);
      if ('ErrorCode' in checked) return checked;
      deliver(checked);
      return { EventId: checked.id };
    });
    return { FailedEntryCount: results.filter((r) => r.ErrorCode !== undefined).length, Entries: results };
  };

  const operations: Record<string, (request: Record<string, unknown>) => unknown> = {
    'AWSEvents.PutEvents': putEvents,
    'AWSEvents.StartReplay': startReplay,
    ...rules.operations(),
  };
  const server = createServer((req, res) => void handle(req, res, operations));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    subscribe(subscriber) {
      subscribers.push(subscriber);
      return () => {
        const at = subscribers.indexOf(subscriber);
        if (at >= 0) subscribers.splice(at, 1);
      };
    },
    rules,
    webhooks,
    replaysDone: async () => {
      await Promise.all([...replays]);
    },
    close: async () => {
      await closeServer(server);
      await Promise.all([...replays]);
      await webhooks.close();
    },
  };
}

/** A timestamp as the SDK sends it (epoch seconds) or ISO 8601, in milliseconds. */
function epoch(value: unknown): number | undefined {
  const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  operations: Record<string, (request: Record<string, unknown>) => unknown>,
): Promise<void> {
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.1',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  };
  try {
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/') {
      throw new RequestError('UnknownOperationException', 'Only POST / is served here', 404);
    }
    const body = await readBody(req, 4 * MAX_ENTRIES_BYTES);
    const operation = typeof target === 'string' ? operations[target] : undefined;
    if (!operation) {
      throw new RequestError(
        'UnknownOperationException',
        `The local event bus does not serve ${String(target)} (only ${Object.keys(operations).join(', ')})`,
      );
    }
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RequestError('SerializationException', 'Request body is not valid JSON');
    }
    send(200, operation((request ?? {}) as Record<string, unknown>));
  } catch (error) {
    if (error instanceof RequestError) {
      send(error.status, { __type: error.type, message: error.message });
    } else {
      send(500, {
        __type: 'InternalException',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        reject(new RequestError('ValidationException', 'Request is too large', 413));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** EventBridge's entry size: Time 14 bytes, then the UTF-8 bytes of Source, DetailType, Detail, Resources. */
export function entrySize(entry: unknown): number {
  if (!entry || typeof entry !== 'object') return 0;
  const e = entry as Record<string, unknown>;
  const bytes = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value) : 0);
  let size = e.Time !== undefined && e.Time !== null ? 14 : 0;
  size += bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail);
  if (Array.isArray(e.Resources)) for (const resource of e.Resources) size += bytes(resource);
  return size;
}

function checkEntry(
  entry: unknown,
  busName: string,
  busArn: string,
): EventEnvelope | Required<Omit<EntryResult, 'EventId'>> {
  const invalid = (parameter: string, reason: string) => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${parameter} is not valid. Reason: ${reason}`,
  });
  if (!entry || typeof entry !== 'object') return invalid('Entry', 'Entry must be an object.');
  const e = entry as Record<string, unknown>;
  const bus = typeof e.EventBusName === 'string' && e.EventBusName !== '' ? e.EventBusName : 'default';
  if (bus !== busName && bus !== busArn) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  }
  if (typeof e.Source !== 'string' || e.Source === '')
    return invalid('Source', 'Source is a required argument.');
  if (e.Source.startsWith('aws.')) {
    return {
      ErrorCode: 'NotAuthorizedForSourceException',
      ErrorMessage: `Not authorized for the source ${e.Source}.`,
    };
  }
  if (typeof e.DetailType !== 'string' || e.DetailType === '') {
    return invalid('DetailType', 'DetailType is a required argument.');
  }
  if (typeof e.Detail !== 'string' || e.Detail === '')
    return invalid('Detail', 'Detail is a required argument.');
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    detail = undefined;
  }
  if (!detail || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  const offCatalog = catalogViolation(e.Source, e.DetailType, detail);
  if (offCatalog) return { ErrorCode: 'InvalidDetailForCatalog', ErrorMessage: offCatalog };
  const resources = e.Resources ?? [];
  if (!Array.isArray(resources) || resources.some((r) => typeof r !== 'string')) {
    return invalid('Resources', 'Resources must be a list of strings.');
  }
  const time = eventTime(e.Time);
  if (time === undefined) return invalid('Time', 'Time is not a valid timestamp.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': e.DetailType,
    source: e.Source,
    account: ACCOUNT,
    time,
    region: REGION,
    resources: resources as string[],
    detail: detail as Record<string, unknown>,
  };
}

/**
 * The CSMS's own events must match the catalog exactly. The functions no longer check each event
 * before PutEvents (issue 14: no zod on the hot path); the local bus does, so that every test and
 * `npm start` refuse an event the catalog does not describe, as the publisher used to.
 */
function catalogViolation(source: string, type: string, detail: object): string | undefined {
  if (source !== EVENT_BUS.source || !Object.hasOwn(EVENTS, type)) return undefined;
  const parsed = EVENTS[type as EventType].safeParse(detail);
  if (!parsed.success) {
    return `${type} does not match the catalog: ${parsed.error.issues
      .map((i) => `${i.path.join('.')}: ${i.message}`)
      .join('; ')}`;
  }
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(parsed.data)), detail)) {
    return `${type} has fields the catalog does not describe`;
  }
  return undefined;
}

/** The envelope's `time`: whole seconds, UTC (`2024-01-01T12:00:00Z`). The SDK sends epoch seconds. */
function eventTime(value: unknown): string | undefined {
  let date: Date;
  if (value === undefined || value === null) date = new Date();
  else if (typeof value === 'number') date = new Date(value * 1000);
  else if (typeof value === 'string')
    date = new Date(/^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : value);
  else return undefined;
  if (Number.isNaN(date.getTime())) return undefined;
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Appends every event as one JSON line; `close()` flushes. */
export function jsonLinesFile(
  path: string,
  onError: (error: Error) => void,
): { subscriber: EventSubscriber; close(): Promise<void> } {
  const stream: WriteStream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  stream.on('error', onError);
  return {
    subscriber: (event) => {
      if (!stream.writableEnded) stream.write(`${JSON.stringify(event)}\n`);
    },
    close: () => new Promise<void>((resolve) => stream.end(resolve)),
  };
}

/** `event station.booted CP-1`: detail-type and, when the detail names one, the station. */
export function summarize(event: EventEnvelope): string {
  const station = event.detail.stationId;
  return `event ${event['detail-type']}${typeof station === 'string' ? ` ${station}` : ''}`;
}
