/**
 * POST /v1/firmware/rollouts refuses bad input with a 400 naming the field before anything starts
 * (nothing stored, no command sent), a station held by an active rollout with a 409 naming both,
 * and pause / resume / abort in a state that does not allow them with a 409.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';

const firmware = { location: 'https://firmware.example.com/x.bin', version: '9.9.9' };
const policy = { canary: 1, batchSize: 2, maxFailurePercent: 10, stationTimeoutSeconds: 600, pollSeconds: 1 };

describe('firmware rollouts API', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
    // Offline stations of a known version: their commands wait in the queue, the rollout stays running.
    for (const id of ['RO-1', 'RO-2', 'RO-3']) await h.provision(id, { protocol: 'ocpp1.6' });
  });

  after(async () => {
    await h.close();
  });

  const post = (body: unknown) => h.api('POST', '/v1/firmware/rollouts', body);
  const refused = async (body: unknown, field: string) => {
    const res = await post(body);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'invalid_request');
    assert.ok(
      res.body.error.fields.some((f: { path: string }) => f.path === field),
      `${field} in ${JSON.stringify(res.body.error.fields)}`,
    );
  };

  const bad: [string, unknown, string][] = [
    [
      'no matching station (filter)',
      { firmware, target: { filter: { vendor: 'Nobody' } }, policy },
      'target',
    ],
    [
      'an unknown station id',
      { firmware, target: { stationIds: ['RO-1', 'NOPE'] }, policy },
      'target.stationIds.1',
    ],
    [
      'a station listed twice',
      { firmware, target: { stationIds: ['RO-1', 'RO-1'] }, policy },
      'target.stationIds.1',
    ],
    ['neither ids nor a filter', { firmware, target: {}, policy }, 'target'],
    [
      'an invalid firmware URL',
      { firmware: { ...firmware, location: 'not a url' }, target: { stationIds: ['RO-1'] }, policy },
      'firmware.location',
    ],
    [
      'a file: URL',
      { firmware: { ...firmware, location: 'file:///etc/passwd' }, target: { stationIds: ['RO-1'] }, policy },
      'firmware.location',
    ],
    [
      'a signature without signing certificate',
      { firmware: { ...firmware, signature: 'c2ln' }, target: { stationIds: ['RO-1'] }, policy },
      'firmware.signingCertificate',
    ],
    [
      'no version',
      { firmware: { location: firmware.location }, target: { stationIds: ['RO-1'] }, policy },
      'firmware.version',
    ],
    [
      'canary 0',
      { firmware, target: { stationIds: ['RO-1'] }, policy: { ...policy, canary: 0 } },
      'policy.canary',
    ],
    [
      'batchSize 0',
      { firmware, target: { stationIds: ['RO-1'] }, policy: { ...policy, batchSize: 0 } },
      'policy.batchSize',
    ],
    [
      'maxFailurePercent 101',
      { firmware, target: { stationIds: ['RO-1'] }, policy: { ...policy, maxFailurePercent: 101 } },
      'policy.maxFailurePercent',
    ],
    [
      'maxFailurePercent -1',
      { firmware, target: { stationIds: ['RO-1'] }, policy: { ...policy, maxFailurePercent: -1 } },
      'policy.maxFailurePercent',
    ],
    [
      'onThreshold other',
      { firmware, target: { stationIds: ['RO-1'] }, policy: { ...policy, onThreshold: 'ignore' } },
      'policy.onThreshold',
    ],
    ['an unknown field', { firmware, target: { stationIds: ['RO-1'] }, policy, extra: 1 }, 'extra'],
  ];
  for (const [what, body, field] of bad) {
    test(`400 naming ${field}: ${what}`, async () => {
      await refused(body, field);
    });
  }

  test('nothing was stored or sent for a refused request', async () => {
    const list = await h.api('GET', '/v1/firmware/rollouts');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.items, []);
    const commands = await h.api('GET', '/v1/stations/RO-1/commands');
    assert.deepEqual(commands.body.items, []);
  });

  test('409 for a station in an active rollout, naming the station and the rollout; pause / resume / abort states', async () => {
    const first = await post({ firmware, target: { stationIds: ['RO-1', 'RO-2'] }, policy });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const id = first.body.id as string;

    const clash = await post({ firmware, target: { stationIds: ['RO-3', 'RO-2'] }, policy });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'conflict');
    assert.equal(clash.body.error.message, `station RO-2 is in active rollout ${id}`);
    // RO-3 was claimed before RO-2 refused: given back, so a rollout of RO-3 alone is accepted.
    const other = await post({ firmware, target: { stationIds: ['RO-3'] }, policy });
    assert.equal(other.status, 202, JSON.stringify(other.body));

    assert.equal((await h.api('POST', `/v1/firmware/rollouts/${id}/resume`)).status, 409);
    assert.deepEqual((await h.api('POST', `/v1/firmware/rollouts/${id}/pause`)).body, {
      id,
      state: 'paused',
    });
    const paused = await h.api('POST', `/v1/firmware/rollouts/${id}/pause`);
    assert.equal(paused.status, 409);
    assert.equal(paused.body.error.message, `rollout ${id} is paused: it cannot be paused`);
    assert.deepEqual((await h.api('POST', `/v1/firmware/rollouts/${id}/resume`)).body, {
      id,
      state: 'running',
    });
    assert.deepEqual((await h.api('POST', `/v1/firmware/rollouts/${id}/abort`)).body, {
      id,
      state: 'aborted',
    });
    for (const action of ['pause', 'resume', 'abort']) {
      assert.equal((await h.api('POST', `/v1/firmware/rollouts/${id}/${action}`)).status, 409, action);
    }
    const view = await h.api('GET', `/v1/firmware/rollouts/${id}`);
    assert.equal(view.body.state, 'aborted');
    assert.equal(view.body.counts.total, 2);
    assert.equal(view.body.counts.skipped, 2);
    assert.equal((await h.api('POST', `/v1/firmware/rollouts/${other.body.id}/abort`)).status, 200);
  });

  test('404 for an unknown rollout; the list is paged', async () => {
    assert.equal((await h.api('GET', '/v1/firmware/rollouts/nope')).status, 404);
    assert.equal((await h.api('POST', '/v1/firmware/rollouts/nope/pause')).status, 404);
    const page1 = await h.api('GET', '/v1/firmware/rollouts?limit=1');
    assert.equal(page1.body.items.length, 1);
    assert.equal(typeof page1.body.nextCursor, 'string');
    const page2 = await h.api(
      'GET',
      `/v1/firmware/rollouts?limit=1&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
    );
    assert.equal(page2.body.items.length, 1);
    assert.notEqual(page2.body.items[0].id, page1.body.items[0].id);
  });

  test('an offline station waits for its deadline, then is skipped, never success; the rollout completes', async () => {
    await h.provision('RO-OFF', { protocol: 'ocpp2.0.1' });
    const created = await post({
      firmware,
      target: { stationIds: ['RO-OFF'] },
      policy: { ...policy, stationTimeoutSeconds: 1 },
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    let view: any;
    for (let i = 0; i < 200; i++) {
      view = (await h.api('GET', `/v1/firmware/rollouts/${created.body.id}`)).body;
      if (view.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(view.state, 'completed');
    assert.deepEqual(view.counts, {
      total: 1,
      pending: 0,
      inProgress: 0,
      succeeded: 0,
      failed: 0,
      skipped: 1,
    });
    assert.deepEqual([view.stations[0].status, view.stations[0].reason], ['skipped', 'deadline']);
    // The command was queued for it (the command path holds it while the station is offline).
    const command = await h.api('GET', `/v1/commands/${view.stations[0].commandId}`);
    assert.deepEqual([command.body.action, command.body.status], ['UpdateFirmware', 'queued']);
  });

  test('every station already on the version: 400 naming target', async () => {
    // A station that booted with 9.9.9 is skipped; with nothing left to update, nothing starts.
    await h.provision('RO-NEW', { protocol: 'ocpp1.6' });
    const cs = await h.station('RO-NEW', 'ocpp1.6');
    await cs.call('BootNotification', {
      chargePointVendor: 'V',
      chargePointModel: 'M',
      firmwareVersion: '9.9.9',
    });
    await refused({ firmware, target: { stationIds: ['RO-NEW'] }, policy }, 'target');
  });
});
