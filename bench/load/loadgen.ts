/**
 * The load generator, a process of its own (never the host's): lean `ws` stations that
 *  - `day*`: drive one station through simulated days of the profile, one message after the
 *    other (the cost benchmark: what matters is what each message costs, not how fast it goes);
 *  - `add` / `measure`: run N stations through the profile sped up `speed` times, each on its own
 *    clock (random phase), and measure round trips per message type in windows.
 */
import { performance } from 'node:perf_hooks';
import { serve } from '../lib/ipc.js';
import {
  bootNotification,
  DAY_SECONDS,
  daySteps,
  initialStatus,
  newState,
  onAnswer,
  SESSION_SECONDS,
  SESSION_STARTS,
  type Protocol,
  type StationState,
  type Step,
} from '../lib/profile.js';
import { percentile } from '../lib/stats.js';
import { CallError, LeanStation } from './station.js';

// ------------------------------------------------------------------ one station, simulated days

let dayStation: { station: LeanStation; state: StationState; protocol: Protocol } | undefined;

async function daySetup(params: {
  wsUrl: string;
  stationId: string;
  password: string;
  protocol: Protocol;
  epochMs: number;
}): Promise<{ heartbeatInterval: number }> {
  const station = new LeanStation(params.wsUrl, params.stationId, params.password, params.protocol);
  const state = newState(params.epochMs);
  await station.connect();
  const [action, payload] = bootNotification(params.protocol, params.stationId);
  onAnswer(state, action, (await station.call(action, payload)).payload);
  await station.call(...initialStatus(params.protocol, state, 0));
  // One reconnect, so that every function has run once before counting starts.
  await station.close();
  await station.connect();
  dayStation = { station, state, protocol: params.protocol };
  return { heartbeatInterval: state.heartbeatInterval };
}

