/**
 * Connection lifecycle through the local gateway with the real functions: HTTP Basic
 * authentication (security profiles 1/2), subprotocol negotiation, connect/disconnect records,
 * security events for refusals. (No secret in the logs: test/e2e/start.test.ts, on npm start's output.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

/** Opens a WebSocket like a station would; resolves with the outcome of the handshake. */
function handshake(
  h: Harness,
  id: string,
  protocols: string[],
  auth?: { user: string; password: string },
): Promise<{ status: number; protocol?: string; ws?: WebSocket; error?: string }> {
  const headers: Record<string, string> = {};
  if (auth)
    headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}`;
  return new Promise((resolve) => {
    const ws = new WebSocket(`${h.host.wsUrl}/${encodeURIComponent(id)}`, protocols, { headers });
    ws.once('open', () => resolve({ status: 101, protocol: ws.protocol, ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (error) => resolve({ status: 0, error: error.message }));
  });
}

function closed(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) resolve(-1);
    ws.once('close', (code) => resolve(code));
  });
}

describe('connection lifecycle', () => {
  let h: Harness;
  let password: string;

  before(async () => {
    h = await startHarness();
    password = await h.provision('CS-LIFE', { password: 'Life-Password-0123456789' });
    await h.provision('CS-PINNED', { password: 'Pinned-Password-0123456789', protocol: 'ocpp1.6' });
  });
  after(() => h.close());

  test('TC_A_01_CSMS (A00.FR.204, A00.FR.207): valid Basic credentials connect; the station is online', async () => {
    const res = await handshake(h, 'CS-LIFE', ['ocpp2.0.1'], { user: 'CS-LIFE', password });
    assert.equal(res.status, 101);
    assert.equal(res.protocol, 'ocpp2.0.1');
    const view = await h.api('GET', '/v1/stations/CS-LIFE');
    assert.equal(view.body.connected, true);
    assert.equal(view.body.protocol, 'ocpp2.0.1');
    assert.equal(eventsOf(h.host, 'station.connected.v1', 'CS-LIFE').length, 1);

    const code = closed(res.ws!);
    res.ws!.close(1000);
    await code;
    // $disconnect runs after the close; the gateway waits for it before closing the host, so poll.
    for (let i = 0; i < 50 && (await h.api('GET', '/v1/stations/CS-LIFE')).body.connected; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await h.api('GET', '/v1/stations/CS-LIFE')).body.connected, false);
    assert.equal(eventsOf(h.host, 'station.disconnected.v1', 'CS-LIFE').length, 1);
  });

  test('TC_A_02_CSMS (A00.FR.204): a username other than the station identity is refused and recorded', async () => {
    const res = await handshake(h, 'CS-LIFE', ['ocpp2.0.1'], { user: 'SOMEONE-ELSE', password });
    assert.equal(res.status, 401);
    const security = eventsOf(h.host, 'security.event.v1', 'CS-LIFE').map((e) => e.detail);
    assert.ok(security.some((d) => d.type === 'UsernameMismatch' && d.origin === 'csms'));
  });

  test('TC_A_03_CSMS (A00.FR.207): a wrong password is refused and recorded', async () => {
    const res = await handshake(h, 'CS-LIFE', ['ocpp2.0.1'], {
      user: 'CS-LIFE',
      password: 'Wrong-Password-0123456789',
    });
    assert.equal(res.status, 401);
    const security = eventsOf(h.host, 'security.event.v1', 'CS-LIFE').map((e) => e.detail);
    assert.ok(security.some((d) => d.type === 'InvalidPassword'));
  });

  test('no credentials, and an unknown station, are refused and recorded', async () => {
    assert.equal((await handshake(h, 'CS-LIFE', ['ocpp1.6'])).status, 401);
    assert.ok(
      eventsOf(h.host, 'security.event.v1', 'CS-LIFE').some((e) => e.detail.type === 'MissingCredentials'),
    );
    const unknown = await handshake(h, 'CS-NOBODY', ['ocpp1.6'], {
      user: 'CS-NOBODY',
      password: 'Whatever-0123456789',
    });
    assert.equal(unknown.status, 401);
    assert.ok(
      eventsOf(h.host, 'security.event.v1', 'CS-NOBODY').some((e) => e.detail.type === 'UnknownStation'),
    );
  });

  test('an identity that is not an identifierString is refused', async () => {
    const res = await handshake(h, 'CS:BAD', ['ocpp1.6'], {
      user: 'CS:BAD',
      password: 'Whatever-0123456789',
    });
    assert.equal(res.status, 401);
  });

  test("subprotocol: the first of the station's list that the CSMS supports (part 4 §3.2)", async () => {
    const auth = { user: 'CS-LIFE', password };
    for (const [offered, expected] of [
      [['ocpp2.0.1', 'ocpp1.6'], 'ocpp2.0.1'],
      [['ocpp1.6', 'ocpp2.0.1'], 'ocpp1.6'],
      [['ocpp1.5', 'ocpp2.1'], 'ocpp2.1'],
    ] as const) {
      const res = await handshake(h, 'CS-LIFE', [...offered], auth);
      assert.equal(res.protocol, expected, offered.join(','));
      const code = closed(res.ws!);
      res.ws!.close();
      await code;
    }
  });

  test('a station pinned to 1.6 gets 1.6 even when it prefers 2.0.1', async () => {
    const res = await handshake(h, 'CS-PINNED', ['ocpp2.0.1', 'ocpp1.6'], {
      user: 'CS-PINNED',
      password: 'Pinned-Password-0123456789',
    });
    assert.equal(res.protocol, 'ocpp1.6');
    res.ws!.close();
  });

  test('no acceptable subprotocol: the handshake completes without one, the station drops it (part 4 §3.2)', async () => {
    const res = await handshake(h, 'CS-LIFE', ['ocpp1.5'], { user: 'CS-LIFE', password });
    // ws, like any RFC 6455 client that asked for a subprotocol, fails the connection itself.
    assert.equal(res.status, 0);
    assert.match(res.error ?? '', /no subprotocol/i);
  });

  test('no Sec-WebSocket-Protocol header and no pinned protocol: refused (401) and recorded as NoSubprotocol', async () => {
    const res = await handshake(h, 'CS-LIFE', [], { user: 'CS-LIFE', password });
    assert.equal(res.status, 401);
    assert.ok(
      eventsOf(h.host, 'security.event.v1', 'CS-LIFE').some((e) => e.detail.type === 'NoSubprotocol'),
    );
  });

  test('no Sec-WebSocket-Protocol header, pinned to 1.6: served in 1.6, no subprotocol in the handshake', async () => {
    const res = await handshake(h, 'CS-PINNED', [], {
      user: 'CS-PINNED',
      password: 'Pinned-Password-0123456789',
    });
    assert.equal(res.status, 101);
    // RFC 6455 §4.1: a client that offered none fails a handshake that names one.
    assert.equal(res.protocol, '');
    const reply = new Promise<unknown>((resolve) =>
      res.ws!.once('message', (data) => resolve(JSON.parse((data as Buffer).toString()))),
    );
    // A 1.6 frame (2.0.1 has no chargePointVendor): the pinned protocol's schemas apply.
    res.ws!.send(
      JSON.stringify([2, 'boot-1', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }]),
    );
    const answer = (await reply) as [number, string, { status: string; interval: number }];
    assert.equal(answer[0], 3);
    assert.equal(answer[1], 'boot-1');
    assert.ok(['Accepted', 'Pending'].includes(answer[2].status));
    const code = closed(res.ws!);
    res.ws!.close();
    await code;
  });
});

describe('API Gateway limits on the local gateway', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ maxConnectionMs: 1500 });
    await h.provision('CS-CAP');
  });
  after(() => h.close());

  test('the 2-hour cap closes the connection; the station reconnects without BootNotification and carries on', async () => {
    const first = await h.station('CS-CAP', 'ocpp2.0.1');
    const boot = await first.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V', model: 'M' },
    });
    assert.equal(boot.status, 'Accepted');
    await new Promise<void>((resolve) => first.on('close', () => resolve()));

    const second = await h.station('CS-CAP', 'ocpp2.0.1');
    const hb = await second.call('Heartbeat', {});
    assert.ok(Date.parse(hb.currentTime) > 0);
    const view = await h.api('GET', '/v1/stations/CS-CAP');
    assert.equal(view.body.registrationStatus, 'Accepted');
    assert.equal(view.body.connected, true);
  });

  test('a message over 32 KB in one frame closes the connection with 1009, as API Gateway does', async () => {
    const password = await h.provision('CS-BIG');
    const raw = await h.raw('CS-BIG', 'ocpp1.6', password);
    const code = closed(raw.ws);
    raw.ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'V', data: 'x'.repeat(40 * 1024) }]));
    assert.equal(await code, 1009);
  });
});
