/**
 * `npm run bench [-- --quick] [-- --only=cost,coldstart,latency,storm,webhooks,fleet] [-- --fleet=N] [-- --out=FILE]`: runs the
 * benchmarks and writes BENCHMARKS.md (see bench/README.md). Never part of `npm test`.
 * The raw results of the last run are kept in node_modules/.cache/csms-bench/results.json;
 * `-- --render-only` writes the markdown again from them (after a change to report.ts).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  bundleAll,
  measureColdStarts,
  OUT_DIR,
  type BundleSize,
  type ColdStart,
  type Variant,
} from './coldstart/coldstart.js';
import { PASSWORD, runCost, type CostRun } from './cost.js';
import { runFleet, runLatency, type LatencyOptions, type LatencyResult, type Step } from './latency.js';
import { measureCpu, type CpuShare } from './lib/cpu.js';
import { forkChild } from './lib/ipc.js';
import { runStorm, type StormResult } from './load/storm.js';
import { render, type Results } from './report.js';
import { runWebhookBench, type WebhookBenchResult } from './webhooks.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const outFile =
  args.find((a) => a.startsWith('--out='))?.slice('--out='.length) ??
  fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
const wanted = (phase: string) => !only || only.includes(phase);
const RESULTS_FILE = join(OUT_DIR, 'results.json');

if (args.includes('--render-only')) {
  const saved = JSON.parse(await readFile(RESULTS_FILE, 'utf8')) as Results;
  await writeFile(outFile, render({ ...saved, startedAt: new Date(saved.startedAt) }));
  process.stderr.write(`[bench] wrote ${outFile} from ${RESULTS_FILE}\n`);
  process.exit(0);
}

interface Plan {
  readonly costDays: number;
  readonly coldStartRuns: number;
  readonly coldStartVariants: Variant[];
  readonly latency: LatencyOptions;
  /** Webhook delivery: events published, and station calls per condition. */
  readonly webhooks: { readonly events: number; readonly calls: number };
  /** Issue 14: stations at the real profile (speed 1), and the length of each of 3 windows. */
  readonly fleet: { readonly stations: number; readonly windowMs: number };
  /** The whole run should end by then (seconds); the host's ladder gets what the rest leaves. */
  readonly budgetSeconds: number;
}

const FULL: Plan = {
  costDays: 5,
  coldStartRuns: 20,
  coldStartVariants: ['deployed', 'sdk-external'],
  latency: {
    speed: 60,
    windows: 3,
    windowMs: 6_000,
    warmupMs: 3_000,
    saturateMs: 5_000,
    steps: [100, 1_000],
    ladder: [1_500, 2_000, 2_500, 3_000, 4_000, 5_000, 6_000, 8_000],
    ladderBudgetSeconds: 0,
  },
  webhooks: { events: 5_000, calls: 500 },
  fleet: { stations: 5_000, windowMs: 20_000 },
  budgetSeconds: 530,
};

const QUICK: Plan = {
  costDays: 3,
  coldStartRuns: 5,
  coldStartVariants: ['deployed'],
  latency: {
    speed: 60,
    windows: 3,
    windowMs: 1_500,
    warmupMs: 1_000,
    saturateMs: 2_000,
    steps: [100, 1_000],
    ladder: [],
    ladderBudgetSeconds: 0,
  },
  webhooks: { events: 1_000, calls: 150 },
  fleet: { stations: 200, windowMs: 5_000 },
  budgetSeconds: 110,
};

const plan = quick ? QUICK : FULL;
const started = performance.now();
const startedAt = new Date();
const loadBefore = os.loadavg();
if (loadBefore[0]! > 0.5) {
  process.stderr.write(
    `[bench] warning: load average ${loadBefore[0]!.toFixed(2)} before the run: other processes compete for the CPU\n`,
  );
}
const elapsed = () => (performance.now() - started) / 1000;
const log = (text: string) => process.stderr.write(`[bench ${elapsed().toFixed(0).padStart(3)} s] ${text}\n`);

/** Cores the whole machine was busy during each phase (the benchmark's own work included). */
const busy: Record<string, number> = {};

/** A phase that fails is reported as failed; the others still run. */
const failures: Record<string, string> = {};
async function phase(name: string, run: () => Promise<void>): Promise<void> {
  if (!wanted(name)) return;
  const stop = measureCpu([]);
  try {
    await run();
  } catch (error) {
    failures[name] = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    log(`${name} failed: ${failures[name]}`);
  }
  const share: CpuShare | undefined = stop();
  if (share && name !== 'latency') busy[name] = share.others;
}

