/**
 * A lean OCPP-J station: a plain `ws` client, HTTP Basic auth like a real station, one CALL
 * outstanding at a time (OCPP-J §4.1.1), no schema validation (the CSMS under test validates).
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export class CallError extends Error {
  constructor(
    readonly action: string,
    readonly code: string,
    description: string,
  ) {
    super(`${action}: CALLERROR ${code} ${description}`);
    this.name = 'CallError';
  }
}

export interface Answer {
  readonly payload: any;
  /** Round trip, ms. */
  readonly ms: number;
}

export class LeanStation {
  #ws: WebSocket | undefined;
  #nextId = 1;
  #waiting:
    | {
        id: string;
        action: string;
        resolve: (a: Answer) => void;
        reject: (e: Error) => void;
        sentAt: number;
        timer: NodeJS.Timeout;
      }
    | undefined;

  constructor(
    readonly url: string,
    readonly id: string,
    readonly password: string | undefined,
    readonly protocol: string,
  ) {}

  get connected(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Opens the connection; resolves with the handshake time (ms). */
  connect(timeoutMs = 30_000): Promise<number> {
    const started = performance.now();
    const headers: Record<string, string> = {};
    if (this.password !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.id}:${this.password}`).toString('base64')}`;
    }
    const ws = new WebSocket(`${this.url}/${encodeURIComponent(this.id)}`, [this.protocol], {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: timeoutMs,
    });
    this.#ws = ws;
    ws.on('message', (data: Buffer) => this.#onMessage(data));
    ws.on('close', () => {
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (waiting) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`${waiting.action}: connection closed before the answer`));
      }
    });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        if (ws.protocol !== this.protocol) {
          ws.terminate();
          reject(new Error(`handshake chose "${ws.protocol}", not ${this.protocol}`));
          return;
        }
        resolve(performance.now() - started);
      });
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(new Error(`handshake refused: ${res.statusCode}`));
      });
      ws.once('error', (error) => reject(error));
    });
  }

  /** Sends a CALL and waits for its CALLRESULT (a CALLERROR rejects with CallError). */
  call(action: string, payload: object, timeoutMs = 30_000): Promise<Answer> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error(`${action}: not connected`));
    if (this.#waiting) return Promise.reject(new Error(`${action}: a CALL is already outstanding`));
    const id = String(this.#nextId++);
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = undefined;
        reject(new Error(`${action}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiting = { id, action, resolve, reject, sentAt: performance.now(), timer };
      ws.send(JSON.stringify([2, id, action, payload]));
    });
  }

  #onMessage(data: Buffer): void {
    const received = performance.now();
    const waiting = this.#waiting;
    let frame: unknown[];
    try {
      frame = JSON.parse(data.toString('utf8')) as unknown[];
    } catch {
      return;
    }
    if (!waiting || frame[1] !== waiting.id) return; // a CSMS-initiated CALL: not in the profile
    this.#waiting = undefined;
    clearTimeout(waiting.timer);
    if (frame[0] === 3) waiting.resolve({ payload: frame[2], ms: received - waiting.sentAt });
    else waiting.reject(new CallError(waiting.action, String(frame[2]), String(frame[3])));
  }

  /** Closes the connection (1000) and waits until it is closed. */
  close(): Promise<void> {
    const ws = this.#ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 5_000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
    });
  }
}
