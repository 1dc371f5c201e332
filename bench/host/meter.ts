/**
 * Counts, inside the host process, every operation a deployment on AWS would bill, attributed to
 * what caused it ("label": the function and, for the message function, the OCPP action):
 *
 * - function invocations and their durations (the host's wall time per invocation);
 * - gateway messages in and out (and their 32 KB units), connections and their duration,
 *   @connections calls (PostToConnection);
 * - DynamoDB request units: a proxy between the functions and dynalite adds
 *   `ReturnConsumedCapacity: TOTAL` to each request whose caller did not ask for it, reads
 *   ConsumedCapacity from the answer (and strips it again), and adds the index writes dynalite
 *   does not count, from the item before and after each write (see indexWriteUnits);
 * - EventBridge PutEvents entries and their 64 KB chunks (a proxy in front of the local bus);
 * - bytes and lines the functions write to stdout / stderr (CloudWatch Logs ingestion).
 *
 * Attribution: every invocation runs in an AsyncLocalStorage context holding its label and id;
 * the functions' SDK requests carry both to the proxies in a header (node:http `request` is
 * wrapped in this process), and their writes to stdout are counted under the label. The time a
 * proxy spends on its own work is taken off the duration of the invocation that caused it.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import type { HostInstrumentation } from '../../infra/local/instrumentation.js';
import { entrySize } from '../../infra/local/event-bus.js';
import { TABLE, type FunctionName } from '../../infra/topology.js';

/**
 * The deployed log level (infra/cdk/config.ts DEFAULT_OPTIONS.logLevel): application WARN, and
 * system WARN, at which Lambda writes no START / END / REPORT lines (issue 14). DEBUG, a stage's
 * debug switch, writes them; the meter runs the functions at this level too (here).
 */
export const DEPLOYED_LOG_LEVEL: 'WARN' | 'DEBUG' = 'WARN';

const LABEL_HEADER = 'x-csms-bench-label';
const MESSAGE_UNIT = 32 * 1024;
const EVENT_CHUNK = 64 * 1024;
/** DynamoDB adds 100 bytes of overhead per item (and per index entry) to storage. */
const ITEM_OVERHEAD = 100;

const requireFromHere = createRequire(import.meta.url);
const dynaliteDb = requireFromHere('dynalite/db/index.js') as {
  itemSize: (item: Record<string, unknown>) => number;
};

export interface LabelCounters {
  invocations: number;
  /** Wall time of each invocation, ms. */
  durationsMs: number[];
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  /** 32 KB units, as API Gateway bills messages. */
  unitsIn: number;
  unitsOut: number;
  ddbRequests: Record<string, number>;
  readUnits: number;
  tableWriteUnits: number;
  indexWriteUnits: number;
  /** Conditional writes whose condition failed (billed like a write of the existing item). */
  failedConditionalWrites: number;
  failedConditionalUnits: number;
  /** Net bytes added to the table and its index (with the 100-byte item overhead). */
  storageBytes: number;
  putEventsCalls: number;
  eventEntries: number;
  eventChunks: number;
  eventBytes: number;
  eventTypes: Record<string, number>;
  logLines: number;
  logBytes: number;
  errors: number;
}

export interface GatewayCounters {
  connectionsOpened: number;
  connectionsClosed: number;
  /** Sum of the real (not simulated) durations of the closed connections. */
  connectedMs: number;
  messagesIn: number;
  messagesOut: number;
  bytesIn: number;
  bytesOut: number;
  postToConnection: number;
  managementCalls: Record<string, number>;
}

export interface MeterSnapshot {
  readonly labels: Record<string, LabelCounters>;
  readonly gateway: GatewayCounters;
}

