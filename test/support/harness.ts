/**
 * Test harness: the local host (in-memory dynalite, random port), HTTP API calls with the admin
 * token, and independent OCPP peers (ocpp-rpc in strict mode, which validates everything the CSMS
 * sends against the official schemas) plus a raw WebSocket for malformed frames.
 */
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { startLocalHost } from '../../infra/local/host.js';

const require = createRequire(import.meta.url);
// ocpp-rpc is CommonJS without usable ESM types; it is a test peer only.
const ocppRpc = require('ocpp-rpc') as {
  RPCClient: new (options: Record<string, unknown>) => RpcClient;
  createValidator: (subprotocol: string, schemas: unknown[]) => unknown;
};

export interface RpcClient {
  connect(): Promise<{ response: { headers: Record<string, string> } }>;
  call(method: string, params: Record<string, unknown>, options?: Record<string, unknown>): Promise<any>;
  handle(method: string, handler: (call: { params: any; method: string }) => unknown): void;
  close(options?: Record<string, unknown>): Promise<unknown>;
  on(event: string, listener: (...args: any[]) => void): void;
  readonly protocol: string | undefined;
}

type Host = Awaited<ReturnType<typeof startLocalHost>>;

/**
 * ocpp-rpc 2.2.1 cannot validate OCPP 2.1 in strict mode: its 2.1 schemas are named `urn:XRequest`
 * but it looks them up as `urn:X.req`. Give it the same official schemas under the names it uses.
 */
function ocpp21Validator(): unknown {
  const schemas = require('ocpp-rpc/lib/schemas/ocpp2_1.json') as { $id: string }[];
  const renamed = schemas.map((s) => ({
    ...s,
    $id: s.$id.replace(/Request$/, '.req').replace(/Response$/, '.conf'),
  }));
  return ocppRpc.createValidator('ocpp2.1', renamed);
}

export interface Harness {
  readonly host: Host;
  api(
    method: string,
    path: string,
    body?: unknown,
    token?: string | null,
  ): Promise<{ status: number; body: any }>;
  /** Provisions a station through the HTTP API; returns its password. */
  provision(
    id: string,
    options?: { password?: string; freeCharging?: boolean; protocol?: string },
  ): Promise<string>;
  /** An ocpp-rpc station in strict mode (connected). */
  station(
    id: string,
    protocol: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1',
    options?: { password?: string | null; protocols?: string[] },
  ): Promise<RpcClient>;
  /** A raw WebSocket station for frames no real client would send. */
  raw(id: string, protocol: string, password: string | null): Promise<RawStation>;
  close(): Promise<void>;
}

export interface RawStation {
  readonly ws: WebSocket;
  /** Sends a text frame and waits for the next frame back (undefined if none within `waitMs`). */
  send(text: string, waitMs?: number): Promise<unknown>;
  close(): Promise<void>;
}

const passwords = new Map<string, string>();

export async function startHarness(options: Parameters<typeof startLocalHost>[0] = {}): Promise<Harness> {
  const host = await startLocalHost({ port: 0, inMemory: true, quiet: true, ...options });
  const clients: { close(): Promise<unknown> }[] = [];

  const api: Harness['api'] = async (method, path, body, token) => {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token ?? host.apiToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${host.httpUrl}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };

  return {
    host,
    api,
    async provision(id, opts = {}) {
      const password = opts.password ?? `pw-${id}-0123456789abcdef`;
      const res = await api('POST', '/v1/stations', {
        id,
        password,
        ...(opts.freeCharging !== undefined ? { freeCharging: opts.freeCharging } : {}),
        ...(opts.protocol ? { protocol: opts.protocol } : {}),
      });
      if (res.status !== 201)
        throw new Error(`provisioning ${id} failed: ${res.status} ${JSON.stringify(res.body)}`);
      passwords.set(id, password);
      return password;
    },
    async station(id, protocol, opts = {}) {
      const password = opts.password === undefined ? passwords.get(id) : opts.password;
      const client = new ocppRpc.RPCClient({
        endpoint: host.wsUrl,
        identity: id,
        protocols: opts.protocols ?? [protocol],
        ...(password ? { password } : {}),
        strictMode: true,
        ...(protocol === 'ocpp2.1' || opts.protocols?.includes('ocpp2.1')
          ? { strictModeValidators: [ocpp21Validator()] }
          : {}),
        reconnect: false,
        callTimeoutMs: 10_000,
      });
      await client.connect();
      clients.push(client);
      return client;
    },
    async raw(id, protocol, password) {
      const headers: Record<string, string> = {};
      if (password) headers.authorization = `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`;
      const ws = new WebSocket(`${host.wsUrl}/${encodeURIComponent(id)}`, [protocol], { headers });
      await new Promise<void>((resolve, reject) => {
        ws.once('open', () => resolve());
        ws.once('error', reject);
        ws.once('unexpected-response', (_req, res) =>
          reject(new Error(`handshake refused: ${res.statusCode}`)),
        );
      });
      const station: RawStation = {
        ws,
        send(text, waitMs = 5000) {
          return new Promise((resolve) => {
            const timer = setTimeout(() => {
              ws.off('message', onMessage);
              resolve(undefined);
            }, waitMs);
            const onMessage = (data: WebSocket.RawData) => {
              clearTimeout(timer);
              resolve(JSON.parse((data as Buffer).toString('utf8')));
            };
            ws.once('message', onMessage);
            ws.send(text);
          });
        },
        close: () =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            ws.once('close', () => resolve());
            ws.close();
          }),
      };
      clients.push(station);
      return station;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await host.close();
    },
  };
}

/** Waits until `predicate` holds over the host's recorded events (events are published before replies, so rarely needed). */
export function eventsOf(host: Host, type: string, stationId?: string): any[] {
  return host.events.filter(
    (e: any) => e['detail-type'] === type && (stationId === undefined || e.detail?.stationId === stationId),
  );
}
