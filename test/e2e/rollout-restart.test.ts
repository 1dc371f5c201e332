/**
 * A restart of the local host during a rollout: the execution is gone with the process, the
 * rollout is stored as running, and the new host starts a new execution that continues from the
 * stored progress (the wave under way is polled again, its command not sent twice). No rollout is
 * left running without an execution.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { startLocalHost, type LocalHost } from '../../infra/local/host.js';
import { waitFor } from '../support/commands.js';

const require = createRequire(import.meta.url);
const { RPCClient } = require('ocpp-rpc') as {
  RPCClient: new (options: Record<string, unknown>) => {
    connect(): Promise<unknown>;
    call(method: string, params: unknown): Promise<any>;
    handle(method: string, handler: (call: { params: any }) => unknown): void;
    close(): Promise<unknown>;
  };
};

const PASSWORD = 'restart-station-password-0123';

async function api(host: LocalHost, method: string, path: string, body?: unknown) {
  const res = await fetch(`${host.httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${host.apiToken}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('local host restart during a rollout', () => {
  let dir: string | undefined;
  let host: LocalHost | undefined;

  after(async () => {
    await host?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the rollout stored as running gets a new execution and completes; its command was sent once', async () => {
    dir = await mkdtemp(join(tmpdir(), 'csms-rollout-restart-'));
    const options = { port: 0, dataDir: dir, quiet: true, sweepIntervalMs: 200 };
    host = await startLocalHost(options);
    assert.equal(
      (await api(host, 'POST', '/v1/stations', { id: 'RS-1', password: PASSWORD, protocol: 'ocpp2.0.1' }))
        .status,
      201,
    );
    // The station is offline: its command waits in the queue, the wave stays under way.
    const created = await api(host, 'POST', '/v1/firmware/rollouts', {
      firmware: { location: 'https://firmware.example.com/y.bin', version: '3.0' },
      target: { stationIds: ['RS-1'] },
      policy: { canary: 1, batchSize: 1, maxFailurePercent: 0, stationTimeoutSeconds: 600, pollSeconds: 1 },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = created.body.id as string;
    const first = host;
    await waitFor('wave 0 under way', async () =>
      (await api(first, 'GET', `/v1/firmware/rollouts/${id}`)).body.stations[0].status === 'in-progress'
        ? true
        : undefined,
    );

    await host.close();
    host = await startLocalHost(options);
    assert.equal(host.stepFunctions.running, 1, 'a new execution for the rollout stored as running');
    const second = host;
    assert.equal((await api(second, 'GET', `/v1/firmware/rollouts/${id}`)).body.state, 'running');

    const updates: unknown[] = [];
    const station = new RPCClient({
      endpoint: second.wsUrl,
      identity: 'RS-1',
      protocols: ['ocpp2.0.1'],
      password: PASSWORD,
      strictMode: true,
      reconnect: false,
    });
    station.handle('UpdateFirmware', ({ params }) => {
      updates.push(params);
      setTimeout(() => {
        void station
          .call('FirmwareStatusNotification', { status: 'Installed', requestId: params.requestId })
          .catch(() => undefined);
      }, 20);
      return { status: 'Accepted' };
    });
    await station.connect();
    await station.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V', model: 'M', firmwareVersion: '2.0' },
    });
    const done = await waitFor(
      'rollout completed',
      async () => {
        const r = (await api(second, 'GET', `/v1/firmware/rollouts/${id}`)).body;
        return r.state === 'running' ? undefined : r;
      },
      30_000,
    );
    await station.close();
    assert.equal(done.state, 'completed');
    assert.deepEqual(
      done.stations.map((s: any) => [s.stationId, s.status, s.firmwareStatus]),
      [['RS-1', 'succeeded', 'Installed']],
    );
    assert.equal(updates.length, 1);
  });
});