const cost: CostRun[] = [];
await phase('cost', async () => {
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    log(`cost: ${plan.costDays} simulated days of ${protocol}`);
    const run = await runCost(protocol, plan.costDays);
    const errors = run.days.flatMap((d) => d.errors);
    if (errors.length > 0) log(`  ${errors.length} errors, e.g. ${errors[0]}`);
    cost.push(run);
  }
});

let bundles: BundleSize[] | undefined;
let coldStarts: ColdStart[] | undefined;
await phase('coldstart', async () => {
  log('cold start: bundling');
  bundles = await bundleAll();
  log(
    `cold start: ${plan.coldStartRuns} fresh processes per function (${plan.coldStartVariants.join(', ')})`,
  );
  const host = await forkChild(new URL('./host/host-process.ts', import.meta.url), {
    execArgv: ['--no-warnings'],
  });
  try {
    await host.call('provision', { ids: ['CS-COLD'], password: PASSWORD });
    coldStarts = await measureColdStarts(plan.coldStartRuns, plan.coldStartVariants, {
      env: host.info.env,
      stationId: 'CS-COLD',
      password: PASSWORD,
      apiToken: host.info.apiToken,
    });
  } finally {
    await host.stop();
  }
});

let latency: LatencyResult | undefined;
await phase('latency', async () => {
  const o = plan.latency;
  // What the baselines will need after the host: per baseline and step, connect + warm-up + windows.
  const perStep = (o.warmupMs + o.windows * o.windowMs) / 1000 + 4;
  const baselines = 2 * ((o.steps.length + 1) * perStep + o.saturateMs / 1000 + 6);
  const hostFixed = o.steps.length * perStep + 30 + o.saturateMs / 1000;
  const ladderBudgetSeconds = Math.max(0, plan.budgetSeconds - elapsed() - baselines - hostFixed);
  log(`latency: ×${o.speed}, steps ${o.steps.join(', ')}; ladder budget ${ladderBudgetSeconds.toFixed(0)} s`);
  latency = await runLatency({ ...o, ladderBudgetSeconds }, log);
});

// Issue 7: a fleet reconnecting at once (host in its own process, stations here).
let storm: StormResult | undefined;
await phase('storm', async () => {
  const stations = quick ? 300 : 1_000;
  log(`storm: ${stations} stations connecting at once`);
  const host = await forkChild(new URL('./host/host-process.ts', import.meta.url), {
    execArgv: ['--no-warnings'],
  });
  try {
    const ids = Array.from({ length: stations }, (_, i) => `STORM-${String(i).padStart(4, '0')}`);
    await host.call('provision', { ids, password: PASSWORD });
    storm = await runStorm({
      wsUrl: host.info.wsUrl,
      httpUrl: host.info.httpUrl,
      apiToken: host.info.apiToken,
      stations: ids.map((id) => ({ id, password: PASSWORD })),
      deadlineMs: 180_000,
    });
    log(
      `storm: ${storm.booted}/${storm.stations} booted in ${((storm.msToAllBooted ?? Number.NaN) / 1000).toFixed(1)} s, ` +
        `${storm.refused503} × 503`,
    );
  } finally {
    await host.stop();
  }
});

let webhooks: WebhookBenchResult | undefined;
await phase('webhooks', async () => {
  webhooks = await runWebhookBench(plan.webhooks, log);
});

// Issue 14: the host at the real profile with 5,000 stations (`--fleet=N` for another N).
let fleet: Step | undefined;
await phase('fleet', async () => {
  const n = Number(
    args.find((a) => a.startsWith('--fleet='))?.slice('--fleet='.length) ?? plan.fleet.stations,
  );
  log(`fleet: ${n} stations at the real profile (speed 1)`);
  fleet = await runFleet(n, plan.fleet.windowMs, log);
});

const seconds = elapsed();
const results: Results = {
  quick,
  command: `npm run bench${quick ? ' -- --quick' : ''}`,
  startedAt,
  seconds,
  cost,
  bundles,
  coldStarts,
  coldStartRuns: plan.coldStartRuns,
  latency,
  storm,
  webhooks,
  fleet,
  loadAverage: { before: loadBefore, after: os.loadavg() },
  busyCores: busy,
  failures,
};
await mkdir(OUT_DIR, { recursive: true });
await writeFile(RESULTS_FILE, JSON.stringify(results));
await writeFile(outFile, render(results));
log(`wrote ${outFile} in ${seconds.toFixed(0)} s`);
process.exit(0);
