/**
 * Benchmark 2 (and 4): latency, throughput and memory of the local host under N stations running
 * the profile sped up, compared with two baselines in the same run. The host (or baseline), the
 * load generator and this driver are three processes.
 */
import { measureCpu, type CpuShare } from './lib/cpu.js';
import { forkChild, type Child } from './lib/ipc.js';
import { ID_TAG } from './lib/profile.js';
import { spread, type Spread } from './lib/stats.js';
import type { WindowResult } from './load/loadgen.js';
import { PASSWORD } from './cost.js';

export type Target = 'host' | 'bare' | 'validate';

export const TARGET_NAMES: Record<Target, string> = {
  host: 'local host (all functions, dynalite)',
  bare: 'baseline: bare `ws`, fixed CALLRESULT',
  validate: 'baseline: `ws` + schema validation, no storage',
};

/** A step holds when its windows have no errors, the p99 (median over windows) stays under this and the stations keep to their schedule. */
export const SUSTAIN = { p99Ms: 100, lagP99Ms: 1000 };
/** Other processes using more than this (cores) during a step that fails: it is measured again, once. */
export const CONTENDED_CORES = 0.25;

export interface LatencyOptions {
  readonly speed: number;
  readonly windows: number;
  readonly windowMs: number;
  readonly warmupMs: number;
  readonly saturateMs: number;
  /** Fixed steps (100, 1000), then the ladder above the last one while time remains. */
  readonly steps: number[];
  readonly ladder: number[];
  /** Seconds the host's ladder may take in all. */
  readonly ladderBudgetSeconds: number;
}

export interface Step {
  readonly target: Target;
  readonly n: number;
  readonly connectSeconds: number;
  readonly connectFailures: number;
  readonly windows: WindowResult[];
  readonly peakRss: number;
  /** CPU of the server, load generator and driver, and of every other process, during the windows. */
  readonly cpu: CpuShare | undefined;
  /** Why the step was measured a second time (other processes took the CPU), or ''. */
  readonly remeasured: string;
  readonly sustained: boolean;
  readonly why: string;
}