const emptyLabel = (): LabelCounters => ({
  invocations: 0,
  durationsMs: [],
  messagesIn: 0,
  messagesOut: 0,
  bytesIn: 0,
  bytesOut: 0,
  unitsIn: 0,
  unitsOut: 0,
  ddbRequests: {},
  readUnits: 0,
  tableWriteUnits: 0,
  indexWriteUnits: 0,
  failedConditionalWrites: 0,
  failedConditionalUnits: 0,
  storageBytes: 0,
  putEventsCalls: 0,
  eventEntries: 0,
  eventChunks: 0,
  eventBytes: 0,
  eventTypes: {},
  logLines: 0,
  logBytes: 0,
  errors: 0,
});

const emptyGateway = (): GatewayCounters => ({
  connectionsOpened: 0,
  connectionsClosed: 0,
  connectedMs: 0,
  messagesIn: 0,
  messagesOut: 0,
  bytesIn: 0,
  bytesOut: 0,
  postToConnection: 0,
  managementCalls: {},
});

/** `message:Heartbeat`, `message:CALLRESULT`, `authorizer`, ... */
export function labelOf(fn: FunctionName, event: unknown): string {
  if (fn !== 'message') return fn;
  const body = (event as { body?: unknown } | null)?.body;
  try {
    const frame = JSON.parse(typeof body === 'string' ? body : '') as unknown[];
    if (frame[0] === 2 || frame[0] === 6) {
      // TransactionEvent costs differ by eventType (Started / Updated / Ended).
      const eventType = (frame[3] as { eventType?: unknown } | undefined)?.eventType;
      const suffix = frame[2] === 'TransactionEvent' && typeof eventType === 'string' ? ` ${eventType}` : '';
      return `message:${String(frame[2])}${suffix}`;
    }
    if (frame[0] === 3) return 'message:CALLRESULT';
    if (frame[0] === 4) return 'message:CALLERROR';
  } catch {
    // fall through
  }
  return 'message:invalid';
}

type DynamoItem = Record<string, Record<string, unknown>>;

const READ_OPS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITE_OPS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

export class Meter {
  readonly #als = new AsyncLocalStorage<{ readonly label: string; readonly id: number }>();
  #invocations = 0;
  /** Time the proxies spent on their own work (extra reads, re-encoding) per invocation id. */
  readonly #overheadMs = new Map<number, number>();
  #labels = new Map<string, LabelCounters>();
  #gateway = emptyGateway();
  readonly #servers: http.Server[] = [];
  readonly #agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  /** Counting is off during setup (provisioning, boot) until reset(). */
  #on = false;

  constructor() {
    this.#wrapHttpRequest();
    this.#captureOutput();
  }

