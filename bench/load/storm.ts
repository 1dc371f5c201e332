/**
 * A reconnect storm: every station opens its WebSocket at the same moment (a fleet after a CSMS
 * restart or a network blip) and retries as real stations do — exponential back-off with
 * jitter (2.0.1 B01: RetryBackOffWaitMinimum + a random range, doubled on each attempt),
 * never sooner than a `Retry-After` the CSMS asked for. Each station sends a 1.6
 * BootNotification once connected. Meanwhile an operator polls the HTTP API.
 *
 * Used by test/e2e/reconnect-storm.test.ts (asserts what stations and the operator saw) and by
 * `npm run bench` (reports the time to all booted and the number of 503s).
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

export interface StormOptions {
  /** `ws://host:port/ocpp` */
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly apiToken: string;
  readonly stations: readonly { readonly id: string; readonly password: string }[];
  /** Hang guard: stations not booted by then are given up (reported, not thrown). */
  readonly deadlineMs: number;
  /** First retry waits about this long (default 1 s); doubled per attempt up to `maxBackoffMs`. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How often the operator asks the HTTP API (default 500 ms). */
  readonly apiProbeIntervalMs?: number;
}

export interface StormResult {
  readonly stations: number;
  readonly booted: number;
  /** Milliseconds from the first connection attempt until the last station was booted. */
  readonly msToAllBooted: number | undefined;
  readonly attempts: number;
  /** Handshakes refused with 503 (load shed). */
  readonly refused503: number;
  /** Other failed attempts by HTTP status, or why (reset, timeout, closed before the boot). */
  readonly otherFailures: Readonly<Record<string, number>>;
  /** HTTP API answers during the storm by status (0: no answer within 29 s, API Gateway's limit). */
  readonly apiAnswers: Readonly<Record<string, number>>;
}

const HANDSHAKE_TIMEOUT_MS = 30_000;
const BOOT_TIMEOUT_MS = 30_000;
const API_TIMEOUT_MS = 29_000;

type Attempt =
  { ok: true; ws: WebSocket } | { ok: false; status: number; why?: string; retryAfterMs?: number };

export async function runStorm(options: StormOptions): Promise<StormResult> {
  const started = performance.now();
  const deadline = started + options.deadlineMs;
  const minBackoff = options.minBackoffMs ?? 1_000;
  const maxBackoff = options.maxBackoffMs ?? 16_000;
  let attempts = 0;
  let refused503 = 0;
  const otherFailures: Record<string, number> = {};
  const apiAnswers: Record<string, number> = {};
  const open: WebSocket[] = [];
  let lastBootedAt = 0;
  let stormOver = false;

  const probes: Promise<void>[] = [];
  const probeTimer = setInterval(() => {
    probes.push(
      fetch(`${options.httpUrl}/v1/stations?limit=1`, {
        headers: { authorization: `Bearer ${options.apiToken}` },
        signal: AbortSignal.timeout(API_TIMEOUT_MS),
      }).then(
        async (res) => {
          await res.arrayBuffer();
          apiAnswers[res.status] = (apiAnswers[res.status] ?? 0) + 1;
        },
        () => void (apiAnswers[0] = (apiAnswers[0] ?? 0) + 1),
      ),
    );
  }, options.apiProbeIntervalMs ?? 500);

  const station = async (id: string, password: string): Promise<boolean> => {
    for (let attempt = 0; performance.now() < deadline && !stormOver; attempt++) {
      attempts++;
      const outcome = await tryOnce(options.wsUrl, id, password);
      if (outcome.ok) {
        open.push(outcome.ws);
        lastBootedAt = performance.now();
        return true;
      }
      if (outcome.status === 503) refused503++;
      else {
        const key = outcome.why ?? String(outcome.status);
        otherFailures[key] = (otherFailures[key] ?? 0) + 1;
      }
      const backoff = Math.min(maxBackoff, minBackoff * 2 ** attempt);
      const wait = Math.max(backoff * (0.5 + Math.random() / 2), outcome.retryAfterMs ?? 0);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(wait, Math.max(0, deadline - performance.now()))),
      );
    }
    return false;
  };

  const results = await Promise.all(options.stations.map((s) => station(s.id, s.password)));
  stormOver = true;
  clearInterval(probeTimer);
  await Promise.all(probes);
  const booted = results.filter(Boolean).length;
  await Promise.all(open.map((ws) => closeQuietly(ws)));
  return {
    stations: options.stations.length,
    booted,
    msToAllBooted: booted === options.stations.length ? lastBootedAt - started : undefined,
    attempts,
    refused503,
    otherFailures,
    apiAnswers,
  };
}

/** One connection attempt and a BootNotification; ok only once the boot was Accepted. */
function tryOnce(wsUrl: string, id: string, password: string): Promise<Attempt> {
  return new Promise((resolve) => {
    let settled = false;
    const headers = { authorization: `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}` };
    const ws = new WebSocket(`${wsUrl}/${encodeURIComponent(id)}`, ['ocpp1.6'], {
      headers,
      perMessageDeflate: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    let bootTimer: NodeJS.Timeout | undefined;
    const done = (attempt: Attempt): void => {
      if (settled) return;
      settled = true;
      clearTimeout(bootTimer);
      if (!attempt.ok) ws.terminate();
      resolve(attempt);
    };
    ws.on('unexpected-response', (_req, res) => {
      const retryAfter = Number(res.headers['retry-after']);
      res.resume();
      done({
        ok: false,
        status: res.statusCode ?? 0,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
      });
    });
    ws.on('error', (error: Error & { code?: string }) =>
      done({ ok: false, status: 0, why: `error ${error.code ?? error.message}` }),
    );
    ws.on('close', (code) => done({ ok: false, status: 0, why: `closed ${code}` }));
    ws.on('open', () => {
      bootTimer = setTimeout(() => done({ ok: false, status: 0, why: 'boot timeout' }), BOOT_TIMEOUT_MS);
      ws.send(
        JSON.stringify([
          2,
          'boot-1',
          'BootNotification',
          { chargePointVendor: 'Storm', chargePointModel: 'S1' },
        ]),
      );
    });
    ws.on('message', (data) => {
      let frame: unknown;
      try {
        frame = JSON.parse((data as Buffer).toString('utf8'));
      } catch {
        return;
      }
      if (!Array.isArray(frame) || frame[1] !== 'boot-1') return;
      const accepted =
        frame[0] === 3 && (frame[2] as { status?: unknown } | undefined)?.status === 'Accepted';
      done(accepted ? { ok: true, ws } : { ok: false, status: 0, why: `boot answered ${String(frame[0])}` });
    });
  });
}

function closeQuietly(ws: WebSocket): Promise<void> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    const timer = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 2_000);
    ws.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    ws.close(1000);
  });
}