export interface Saturation {
  readonly target: Target;
  readonly stations: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

export interface LatencyResult {
  readonly options: LatencyOptions;
  readonly steps: Step[];
  readonly saturation: Saturation[];
  readonly maxN: number;
  readonly maxNNote: string;
  readonly seconds: Record<Target, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const idOf = (i: number) => `CS-${String(i).padStart(5, '0')}`;

async function startTarget(target: Target): Promise<Child> {
  if (target === 'host') {
    return forkChild(new URL('./host/host-process.ts', import.meta.url), { execArgv: ['--no-warnings'] });
  }
  return forkChild(new URL('./load/baseline-server.ts', import.meta.url), {
    args: target === 'validate' ? ['--validate'] : [],
  });
}

/** p99 of all types, median over the windows. */
export function p99Of(step: Step): Spread {
  return spread(step.windows.map((w) => w.all.p99));
}

function judge(windows: WindowResult[]): { sustained: boolean; why: string } {
  const errors = windows.reduce((t, w) => t + w.errors, 0);
  const p99 = spread(windows.map((w) => w.all.p99)).median;
  const lag = spread(windows.map((w) => w.lagP99)).median;
  if (errors > 0)
    return { sustained: false, why: `${errors} errors (${windows.flatMap((w) => w.errorSamples)[0]})` };
  if (!(p99 <= SUSTAIN.p99Ms))
    return { sustained: false, why: `p99 ${p99.toFixed(0)} ms > ${SUSTAIN.p99Ms} ms` };
  if (!(lag <= SUSTAIN.lagP99Ms))
    return { sustained: false, why: `stations fall behind their schedule (lag p99 ${lag.toFixed(0)} ms)` };
  return { sustained: true, why: '' };
}

/**
 * Runs `target` through `steps` (N grows or shrinks by adding stations to the running ones or
 * stopping some). With `search`, the ladder continues upward from the last step while steps hold
 * and time remains, then narrows the gap between the largest N that held and the smallest that
 * did not.
 */
async function runTarget(
  target: Target,
  options: LatencyOptions,
  steps: number[],
  search: { ladder: number[]; until: number } | undefined,
  log: (line: string) => void,
): Promise<{ steps: Step[]; saturation: Saturation; budgetStopped: boolean }> {
  const server = await startTarget(target);
  const gen = await forkChild(new URL('./load/loadgen.ts', import.meta.url));
  const results: Step[] = [];
  let saturation: Saturation | undefined;
  let budgetStopped = false;
  try {
    await server.call('provision', { ids: [], password: PASSWORD, idTags: [ID_TAG] });
    await gen.call('loadStart', {
      wsUrl: server.info.wsUrl,
      protocol: 'ocpp1.6',
      speed: options.speed,
      password: PASSWORD,
    });
    let have = 0;
    let provisioned = 0;
    let connectRate = 20;

    /** Time a step at `n` would take: connecting at the last rate, warm-up, windows. */
    const expectedMs = (n: number) =>
      (Math.max(0, n - have) / connectRate) * 1000 +
      options.warmupMs +
      options.windows * options.windowMs +
      2_000;

    const run = async (n: number): Promise<boolean> => {
      let connectSeconds = 0;
      let connectFailures = 0;
      await server.call('markMemory');
      if (n > have) {
        const ids = Array.from({ length: n - have }, (_, i) => idOf(have + i));
        if (n > provisioned) {
          await server.call('provision', {
            ids: ids.filter((_, i) => have + i >= provisioned),
            password: PASSWORD,
          });
          provisioned = n;
        }
        const added = await gen.call('loadAdd', { ids, concurrency: 16 });
        connectRate = Math.max(1, added.added / Math.max(0.1, added.seconds));
        connectSeconds = added.seconds;
        connectFailures = added.failed;
      } else if (n < have) {
        await gen.call('loadRemove', { count: have - n });
      }
      // Fewer stations after an overload: give the host longer to work off its backlog.
      const shrinking = n < have;
      have = n;
      await sleep(shrinking ? 2 * options.warmupMs : options.warmupMs);
      const measure = async () => {
        const cpu = measureCpu([process.pid, server.process.pid!, gen.process.pid!]);
        const windows: WindowResult[] = await gen.call('loadMeasure', {
          windows: options.windows,
          windowMs: options.windowMs,
        });
        const cpuShare = cpu();
        const verdict =
          connectFailures > 0
            ? { sustained: false, why: `${connectFailures} stations could not connect` }
            : judge(windows);
        return { windows, cpuShare, verdict };
      };
      let { windows, cpuShare, verdict } = await measure();
      let remeasured = '';
      if (!verdict.sustained && connectFailures === 0 && (cpuShare?.others ?? 0) > CONTENDED_CORES) {
        // Another process took the CPU: that says nothing about the host. Measure once more.
        remeasured = `measured twice: other processes used ${cpuShare!.others.toFixed(2)} cores the first time (${verdict.why})`;
        log(`  ${target} N=${n}: ${remeasured}; measuring again`);
        ({ windows, cpuShare, verdict } = await measure());
      }
      const memory = await server.call('memory');
      const step: Step = {
        target,
        n,
        connectSeconds,
        connectFailures,
        windows,
        peakRss: memory.peakRss,
        cpu: cpuShare,
        remeasured,
        ...verdict,
      };
      results.push(step);
      log(
        `  ${target} N=${n}: ${spread(windows.map((w) => w.perSecond)).median.toFixed(0)} msg/s, ` +
          `p99 ${p99Of(step).median.toFixed(1)} ms, RSS ${(memory.peakRss / 2 ** 20).toFixed(0)} MiB` +
          (cpuShare ? `, CPU ${cpuShare.ours.toFixed(2)} cores (others ${cpuShare.others.toFixed(2)})` : '') +
          `${verdict.sustained ? '' : ` — not sustained: ${verdict.why}`}`,
      );
      return verdict.sustained;
    };

    let held = 0;
    let failed = Number.POSITIVE_INFINITY;
    const record = (n: number, ok: boolean) => {
      if (ok) held = Math.max(held, n);
      else failed = Math.min(failed, n);
    };
    for (const n of steps) {
      record(n, await run(n));
      if (n === steps[0] && options.saturateMs > 0) {
        const sat = await gen.call('loadSaturate', { stations: Math.min(50, n), ms: options.saturateMs });
        saturation = { target, ...sat };
        log(
          `  ${target} saturation (${sat.stations} stations closed loop): ${sat.perSecond.toFixed(0)} msg/s, ` +
            `p99 ${sat.p99.toFixed(1)} ms`,
        );
      }
    }
    if (search) {
      const fits = (n: number) => {
        const ok = performance.now() + expectedMs(n) <= search.until;
        if (!ok) {
          log(
            `  ${target}: the time budget leaves no room for N=${n} (about ${Math.round(expectedMs(n) / 1000)} s)`,
          );
          budgetStopped = true;
        }
        return ok;
      };
      for (const n of search.ladder) {
        if (n <= held) continue;
        if (n >= failed || !fits(n)) break;
        const ok = await run(n);
        record(n, ok);
        if (!ok) break;
      }
      // Narrow the gap (twice at most) between what held and what did not.
      for (let i = 0; i < 2 && Number.isFinite(failed) && !budgetStopped; i++) {
        const mid = Math.round((held + failed) / 2 / 50) * 50;
        if (mid <= held || mid >= failed || failed - held <= Math.max(100, held * 0.2)) break;
        if (!fits(mid)) break;
        record(mid, await run(mid));
      }
    }
  } finally {
    await gen.stop(30_000);
    await server.stop();
  }
  return { steps: results, saturation: saturation as Saturation, budgetStopped };
}

export async function runLatency(
  options: LatencyOptions,
  log: (line: string) => void,
): Promise<LatencyResult> {
  const seconds = {} as Record<Target, number>;
  let started = performance.now();
  const host = await runTarget(
    'host',
    options,
    options.steps,
    { ladder: options.ladder, until: performance.now() + options.ladderBudgetSeconds * 1000 },
    log,
  );
  seconds.host = (performance.now() - started) / 1000;

  const held = host.steps.filter((s) => s.sustained).map((s) => s.n);
  const notHeld = host.steps.filter((s) => !s.sustained).map((s) => s.n);
  const maxN = Math.max(0, ...held);
  const firstFailed = Math.min(...notHeld.filter((n) => n > maxN));
  const failedStep = host.steps.find((s) => s.n === firstFailed);
  const maxNNote = failedStep
    ? `N = ${failedStep.n.toLocaleString('en-US')} did not hold: ${failedStep.why}`
    : host.budgetStopped
      ? `every step held; the time budget ended the search, so the machine holds at least that`
      : options.ladder.length === 0
        ? 'the largest step tried (quick mode does not search further)'
        : 'the largest step of the ladder';

  const baselineSteps = [...new Set([...options.steps, ...(maxN > 0 ? [maxN] : [])])].sort((a, b) => a - b);
  const steps = [...host.steps];
  const saturation = [host.saturation];
  for (const target of ['bare', 'validate'] as const) {
    started = performance.now();
    const result = await runTarget(target, options, baselineSteps, undefined, log);
    seconds[target] = (performance.now() - started) / 1000;
    steps.push(...result.steps);
    saturation.push(result.saturation);
  }
  return { options, steps, saturation, maxN, maxNNote, seconds };
}

/**
 * Issue 14: N stations at the real profile (speed 1: a Heartbeat every HeartbeatInterval, meter
 * values every minute in sessions, a reconnect every 2 hours) against the host, measured in long
 * windows: p99 round trip and peak RSS. The host admits the handshakes at the rate it can serve
 * them (the storm defences stay on), so connecting 5,000 takes a few minutes of scrypt.
 */
export async function runFleet(n: number, windowMs: number, log: (line: string) => void): Promise<Step> {
  const { steps } = await runTarget(
    'host',
    {
      speed: 1,
      windows: 3,
      windowMs,
      warmupMs: 5_000,
      saturateMs: 0,
      steps: [n],
      ladder: [],
      ladderBudgetSeconds: 0,
    },
    [n],
    undefined,
    log,
  );
  return steps[0]!;
}