async function dayRun(params: { day: number }): Promise<{ calls: Record<string, number>; errors: string[] }> {
  const s = dayStation;
  if (!s) throw new Error('daySetup first');
  const calls: Record<string, number> = {};
  const errors: string[] = [];
  for (const step of daySteps(s.protocol, params.day, s.state.heartbeatInterval)) {
    if (step.kind === 'reconnect') {
      await s.station.close();
      await s.station.connect();
      calls.reconnect = (calls.reconnect ?? 0) + 1;
      continue;
    }
    const [action, payload] = step.build(s.state);
    calls[action] = (calls[action] ?? 0) + 1;
    try {
      onAnswer(s.state, action, (await s.station.call(action, payload)).payload);
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { calls, errors };
}

// ------------------------------------------------------------------ N stations, sped up

interface Live {
  readonly station: LeanStation;
  readonly state: StationState;
  /** Real time (performance.now) when it joined, and its simulated second then. */
  readonly joinedAt: number;
  readonly offset: number;
  steps: Step[];
  next: number;
  day: number;
  stopped: boolean;
}

interface Window {
  readonly startedAt: number;
  readonly latencies: Map<string, number[]>;
  readonly lags: number[];
  /** Calls whose scheduled time fell in the window (the offered load). */
  scheduled: number;
  /** Periodic calls skipped because the station was more than SKIP_LATE_MS behind. */
  skipped: number;
  answers: number;
  errors: number;
  errorSamples: string[];
}

let load:
  | {
      wsUrl: string;
      protocol: Protocol;
      speed: number;
      password: string;
      stations: Live[];
      running: boolean;
      window: Window | undefined;
      /** Calls answered / failed since the start, outside windows too. */
      answered: number;
      failed: number;
      lastErrors: string[];
    }
  | undefined;

/** How late a periodic message may be before the station skips it. */
const SKIP_LATE_MS = 2_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

function record(kind: string, ms: number): void {
  const w = load?.window;
  if (!w) return;
  let list = w.latencies.get(kind);
  if (!list) w.latencies.set(kind, (list = []));
  list.push(ms);
}

function recordError(message: string): void {
  if (!load) return;
  load.failed++;
  if (load.lastErrors.length < 20) load.lastErrors.push(message);
  const w = load.window;
  if (!w) return;
  w.errors++;
  if (w.errorSamples.length < 5) w.errorSamples.push(message);
}

function realTimeOf(live: Live, simulatedSecond: number): number {
  return live.joinedAt + ((simulatedSecond - live.offset) * 1000) / load!.speed;
}

/**
 * The steps a station joining at `offset` missed that the rest of its session needs: when it
 * joins during a session, the session's opening (status, Authorize, the transaction start),
 * sent before it is measured.
 */
function opening(protocol: Protocol, offset: number, heartbeatInterval: number): Step[] {
  const start = SESSION_STARTS.find((s) => offset > s && offset < s + SESSION_SECONDS + 11);
  if (start === undefined) return [];
  return daySteps(protocol, 0, heartbeatInterval).filter(
    (step) => step.kind === 'call' && step.at >= start && step.at <= start + 11 && step.at < offset,
  );
}

async function runStation(live: Live): Promise<void> {
  const l = load!;
  while (l.running && !live.stopped) {
    if (live.next >= live.steps.length) {
      live.day++;
      live.steps = daySteps(l.protocol, live.day, live.state.heartbeatInterval);
      live.next = 0;
    }
    const step = live.steps[live.next++]!;
    if (step.at < live.offset) continue;
    const due = realTimeOf(live, step.at);
    await sleep(due - performance.now());
    if (!l.running || live.stopped) break;
    if (step.kind === 'reconnect') {
      await live.station.close();
      try {
        // Like a real station, it retries a handshake the storm defence refused (503).
        record('(reconnect)', await connectWithRetry(live.station));
      } catch (error) {
        recordError(`reconnect: ${error instanceof Error ? error.message : String(error)}`);
        await sleep(1000);
        if (!live.station.connected) await live.station.connect().catch(() => undefined);
      }
      continue;
    }
    if (!live.station.connected) {
      recordError('not connected');
      continue;
    }
    const lag = performance.now() - due;
    if (l.window) {
      l.window.lags.push(lag);
      if (due >= l.window.startedAt) l.window.scheduled++;
    }
    // A station that fell behind sends its next periodic message, not every one it missed.
    if (step.periodic && lag > SKIP_LATE_MS) {
      if (l.window) l.window.skipped++;
      continue;
    }
    const [action, payload] = step.build(live.state);
    try {
      const answer = await live.station.call(action, payload);
      onAnswer(live.state, action, answer.payload);
      record(action, answer.ms);
      l.answered++;
      if (l.window) l.window.answers++;
    } catch (error) {
      recordError(error instanceof CallError ? error.message : `${action}: ${String(error)}`);
    }
  }
}

async function loadStart(params: { wsUrl: string; protocol: Protocol; speed: number; password: string }) {
  load = {
    ...params,
    stations: [],
    running: true,
    window: undefined,
    answered: 0,
    failed: 0,
    lastErrors: [],
  };
  return true;
}

/** Connects and boots `ids` (at most `concurrency` handshakes at a time), then lets them run. */
async function loadAdd(params: { ids: string[]; concurrency?: number }) {
  const l = load;
  if (!l) throw new Error('loadStart first');
  const started = performance.now();
  const queue = [...params.ids];
  const connectMs: number[] = [];
  const failures: string[] = [];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const station = new LeanStation(l.wsUrl, id, l.password, l.protocol);
      // A random moment of its day, sessions included (a station may join in the middle of one).
      const offset = Math.random() * DAY_SECONDS;
      const state = newState(Date.now() - 30 * DAY_SECONDS * 1000);
      try {
        connectMs.push(await connectWithRetry(station));
        const [action, payload] = bootNotification(l.protocol, id);
        onAnswer(state, action, (await station.call(action, payload)).payload);
        for (const step of opening(l.protocol, offset, state.heartbeatInterval)) {
          if (step.kind !== 'call') continue;
          const [a, p] = step.build(state);
          onAnswer(state, a, (await station.call(a, p)).payload);
        }
      } catch (error) {
        failures.push(`${id}: ${error instanceof Error ? error.message : String(error)}`);
        continue;
      }
      // The station's clock: it is `offset` seconds into its first simulated day right now.
      const live: Live = {
        station,
        state,
        joinedAt: performance.now(),
        offset,
        steps: daySteps(l.protocol, 0, state.heartbeatInterval),
        next: 0,
        day: 0,
        stopped: false,
      };
      l.stations.push(live);
      void runStation(live);
    }
  };
  await Promise.all(Array.from({ length: params.concurrency ?? 16 }, worker));
  connectMs.sort((a, b) => a - b);
  return {
    added: params.ids.length - failures.length,
    failures: failures.slice(0, 5),
    failed: failures.length,
    total: l.stations.length,
    seconds: (performance.now() - started) / 1000,
    connectP50: percentile(connectMs, 50),
    connectP99: percentile(connectMs, 99),
  };
}

export interface WindowResult {
  readonly seconds: number;
  readonly answers: number;
  readonly perSecond: number;
  readonly scheduledPerSecond: number;
  readonly skipped: number;
  readonly errors: number;
  readonly errorSamples: string[];
  readonly lagP99: number;
  readonly types: Record<string, { count: number; p50: number; p95: number; p99: number }>;
  readonly all: { count: number; p50: number; p95: number; p99: number };
}

