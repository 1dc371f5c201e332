/**
 * `npx tsx bench/rollout.ts [-- --stations=60 --batch=25]`: the cost of a firmware rollout in
 * Step Functions state transitions (what Standard workflows bill), per station updated. N
 * simulated stations (half 1.6, half 2.0.1, plain ocpp-rpc clients that answer UpdateFirmware and
 * report Installed) on the local host in memory; a canary of 5, then batches; pollSeconds 1. The
 * number of transitions does not depend on timing except through the number of polls per wave.
 * Never part of `npm test`; prints one JSON line.
 */
import { createRequire } from 'node:module';
import { startLocalHost } from '../infra/local/host.js';

const require = createRequire(import.meta.url);
const { RPCClient } = require('ocpp-rpc') as {
  RPCClient: new (options: Record<string, unknown>) => {
    connect(): Promise<unknown>;
    call(method: string, params: unknown): Promise<unknown>;
    handle(method: string, handler: (call: { params: { requestId?: number } }) => unknown): void;
    close(): Promise<unknown>;
  };
};

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const N = arg('stations', 60);
const BATCH = arg('batch', 25);
const PASSWORD = 'bench-rollout-password-0123';

const host = await startLocalHost({ port: 0, inMemory: true, quiet: true, sweepIntervalMs: 500 });
const api = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${host.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${host.apiToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return (await res.json()) as { id: string; state: string; counts: Record<string, number> };
};

const clients = [];
for (let i = 0; i < N; i++) {
  const id = `BENCH-${i}`;
  const protocol = i % 2 === 0 ? 'ocpp1.6' : 'ocpp2.0.1';
  await api('POST', '/v1/stations', { id, password: PASSWORD });
  const client = new RPCClient({
    endpoint: host.wsUrl,
    identity: id,
    protocols: [protocol],
    password: PASSWORD,
    reconnect: false,
  });
  client.handle('UpdateFirmware', ({ params }) => {
    setTimeout(() => {
      const requestId = params.requestId !== undefined ? { requestId: params.requestId } : {};
      void client
        .call('FirmwareStatusNotification', { status: 'Installed', ...requestId })
        .catch(() => undefined);
    }, 50);
    return protocol === 'ocpp1.6' ? {} : { status: 'Accepted' };
  });
  await client.connect();
  await client.call(
    'BootNotification',
    protocol === 'ocpp1.6'
      ? { chargePointVendor: 'Bench', chargePointModel: 'B', firmwareVersion: '1' }
      : { reason: 'PowerUp', chargingStation: { vendorName: 'Bench', model: 'B', firmwareVersion: '1' } },
  );
  clients.push(client);
}

const started = Date.now();
const { id } = await api('POST', '/v1/firmware/rollouts', {
  firmware: { location: 'https://firmware.example.com/bench.bin', version: '2' },
  target: { filter: { vendor: 'Bench' } },
  policy: { canary: 5, batchSize: BATCH, maxFailurePercent: 10, pollSeconds: 1, stationTimeoutSeconds: 120 },
});
let rollout = await api('GET', `/v1/firmware/rollouts/${id}`);
while (rollout.state === 'running' && Date.now() - started < 300_000) {
  await new Promise((r) => setTimeout(r, 500));
  rollout = await api('GET', `/v1/firmware/rollouts/${id}`);
}
const transitions = host.stepFunctions.transitions;
console.log(
  JSON.stringify({
    stations: N,
    canary: 5,
    batchSize: BATCH,
    state: rollout.state,
    succeeded: rollout.counts.succeeded,
    transitions,
    transitionsPerStation: Math.round((transitions / N) * 100) / 100,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  }),
);
await Promise.allSettled(clients.map((c) => c.close()));
await host.close();
