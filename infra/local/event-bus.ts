/**
 * The local event bus: an EventBridge PutEvents endpoint (JSON 1.1 protocol, the one the AWS SDK
 * speaks) on loopback. It validates entries as EventBridge does, wraps each accepted one in the
 * EventBridge event envelope and hands it to subscribers in order. Subscribers are where rules
 * go: today the host records, appends to a file and prints; webhook rules come later.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { closeServer } from './dynamodb.js';

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
}

export interface LocalEventBus {
  readonly port: number;
  /** For AWS_ENDPOINT_URL_EVENTBRIDGE. */
  readonly endpoint: string;
  /** Adds a subscriber; returns its removal. */
  subscribe(subscriber: EventSubscriber): () => void;
  close(): Promise<void>;
}

interface EntryResult {
  EventId?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** A request EventBridge refuses as a whole (HTTP 400). */
class RequestError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startEventBus(options: LocalEventBusOptions): Promise<LocalEventBus> {
  const subscribers: EventSubscriber[] = [];
  const busArn = `arn:aws:events:${REGION}:${ACCOUNT}:event-bus/${options.busName}`;

  const deliver = (event: EventEnvelope): void => {
    for (const subscriber of [...subscribers]) {
      try {
        const pending = subscriber(event);
        if (pending) pending.catch((error: unknown) => options.onSubscriberError?.(error, event));
      } catch (error) {
        options.onSubscriberError?.(error, event);
      }
    }
  };

  const putEvents = (request: unknown): { FailedEntryCount: number; Entries: EntryResult[] } => {
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

  const server = createServer((req, res) => void handle(req, res, putEvents));
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
    close: () => closeServer(server),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  putEvents: (request: unknown) => unknown,
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
    if (target !== 'AWSEvents.PutEvents') {
      throw new RequestError(
        'UnknownOperationException',
        `The local event bus serves only PutEvents, not ${String(target)}`,
      );
    }
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      throw new RequestError('SerializationException', 'Request body is not valid JSON');
    }
    send(200, putEvents(request));
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
