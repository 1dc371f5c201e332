// The real functions (topology entries) behind the local host, in this process: provision a
// station over the HTTP API, connect it over the gateway, boot it, see the events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startLocalHost, type LocalHost } from '../../infra/local/host.js';

const PASSWORD = 'a-very-secret-password';

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function connect(url: string, authorization: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['ocpp1.6'], { headers: { Authorization: authorization } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`handshake refused: ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('local host with the real functions', () => {
  let host: LocalHost;

  before(async () => {
    host = await startLocalHost({ inMemory: true, port: 0, quiet: true });
  });
  after(async () => {
    await host.close();
  });

  test('provision, connect, boot, disconnect', async () => {
    const provisioned = await fetch(`${host.httpUrl}/v1/stations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${host.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'CP-E2E', password: PASSWORD }),
    });
    assert.equal(provisioned.status, 201, await provisioned.text());

    await assert.rejects(connect(`${host.wsUrl}/CP-E2E`, basic('CP-E2E', 'not-the-password-at-all')), /401/);

    const ws = await connect(`${host.wsUrl}/CP-E2E`, basic('CP-E2E', PASSWORD));
    assert.equal(ws.protocol, 'ocpp1.6');
    const reply = new Promise<string>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(data.toString())),
    );
    ws.send(
      JSON.stringify([2, 'boot-1', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }]),
    );
    const [type, id, payload] = JSON.parse(await reply) as [number, string, { status: string }];
    assert.deepEqual([type, id, payload.status], [3, 'boot-1', 'Accepted']);

    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.close(1000);
    await closed;
    await host.close(); // waits for $disconnect

    // (the refused attempt may add a security event: not the subject here)
    const lifecycle = host.events
      .filter((e) => e.detail.stationId === 'CP-E2E' && e['detail-type'].startsWith('station.'))
      .map((e) => e['detail-type'].replace(/\.v\d+$/, ''));
    assert.deepEqual(lifecycle, ['station.connected', 'station.booted', 'station.disconnected']);
  });

  test('a second host in this process serves the same addresses (the functions keep their clients)', async () => {
    const first = host; // closed by the test above
    host = await startLocalHost({ inMemory: true, port: 0, quiet: true });
    assert.equal(host.port, first.port);
    const res = await fetch(`${host.httpUrl}/v1/stations`, {
      headers: { Authorization: `Bearer ${host.apiToken}` },
    });
    assert.equal(res.status, 200, await res.text());
    await assert.rejects(
      startLocalHost({ inMemory: true, port: first.port + 1, quiet: true }),
      /already running/,
    );
  });
});
