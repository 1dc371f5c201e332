// `npm start` as a user runs it: a child process on a free port with its own data dir, stopped
// with SIGTERM (sent to its process group, as a terminal or a process manager does), started
// again on the same data dir.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STARTUP_MS = 30_000;
const SHUTDOWN_MS = 15_000;

interface Started {
  child: ChildProcess;
  port: number;
  token: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Rejects after `ms` with `message()`; the timer never holds the process open. */
function within<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message())), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function spawnNpmStart(dataDir: string): Omit<Started, 'port' | 'token'> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', CSMS_DATA_DIR: dataDir };
  delete env.CSMS_API_TOKEN;
  delete env.NODE_OPTIONS;
  const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['start'], {
    cwd: ROOT,
    env,
    detached: true, // its own process group, signalled as a whole
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

async function npmStart(dataDir: string): Promise<Started> {
  const started = spawnNpmStart(dataDir);
  const banner = new Promise<{ port: number; token: string }>((resolve, reject) => {
    const check = (): void => {
      const port = /listening on port (\d+)/.exec(started.output())?.[1];
      const token = /API token:\s+(\S+)/.exec(started.output())?.[1];
      if (port && token) resolve({ port: Number(port), token });
    };
    started.child.stdout?.on('data', check);
    void started.exited.then(({ code, signal }) =>
      reject(new Error(`npm start exited (${code ?? signal}) before its banner:\n${started.output()}`)),
    );
  });
  const { port, token } = await within(
    banner,
    STARTUP_MS,
    () => `no banner from npm start within ${STARTUP_MS} ms:\n${started.output()}`,
  );
  return { ...started, port, token };
}

async function waitForHealth(started: Started): Promise<void> {
  const poll = async (): Promise<void> => {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${started.port}/health`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  await within(poll(), STARTUP_MS, () => `GET /health never answered 200:\n${started.output()}`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stop(started: Started): Promise<void> {
  signalGroup(started.child, 'SIGTERM');
  const { code, signal } = await within(
    started.exited,
    SHUTDOWN_MS,
    () => `npm start did not exit within ${SHUTDOWN_MS} ms of SIGTERM:\n${started.output()}`,
  );
  assert.ok(code === 0 || signal === 'SIGTERM', `exit ${code ?? signal}:\n${started.output()}`);
  assert.match(started.output(), /csms: closed/, started.output());
  assert.doesNotMatch(started.output(), /without a clean close/);
}

describe('npm start', () => {
  let dataDir: string;
  const running: Array<Pick<Started, 'child'>> = [];

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'csms-e2e-'));
  });
  after(async () => {
    for (const started of running) signalGroup(started.child, 'SIGKILL'); // only if a test failed midway
    await rm(dataDir, { recursive: true, force: true });
  });

  test('serves, refuses unauthenticated API calls, stops cleanly, keeps its API token', async () => {
    const first = await npmStart(dataDir);
    running.push(first);
    await waitForHealth(first);
    assert.match(first.output(), new RegExp(`ws://localhost:${first.port}/ocpp/\\{stationId\\}`));
    assert.match(first.output(), new RegExp(`http://localhost:${first.port}/v1/`));
    assert.ok(first.output().includes(dataDir), 'the banner shows the data dir');

    const unauthenticated = await fetch(`http://127.0.0.1:${first.port}/v1/stations`);
    assert.equal(unauthenticated.status, 401);

    // One process per data dir: a second one says so and exits.
    const intruder = spawnNpmStart(dataDir);
    running.push(intruder);
    const { code } = await within(
      intruder.exited,
      STARTUP_MS,
      () => `a second npm start kept running:\n${intruder.output()}`,
    );
    assert.notEqual(code, 0);
    assert.match(intruder.output(), /in use by another process/, intruder.output());

    await stop(first);

    const second = await npmStart(dataDir);
    running.push(second);
    await waitForHealth(second);
    assert.equal(second.token, first.token, 'the same data dir keeps the same API token');
    await stop(second);
  });
});
