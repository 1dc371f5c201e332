/**
 * The sites API (load management) without stations charging: bad input is a 400 naming the field
 * and stores nothing, unknown sites are 404, PATCH replaces or removes fields, DELETE frees the
 * stations, and the allocation of a site without sessions is its limit in force and no EVSE.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';

describe('sites API', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
    for (const id of ['SA-1', 'SA-2']) await h.provision(id, { protocol: 'ocpp2.0.1' });
  });
  after(async () => {
    await h.close();
  });

  const body = (extra: Record<string, unknown> = {}) => ({
    id: 'api-site',
    name: 'API site',
    limit: { value: 32, unit: 'A' },
    stationIds: ['SA-1'],
    ...extra,
  });
  const refused = async (method: string, path: string, payload: unknown, field: string) => {
    const res = await h.api(method, path, payload);
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, 'invalid_request');
    assert.ok(
      res.body.error.fields.some((f: { path: string }) => f.path === field),
      `${field} in ${JSON.stringify(res.body.error.fields)}`,
    );
  };

  test('400 naming the field, nothing stored', async () => {
    const window = (from: string, to: string, value = 20) => ({ from, to, value });
    const cases: [string, unknown, string][] = [
      ['unit', body({ limit: { value: 32, unit: 'kW' } }), 'limit.unit'],
      ['two decimals', body({ limit: { value: 32.25, unit: 'A' } }), 'limit.value'],
      ['phases 2', body({ limit: { value: 32, unit: 'A', phases: 2 } }), 'limit.phases'],
      ['a station twice', body({ stationIds: ['SA-1', 'SA-1'] }), 'stationIds.1'],
      [
        'time zone',
        body({ schedule: { timeZone: 'Mars/Olympus', windows: [window('10:00', '16:00')] } }),
        'schedule.timeZone',
      ],
      [
        'HH:MM',
        body({ schedule: { timeZone: 'UTC', windows: [window('25:00', '16:00')] } }),
        'schedule.windows.0.from',
      ],
      [
        'empty window',
        body({ schedule: { timeZone: 'UTC', windows: [window('10:00', '10:00')] } }),
        'schedule.windows.0.to',
      ],
      [
        'overlap',
        body({
          schedule: { timeZone: 'UTC', windows: [window('10:00', '16:00'), window('22:00', '11:00')] },
        }),
        'schedule.windows.1',
      ],
      ['policy', body({ minimumPolicy: 'later' }), 'minimumPolicy'],
      ['unknown station', body({ stationIds: ['SA-NONE'] }), 'stationIds'],
    ];
    for (const [what, payload, field] of cases) {
      await test(what, () => refused('POST', '/v1/sites', payload, field));
    }
    assert.equal((await h.api('GET', '/v1/sites/api-site')).status, 404);
  });

  test('create, read, patch (schedule and priorities set then removed), allocation without sessions, delete', async () => {
    const created = await h.api('POST', '/v1/sites', body());
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.minimumPolicy, 'minimum');
    assert.equal(created.body.schedule, null);

    const schedule = { timeZone: 'Europe/Paris', windows: [{ from: '00:00', to: '23:59', value: 16 }] };
    const patched = await h.api('PATCH', '/v1/sites/api-site', {
      schedule,
      priorities: { FLEET: 5 },
      stationIds: ['SA-1', 'SA-2'],
      minimumPolicy: 'wait',
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(patched.body.schedule, schedule);
    assert.deepEqual(patched.body.priorities, { FLEET: 5 });
    assert.deepEqual(patched.body.stationIds, ['SA-1', 'SA-2']);
    assert.equal(patched.body.name, 'API site');

    const allocation = await h.api('GET', '/v1/sites/api-site/allocation');
    assert.equal(allocation.status, 200);
    assert.equal(allocation.body.unit, 'A');
    assert.deepEqual(allocation.body.evses, []);

    const removed = await h.api('PATCH', '/v1/sites/api-site', { schedule: null, priorities: null });
    assert.equal(removed.status, 200);
    assert.equal(removed.body.schedule, null);
    assert.equal(removed.body.priorities, null);
    const list = await h.api('GET', '/v1/sites');
    assert.deepEqual(
      list.body.items.map((s: { id: string }) => s.id),
      ['api-site'],
    );

    assert.equal((await h.api('DELETE', '/v1/sites/api-site')).status, 204);
    assert.equal((await h.api('GET', '/v1/sites/api-site')).status, 404);
    assert.equal((await h.api('GET', '/v1/sites/api-site/allocation')).status, 404);
    assert.equal((await h.api('DELETE', '/v1/sites/api-site')).status, 404);
    // Its stations are free for another site.
    const again = await h.api('POST', '/v1/sites', body({ id: 'api-site-2', stationIds: ['SA-2', 'SA-1'] }));
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });

  test('the routes are in the OpenAPI document', async () => {
    const doc = (await h.api('GET', '/v1/openapi.json')).body;
    assert.ok(doc.paths['/v1/sites'].post);
    assert.ok(doc.paths['/v1/sites/{id}'].patch);
    assert.ok(doc.paths['/v1/sites/{id}/allocation'].get);
  });
});
