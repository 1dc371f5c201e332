/**
 * Raw remote commands through the local host, to ocpp-rpc stations in strict mode: 202 and the
 * command, the station gets the payload, `wait` returns the outcome; errors (400 naming the field
 * before anything is sent, 404, 409 offline with queue=false); Idempotency-Key.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import { call, peer, sleep, type Peer } from './command-peers.js';

let h: Harness;
let v16: Peer;
let v201: Peer;

before(async () => {
  h = await startHarness();
  v16 = await peer(h, 'CMD-16', 'ocpp1.6');
  v201 = await peer(h, 'CMD-201', 'ocpp2.0.1');
});
after(() => h.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

describe('POST /v1/stations/{id}/commands', () => {
  test('202 with the command, the station receives the payload, GET ?wait=5 returns it completed', async () => {
    const mark = v16.received.length;
    const res = await call(h, 'POST', '/v1/stations/CMD-16/commands', {
      action: 'Reset',
      payload: { type: 'Soft' },
    });
    assert.equal(res.status, 202);
    assert.ok(['queued', 'sent', 'completed'].includes(res.body.status));
    assert.equal(typeof res.body.id, 'string');
    assert.equal(res.headers.get('location'), `/v1/commands/${encodeURIComponent(res.body.id)}`);
    assert.equal(res.body.stationId, 'CMD-16');
    assert.equal(res.body.protocol, 'ocpp1.6');
    assert.equal(res.body.action, 'Reset');
    assert.deepEqual(res.body.request, { type: 'Soft' });

    const done = await call(h, 'GET', `/v1/commands/${encodeURIComponent(res.body.id)}?wait=5`);
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'completed');
    assert.deepEqual(done.body.response, { status: 'Accepted' });
    assert.equal(done.body.error, null);
    assert.match(done.body.createdAt, ISO);
    assert.match(done.body.sentAt, ISO);
    assert.match(done.body.completedAt, ISO);
    assert.deepEqual(v16.since(mark), [{ method: 'Reset', params: { type: 'Soft' } }]);
  });

  test('?wait=5 on the POST answers 200 with the final command', async () => {
    const mark = v201.received.length;
    const res = await call(h, 'POST', '/v1/stations/CMD-201/commands?wait=5', {
      action: 'GetVariables',
      payload: {
        getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'completed');
    assert.equal(res.body.response.getVariableResult[0].attributeValue, '300');
    assert.equal(v201.since(mark)[0]?.method, 'GetVariables');
  });

  test('a rejected answer is final: status rejected, with the response', async () => {
    const res = await call(h, 'POST', '/v1/stations/CMD-201/commands?wait=5', {
      action: 'GetCompositeSchedule',
      payload: { evseId: 1, duration: 60 },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'rejected');
    assert.deepEqual(res.body.response, { status: 'Rejected' });
  });

  test("400 naming the field for a payload the station's version refuses; nothing is sent", async () => {
    const mark16 = v16.received.length;
    const mark201 = v201.received.length;
    // 2.0.1 reset types are not 1.6 ones, and the other way round.
    const bad16 = await call(h, 'POST', '/v1/stations/CMD-16/commands', {
      action: 'Reset',
      payload: { type: 'Immediate' },
    });
    assert.equal(bad16.status, 400);
    assert.equal(bad16.body.error.code, 'invalid_request');
    assert.deepEqual(
      bad16.body.error.fields.map((f: FieldError) => f.path),
      ['payload.type'],
    );
    const bad201 = await call(h, 'POST', '/v1/stations/CMD-201/commands', {
      action: 'UnlockConnector',
      payload: { evseId: 1 },
    });
    assert.equal(bad201.status, 400);
    assert.deepEqual(
      bad201.body.error.fields.map((f: FieldError) => f.path),
      ['payload.connectorId'],
    );
    await sleep(300);
    assert.deepEqual(v16.since(mark16), []);
    assert.deepEqual(v201.since(mark201), []);
  });

  test('400 for an action that is not a CSMS message of the version', async () => {
    for (const action of ['RemoteStartTransaction', 'Heartbeat', 'NoSuchAction']) {
      const res = await call(h, 'POST', '/v1/stations/CMD-201/commands', { action, payload: {} });
      assert.equal(res.status, 400, action);
      assert.deepEqual(
        res.body.error.fields.map((f: FieldError) => f.path),
        ['action'],
      );
    }
  });

  test('400 for a body that is not {action, payload}', async () => {
    const res = await call(h, 'POST', '/v1/stations/CMD-16/commands', { action: 'Reset', params: {} });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.fields.map((f: FieldError) => f.path).sort(), ['params']);
    const wait = await call(h, 'POST', '/v1/stations/CMD-16/commands?wait=26', { action: 'ClearCache' });
    assert.equal(wait.status, 400);
    assert.deepEqual(
      wait.body.error.fields.map((f: FieldError) => f.path),
      ['wait'],
    );
  });

  test('the station password cannot be set through a raw command', async () => {
    const mark = v16.received.length;
    const res = await call(h, 'POST', '/v1/stations/CMD-16/commands', {
      action: 'ChangeConfiguration',
      payload: { key: 'AuthorizationKey', value: '0123456789abcdef0123456789abcdef' },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['payload.key'],
    );
    assert.ok(!JSON.stringify(res.body).includes('0123456789abcdef'));
    await sleep(200);
    assert.deepEqual(v16.since(mark), []);
  });

  test('404 for an unknown station', async () => {
    const res = await call(h, 'POST', '/v1/stations/NOPE/commands', { action: 'ClearCache', payload: {} });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});

describe('offline stations', () => {
  test('409 station_offline with queue=false; queued (202) without it', async () => {
    await h.provision('CMD-OFF', { protocol: 'ocpp2.0.1' });
    const refused = await call(h, 'POST', '/v1/stations/CMD-OFF/commands?queue=false', {
      action: 'ClearCache',
      payload: {},
    });
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error.code, 'station_offline');

    const queued = await call(h, 'POST', '/v1/stations/CMD-OFF/reset', { type: 'on-idle' });
    assert.equal(queued.status, 202);
    assert.equal(queued.body.status, 'queued');
    assert.deepEqual(queued.body.request, { type: 'OnIdle' });
  });

  test('409 protocol_unknown for a station that never connected and is not pinned', async () => {
    await h.provision('CMD-NEW');
    const res = await call(h, 'POST', '/v1/stations/CMD-NEW/reset', { type: 'soft' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'protocol_unknown');
  });
});

describe('Idempotency-Key', () => {
  test('a retried POST returns the first command; the station gets one CALL', async () => {
    const mark = v201.received.length;
    const headers = { 'idempotency-key': 'retry-1' };
    const body = { vendorId: 'ACME', messageId: 'ping', data: 'once' };
    const first = await call(h, 'POST', '/v1/stations/CMD-201/data-transfer?wait=5', body, headers);
    const second = await call(h, 'POST', '/v1/stations/CMD-201/data-transfer?wait=5', body, headers);
    assert.equal(first.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.idempotencyKey, 'retry-1');
    await sleep(300);
    assert.deepEqual(
      v201.since(mark).map((r) => r.method),
      ['DataTransfer'],
    );
  });

  test('a retried remote start is the same request though the CSMS picks a new remoteStartId', async () => {
    const headers = { 'idempotency-key': 'start-twice' };
    const body = { idToken: 'RETRY-1', evseId: 1 };
    const first = await call(h, 'POST', '/v1/stations/CMD-201/remote-start', body, headers);
    const second = await call(h, 'POST', '/v1/stations/CMD-201/remote-start', body, headers);
    assert.equal(first.status, 202);
    assert.equal(second.body.id, first.body.id);
  });

  test('422 naming the key when it is reused for another route or another body; nothing is sent', async () => {
    const mark = v201.received.length;
    const headers = { 'idempotency-key': 'reused-1' };
    const body = { vendorId: 'ACME', messageId: 'ping', data: 'first' };
    const first = await call(h, 'POST', '/v1/stations/CMD-201/data-transfer?wait=5', body, headers);
    assert.equal(first.status, 200);

    // Another route (the issue: /reset got the earlier DataTransfer back).
    const reset = await call(h, 'POST', '/v1/stations/CMD-201/reset', { type: 'immediate' }, headers);
    assert.equal(reset.status, 422);
    assert.deepEqual(Object.keys(reset.body), ['error']);
    assert.equal(reset.body.error.code, 'idempotency_key_reused');
    assert.match(reset.body.error.message, /'reused-1'/);

    // The same route with another body, and the raw route with the same action.
    const other = await call(
      h,
      'POST',
      '/v1/stations/CMD-201/data-transfer',
      { ...body, data: 'second' },
      headers,
    );
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'idempotency_key_reused');
    const raw = await call(h, 'POST', '/v1/stations/CMD-201/commands', { action: 'ClearCache' }, headers);
    assert.equal(raw.status, 422);

    // Only how to answer differs (wait): still the same request, the first command.
    const again = await call(h, 'POST', '/v1/stations/CMD-201/data-transfer?wait=1', body, headers);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    await sleep(300);
    assert.deepEqual(
      v201.since(mark).map((r) => r.method),
      ['DataTransfer'],
    );
  });

  test('400 for a key longer than 64 characters', async () => {
    const res = await call(h, 'POST', '/v1/stations/CMD-201/clear-cache', undefined, {
      'idempotency-key': 'k'.repeat(65),
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['idempotency-key'],
    );
  });
});

describe('GET /v1/commands/{id}, GET /v1/stations/{id}/commands', () => {
  test('404 for an unknown command', async () => {
    const res = await call(h, 'GET', '/v1/commands/no-such-command');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });

  test("a station's commands, a page at a time", async () => {
    await h.provision('CMD-LIST', { protocol: 'ocpp1.6' });
    const ids: string[] = [];
    for (const type of ['soft', 'hard', 'immediate']) {
      ids.push((await call(h, 'POST', '/v1/stations/CMD-LIST/reset', { type })).body.id);
    }
    const first = await call(h, 'GET', '/v1/stations/CMD-LIST/commands?limit=2');
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 2);
    assert.equal(typeof first.body.nextCursor, 'string');
    const second = await call(
      h,
      'GET',
      `/v1/stations/CMD-LIST/commands?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    const listed = [...first.body.items, ...second.body.items].map((c: { id: string }) => c.id);
    assert.deepEqual(listed.sort(), [...ids].sort());
    assert.equal((await call(h, 'GET', '/v1/stations/NOPE/commands')).status, 404);
  });

  test('?wait on a command that stays queued answers 200 with it still queued after the wait', async () => {
    await h.provision('CMD-WAIT', { protocol: 'ocpp1.6' });
    const queued = await call(h, 'POST', '/v1/stations/CMD-WAIT/clear-cache?wait=1');
    assert.equal(queued.status, 202);
    assert.equal(queued.body.status, 'queued');
    const started = Date.now();
    const res = await call(h, 'GET', `/v1/commands/${encodeURIComponent(queued.body.id)}?wait=1`);
    assert.ok(Date.now() - started >= 900);
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'queued');
  });
});