/** Measures `windows` consecutive windows of `windowMs`; the stations keep running. */
async function loadMeasure(params: { windows: number; windowMs: number }): Promise<WindowResult[]> {
  const l = load;
  if (!l) throw new Error('loadStart first');
  const results: WindowResult[] = [];
  for (let i = 0; i < params.windows; i++) {
    const w: Window = {
      startedAt: performance.now(),
      latencies: new Map(),
      lags: [],
      scheduled: 0,
      skipped: 0,
      answers: 0,
      errors: 0,
      errorSamples: [],
    };
    l.window = w;
    await sleep(params.windowMs);
    l.window = undefined;
    const seconds = (performance.now() - w.startedAt) / 1000;
    const types: WindowResult['types'] = {};
    const all: number[] = [];
    for (const [kind, list] of w.latencies) {
      list.sort((a, b) => a - b);
      types[kind] = {
        count: list.length,
        p50: percentile(list, 50),
        p95: percentile(list, 95),
        p99: percentile(list, 99),
      };
      if (!kind.startsWith('(')) all.push(...list);
    }
    all.sort((a, b) => a - b);
    w.lags.sort((a, b) => a - b);
    results.push({
      seconds,
      answers: w.answers,
      perSecond: w.answers / seconds,
      scheduledPerSecond: w.scheduled / seconds,
      skipped: w.skipped,
      errors: w.errors,
      errorSamples: w.errorSamples,
      lagP99: percentile(w.lags, 99),
      types,
      all: {
        count: all.length,
        p50: percentile(all, 50),
        p95: percentile(all, 95),
        p99: percentile(all, 99),
      },
    });
  }
  return results;
}

/**
 * Closed loop: the first `stations` stations send Heartbeat / MeterValues (no transaction) one
 * after the other as fast as the answers come, for `ms`. Their profiles pause meanwhile.
 */
async function loadSaturate(params: { stations: number; ms: number }) {
  const l = load;
  if (!l) throw new Error('loadStart first');
  // A separate set of connections, so the profile's one-CALL-at-a-time rule is kept.
  const ids = l.stations.slice(0, params.stations).map((s) => s.station.id);
  const extra = await Promise.all(
    ids.map(async (id) => {
      const station = new LeanStation(l.wsUrl, id, l.password, l.protocol);
      await station.connect();
      return station;
    }),
  );
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + params.ms;
  const started = performance.now();
  await Promise.all(
    extra.map(async (station, i) => {
      let n = i;
      while (performance.now() < until) {
        const heartbeat = n++ % 2 === 0;
        const frame: [string, object] = heartbeat
          ? ['Heartbeat', {}]
          : [
              'MeterValues',
              l.protocol === 'ocpp1.6'
                ? {
                    connectorId: 1,
                    meterValue: [
                      { timestamp: new Date().toISOString(), sampledValue: [{ value: String(n) }] },
                    ],
                  }
                : {
                    evseId: 1,
                    meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: n }] }],
                  },
            ];
        try {
          latencies.push((await station.call(...frame)).ms);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(extra.map((s) => s.close()));
  latencies.sort((a, b) => a - b);
  return {
    stations: extra.length,
    seconds,
    answers: latencies.length,
    perSecond: latencies.length / seconds,
    errors,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/** Stops and disconnects the `count` stations that joined last. */
async function loadRemove(params: { count: number }) {
  const l = load;
  if (!l) throw new Error('loadStart first');
  const removed = l.stations.splice(Math.max(0, l.stations.length - params.count));
  for (const live of removed) live.stopped = true;
  await Promise.all(removed.map((live) => live.station.close()));
  return { removed: removed.length, total: l.stations.length };
}

async function loadStop() {
  const l = load;
  if (!l) return { answered: 0, failed: 0 };
  l.running = false;
  await Promise.all(l.stations.map((s) => s.station.close()));
  load = undefined;
  return { answered: l.answered, failed: l.failed, lastErrors: l.lastErrors };
}

function loadStatus() {
  const l = load;
  return l
    ? {
        stations: l.stations.length,
        answered: l.answered,
        failed: l.failed,
        lastErrors: l.lastErrors.slice(-5),
      }
    : undefined;
}

serve(
  { daySetup, dayRun, loadStart, loadAdd, loadRemove, loadMeasure, loadSaturate, loadStop, loadStatus },
  { pid: process.pid },
  async () => {
    await dayStation?.station.close();
    if (load) await loadStop();
  },
);

/**
 * Issue 14 (5,000 stations): the host refuses handshakes beyond what it can serve with 503 (the
 * reconnect-storm defence, docs/adr/0006-reconnect-storms.md); a real station retries with
 * back-off, and so does the load generator, instead of counting the station as failed.
 */
async function connectWithRetry(station: LeanStation, attempts = 30): Promise<number> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      await station.connect();
      return performance.now() - started;
    } catch (error) {
      const refused = error instanceof Error && /\b503\b/.test(error.message);
      if (!refused || attempt >= attempts) throw error;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(5_000, 100 * 2 ** attempt) * Math.random()),
      );
    }
  }
}