  get instrumentation(): HostInstrumentation {
    return {
      invocations: (fn, event, run) => this.#invoke(fn, event, run),
      gateway: {
        connectionOpened: () => void (this.#on && this.#gateway.connectionsOpened++),
        connectionClosed: (_id, ms) => {
          if (!this.#on) return;
          this.#gateway.connectionsClosed++;
          this.#gateway.connectedMs += ms;
        },
        messageIn: (_id, bytes) => {
          if (!this.#on) return;
          this.#gateway.messagesIn++;
          this.#gateway.bytesIn += bytes;
        },
        messageOut: (_id, bytes, via) => {
          if (!this.#on) return;
          this.#gateway.messagesOut++;
          this.#gateway.bytesOut += bytes;
          if (via === 'post-to-connection') this.#gateway.postToConnection++;
        },
        managementCall: (method) => {
          if (!this.#on) return;
          this.#gateway.managementCalls[method] = (this.#gateway.managementCalls[method] ?? 0) + 1;
        },
      },
      endpoint: (service, endpoint) => this.#startProxy(service, endpoint),
      environment: {
        // As deployed: Powertools Metrics on (summed counts, one EMF line a minute per instance),
        // WARN logs (bench/cost.ts DEPLOYED_LOG_LEVEL).
        POWERTOOLS_METRICS_DISABLED: undefined,
        POWERTOOLS_LOG_LEVEL: DEPLOYED_LOG_LEVEL,
        POWERTOOLS_SERVICE_NAME: 'csms',
      },
    };
  }

  /** Starts counting from zero. */
  reset(): void {
    this.#labels = new Map();
    this.#gateway = emptyGateway();
    this.#on = true;
  }

  snapshot(): MeterSnapshot {
    return { labels: Object.fromEntries(this.#labels), gateway: { ...this.#gateway } };
  }

  async close(): Promise<void> {
    await Promise.all(this.#servers.map((s) => new Promise((resolve) => s.close(resolve))));
    this.#agent.destroy();
  }

  #label(label: string): LabelCounters {
    let counters = this.#labels.get(label);
    if (!counters) {
      counters = emptyLabel();
      this.#labels.set(label, counters);
    }
    return counters;
  }

  async #invoke<T>(fn: FunctionName, event: unknown, run: () => Promise<T>): Promise<T> {
    const label = labelOf(fn, event);
    const id = ++this.#invocations;
    const started = performance.now();
    let result: T | undefined;
    let failed = false;
    try {
      result = await this.#als.run({ label, id }, run);
      return result;
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      // The duration without the meter's own work in the proxies.
      const overhead = this.#overheadMs.get(id) ?? 0;
      this.#overheadMs.delete(id);
      const ms = Math.max(0, performance.now() - started - overhead);
      if (this.#on) {
        const c = this.#label(label);
        c.invocations++;
        c.durationsMs.push(ms);
        if (failed) c.errors++;
        if (fn === 'message') {
          const body = (event as { body?: unknown }).body;
          const inBytes = typeof body === 'string' ? Buffer.byteLength(body) : 0;
          c.messagesIn++;
          c.bytesIn += inBytes;
          c.unitsIn += Math.max(1, Math.ceil(inBytes / MESSAGE_UNIT));
          const reply = (result as { body?: unknown } | undefined)?.body;
          if (typeof reply === 'string' && reply !== '') {
            const outBytes = Buffer.byteLength(reply);
            c.messagesOut++;
            c.bytesOut += outBytes;
            c.unitsOut += Math.max(1, Math.ceil(outBytes / MESSAGE_UNIT));
            if (reply.startsWith('[4')) c.errors++;
          }
        }
      }
    }
  }

  /** The functions' SDK requests carry the label of the invocation that makes them. */
  #wrapHttpRequest(): void {
    const als = this.#als;
    const original = http.request;
    const wrapped = function (this: unknown, ...args: unknown[]) {
      const request = (original as (...a: unknown[]) => http.ClientRequest).apply(this, args);
      const store = als.getStore();
      if (store !== undefined && !request.headersSent)
        request.setHeader(LABEL_HEADER, `${store.id}|${store.label}`);
      return request;
    };
    (http as unknown as { request: unknown }).request = wrapped;
  }

  /** Counts (and swallows) what the functions write; the host itself runs quiet. */
  #captureOutput(): void {
    const count = (stream: NodeJS.WriteStream) => {
      const original = stream.write.bind(stream);
      const write = (chunk: string | Uint8Array, ...rest: never[]): boolean => {
        const label = this.#als.getStore()?.label;
        if (label === undefined) return original(chunk, ...rest);
        if (this.#on) {
          const c = this.#label(label);
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          c.logBytes += Buffer.byteLength(text);
          c.logLines += text.split('\n').filter((line) => line !== '').length;
        }
        const callback = (rest as unknown[]).find((r) => typeof r === 'function') as (() => void) | undefined;
        callback?.();
        return true;
      };
      stream.write = write;
    };
    count(process.stdout);
    count(process.stderr);
  }

  async #startProxy(service: 'dynamodb' | 'eventbridge', target: string): Promise<string> {
    const server = http.createServer((req, res) => {
      this.#forward(service, new URL(target), req, res).catch((error: unknown) => {
        process.stderr.write(`bench proxy: ${String(error)}\n`);
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.#servers.push(server);
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /**
   * Forwards one request; the time it spends besides waiting for the service (extra reads,
   * decoding, re-encoding) is the meter's, and is taken off the invocation's duration.
   */
  async #forward(
    service: 'dynamodb' | 'eventbridge',
    target: URL,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const started = performance.now();
    const [idText, ...rest] = String(req.headers[LABEL_HEADER] ?? '').split('|');
    const id = Number(idText);
    const timing = { upstreamMs: 0 };
    try {
      await this.#handle(
        service,
        target,
        req,
        res,
        rest.length > 0 ? rest.join('|') : 'unattributed',
        timing,
      );
    } finally {
      if (Number.isInteger(id) && id > 0) {
        const overhead = Math.max(0, performance.now() - started - timing.upstreamMs);
        this.#overheadMs.set(id, (this.#overheadMs.get(id) ?? 0) + overhead);
      }
    }
  }

  async #handle(
    service: 'dynamodb' | 'eventbridge',
    target: URL,
    req: IncomingMessage,
    res: ServerResponse,
    label: string,
    timing: { upstreamMs: number },
  ): Promise<void> {
    const body = await readAll(req);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (name === LABEL_HEADER || name === 'content-length' || name === 'host' || value === undefined)
        continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const upstream = async (data: Buffer) => {
      const sent = performance.now();
      const out = await this.#send(target, req.method ?? 'POST', headers, data);
      timing.upstreamMs += performance.now() - sent;
      return out;
    };
    const c = this.#on ? this.#label(label) : emptyLabel();

    if (service === 'eventbridge') {
      try {
        const entries = (JSON.parse(body.toString('utf8')) as { Entries?: unknown[] }).Entries ?? [];
        c.putEventsCalls++;
        for (const entry of entries) {
          const size = entrySize(entry);
          c.eventEntries++;
          c.eventBytes += size;
          c.eventChunks += Math.max(1, Math.ceil(size / EVENT_CHUNK));
          const type = String((entry as { DetailType?: unknown }).DetailType);
          c.eventTypes[type] = (c.eventTypes[type] ?? 0) + 1;
        }
      } catch {
        // counted by the bus as an invalid request
      }
      const out = await upstream(body);
      return reply(res, out.status, out.headers, out.body);
    }

    const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
    let request: any;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      const out = await upstream(body);
      return reply(res, out.status, out.headers, out.body);
    }
    c.ddbRequests[op] = (c.ddbRequests[op] ?? 0) + 1;
    const asked = request.ReturnConsumedCapacity !== undefined && request.ReturnConsumedCapacity !== 'NONE';
    if (!asked && (READ_OPS.has(op) || WRITE_OPS.has(op))) request.ReturnConsumedCapacity = 'TOTAL';

    const writes = WRITE_OPS.has(op) ? writtenKeys(op, request) : [];
    const before = await Promise.all(writes.map((w) => this.#getItem(target, headers, w.table, w.key)));

    const out = await upstream(Buffer.from(JSON.stringify(request)));
    let answer: any;
    try {
      answer = JSON.parse(out.body.toString('utf8'));
    } catch {
      return reply(res, out.status, out.headers, out.body);
    }

    if (out.status !== 200) {
      if (String(answer?.__type).endsWith('ConditionalCheckFailedException')) {
        // Billed as a write of the existing item (at least 1 WCU); nothing reaches the index.
        const existing = before[0];
        const units = Math.max(1, Math.ceil((existing ? dynaliteDb.itemSize(existing) : 0) / 1024));
        c.failedConditionalWrites++;
        c.failedConditionalUnits += units;
        c.tableWriteUnits += units;
      }
      return reply(res, out.status, out.headers, out.body);
    }

    const consumed = [answer.ConsumedCapacity ?? []].flat() as { CapacityUnits?: number }[];
    let units = consumed.reduce((sum, x) => sum + (x.CapacityUnits ?? 0), 0);
    // A Query or Scan that reads nothing still costs the minimum read (dynalite counts 0).
    if (op === 'Query' || op === 'Scan') units = Math.max(units, request.ConsistentRead ? 1 : 0.5);
    if (READ_OPS.has(op)) c.readUnits += units;
    if (WRITE_OPS.has(op)) c.tableWriteUnits += units;
    if (writes.length > 0) {
      const after = await Promise.all(writes.map((w) => this.#getItem(target, headers, w.table, w.key)));
      writes.forEach((_, i) => {
        c.indexWriteUnits += indexWriteUnits(before[i], after[i]);
        c.storageBytes += storedBytes(after[i]) - storedBytes(before[i]);
      });
    }
    if (!asked) delete answer.ConsumedCapacity;
    const text = Buffer.from(JSON.stringify(answer));
    const replyHeaders = { ...out.headers };
    delete replyHeaders['x-amz-crc32']; // the body changed
    return reply(res, 200, replyHeaders, text);
  }

  #getItem(
    target: URL,
    headers: Record<string, string>,
    table: string,
    key: DynamoItem,
  ): Promise<DynamoItem | undefined> {
    const body = Buffer.from(JSON.stringify({ TableName: table, Key: key, ConsistentRead: true }));
    return this.#send(target, 'POST', { ...headers, 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body).then(
      (out) => (JSON.parse(out.body.toString('utf8')) as { Item?: DynamoItem }).Item,
    );
  }

  #send(
    target: URL,
    method: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const request = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: '/',
          method,
          agent: this.#agent,
          headers: { ...headers, 'content-length': String(body.length) },
        },
        (response) => {
          readAll(response).then((data) => {
            const out: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined && name !== 'content-length' && name !== 'connection')
                out[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({ status: response.statusCode ?? 500, headers: out, body: data });
          }, reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }
}

/** The table keys a write request touches (Put: the key attributes of its item). */
function writtenKeys(op: string, request: any): { table: string; key: DynamoItem }[] {
  const keyOf = (item: DynamoItem): DynamoItem => ({
    [TABLE.partitionKey]: item[TABLE.partitionKey]!,
    [TABLE.sortKey]: item[TABLE.sortKey]!,
  });
  if (op === 'PutItem') return [{ table: request.TableName, key: keyOf(request.Item) }];
  if (op === 'UpdateItem' || op === 'DeleteItem') return [{ table: request.TableName, key: request.Key }];
  if (op === 'BatchWriteItem') {
    return Object.entries(request.RequestItems ?? {}).flatMap(([table, list]) =>
      (list as any[]).map((w) => ({
        table,
        key: w.PutRequest ? keyOf(w.PutRequest.Item) : (w.DeleteRequest.Key as DynamoItem),
      })),
    );
  }
  return [];
}

const indexKey = (item: DynamoItem | undefined, pk: string, sk: string): string | undefined => {
  const h = item?.[pk];
  const r = item?.[sk];
  return h && r ? JSON.stringify([h, r]) : undefined;
};

/**
 * Index writes of one item write, for the keys-only indexes of the topology: an index entry is
 * written when the item gets index keys (1 WCU: a keys-only entry is far under 1 KB), deleted
 * when it loses them (1), both when they change (2); nothing when they stay the same, since a
 * keys-only index does not project the other attributes.
 */
export function indexWriteUnits(before: DynamoItem | undefined, after: DynamoItem | undefined): number {
  let units = 0;
  for (const index of TABLE.indexes) {
    const a = indexKey(before, index.partitionKey, index.sortKey);
    const b = indexKey(after, index.partitionKey, index.sortKey);
    if (a === b) continue;
    units += (a === undefined ? 0 : 1) + (b === undefined ? 0 : 1);
  }
  return units;
}

/** Stored bytes of an item plus its keys-only index entries. */
function storedBytes(item: DynamoItem | undefined): number {
  if (!item) return 0;
  let total = dynaliteDb.itemSize(item) + ITEM_OVERHEAD;
  for (const index of TABLE.indexes) {
    if (indexKey(item, index.partitionKey, index.sortKey) === undefined) continue;
    const keys: DynamoItem = {};
    for (const name of [TABLE.partitionKey, TABLE.sortKey, index.partitionKey, index.sortKey])
      keys[name] = item[name]!;
    total += dynaliteDb.itemSize(keys) + ITEM_OVERHEAD;
  }
  return total;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}
