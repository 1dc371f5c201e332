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
import WebSocket from 'ws';

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

function spawnNpmStart(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Omit<Started, 'port' | 'token'> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', CSMS_DATA_DIR: dataDir, ...extraEnv };
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

async function npmStart(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Started> {
  const started = spawnNpmStart(dataDir, extraEnv);
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

  test('secrets never reach the logs: station passwords, Basic auth headers, hashes (INFO level, as on AWS)', async () => {
    const logsDir = await mkdtemp(join(tmpdir(), 'csms-e2e-logs-'));
    const started = await npmStart(logsDir, { POWERTOOLS_LOG_LEVEL: 'INFO' });
    running.push(started);
    try {
      await waitForHealth(started);
      const password = 'Secret-Station-Pass-42';
      const wrong = 'Wrong-Station-Pass-42';
      const res = await fetch(`http://127.0.0.1:${started.port}/v1/stations`, {
        method: 'POST',
        headers: { authorization: `Bearer ${started.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ id: 'CS-LOG', password }),
      });
      assert.equal(res.status, 201);
      const connect = (pass: string) =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${started.port}/ocpp/CS-LOG`, ['ocpp1.6'], {
            headers: { authorization: `Basic ${Buffer.from(`CS-LOG:${pass}`).toString('base64')}` },
          });
          ws.once('open', () => {
            ws.once('message', () => {
              ws.close();
              resolve(101);
            });
            ws.send(
              JSON.stringify([
                2,
                'b1',
                'BootNotification',
                { chargePointVendor: 'V', chargePointModel: 'M' },
              ]),
            );
          });
          ws.once('unexpected-response', (_req, r) => resolve(r.statusCode ?? 0));
          ws.once('error', () => resolve(0));
        });
      assert.equal(await connect(wrong), 401);
      assert.equal(await connect(password), 101);
      await new Promise((r) => setTimeout(r, 300)); // let the process flush its log lines
      const logs = started.output();
      assert.match(logs, /Connection refused/, 'the refusal was logged (the check below can fail)');
      for (const secret of [password, wrong, 'scrypt$'])
        assert.ok(!logs.includes(secret), `"${secret}" in the logs`);
      for (const pass of [password, wrong]) {
        assert.ok(
          !logs.includes(Buffer.from(`CS-LOG:${pass}`).toString('base64')),
          'a Basic auth header in the logs',
        );
      }
      await stop(started);
    } finally {
      await rm(logsDir, { recursive: true, force: true });
    }
  });
});
