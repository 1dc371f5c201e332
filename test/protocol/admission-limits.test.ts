/**
 * Issue 7 defect 11: CSMS_ADMIT_UNKNOWN_STATIONS=true has limits. At most
 * CSMS_MAX_PENDING_STATIONS admitted stations wait to be provisioned, and at most
 * CSMS_ADMISSIONS_PER_ADDRESS_PER_MINUTE unknown stations are admitted from one source address
 * a minute. Past either the handshake is refused (403) and a security event says why.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

function handshake(h: Harness, id: string, localAddress = '127.0.0.1'): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${h.host.wsUrl}/${id}`, ['ocpp1.6'], { localAddress });
    ws.once('open', () => {
      resolve(101);
      ws.close();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

/** Not within the last seconds of a minute: the per-address count is per minute. */
async function awayFromMinuteEnd(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe('admitting unknown stations is bounded (issue 7 defect 11)', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({
      admitUnknownStations: true,
      instrumentation: {
        environment: { CSMS_MAX_PENDING_STATIONS: '3', CSMS_ADMISSIONS_PER_ADDRESS_PER_MINUTE: '2' },
      },
    });
  });
  after(() => h.close());

  test('past CSMS_MAX_PENDING_STATIONS unknown stations are refused (403) until one is provisioned', async () => {
    await awayFromMinuteEnd();
    // Three addresses of the loopback range, two admissions each at most.
    assert.equal(await handshake(h, 'NEW-1', '127.0.0.11'), 101);
    assert.equal(await handshake(h, 'NEW-2', '127.0.0.11'), 101);
    assert.equal(await handshake(h, 'NEW-3', '127.0.0.12'), 101);
    assert.equal(await handshake(h, 'NEW-4', '127.0.0.12'), 403);
    const full = eventsOf(h.host, 'security.event.v1', 'NEW-4').map((e) => e.detail.type);
    assert.deepEqual(full, ['PendingStationsFull']);
    assert.equal((await h.api('GET', '/v1/stations/NEW-4')).status, 404);
    // A known (admitted) station reconnects whatever the limits.
    assert.equal(await handshake(h, 'NEW-1', '127.0.0.12'), 101);

    // Provisioning an admitted station frees its place.
    await h.provision('NEW-1');
    assert.equal(await handshake(h, 'NEW-5', '127.0.0.13'), 101);
    assert.equal((await h.api('GET', '/v1/stations/NEW-5')).body.provisioned, false);
  });

  test('past CSMS_ADMISSIONS_PER_ADDRESS_PER_MINUTE from one address, unknown stations are refused (403)', async () => {
    await awayFromMinuteEnd();
    await h.provision('NEW-2'); // a free pending place, so only the address limit can refuse
    assert.equal(await handshake(h, 'FLOOD-1', '127.0.0.21'), 101);
    await h.provision('FLOOD-1');
    assert.equal(await handshake(h, 'FLOOD-2', '127.0.0.21'), 101);
    await h.provision('FLOOD-2');
    assert.equal(await handshake(h, 'FLOOD-3', '127.0.0.21'), 403);
    const types = eventsOf(h.host, 'security.event.v1', 'FLOOD-3').map((e) => e.detail.type);
    assert.deepEqual(types, ['AdmissionRateExceeded']);
    assert.equal((await h.api('GET', '/v1/stations/FLOOD-3')).status, 404);
  });
});
