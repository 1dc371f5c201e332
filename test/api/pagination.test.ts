/** HTTP API lists: limit and cursor, on a host of its own so that the pages are exact. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import type { IdTokenView } from '../../functions/api/id-tokens.js';
import type { StationView } from '../../functions/api/stations.js';

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h.close());

test('stations: 3 stations with limit=2 are two pages, in id order, with their views', async () => {
  for (const id of ['P-3', 'P-1', 'P-2']) await h.provision(id);

  const first = await h.api('GET', '/v1/stations?limit=2');
  assert.equal(first.status, 200);
  assert.deepEqual(
    first.body.items.map((s: StationView) => s.id),
    ['P-1', 'P-2'],
  );
  assert.equal(typeof first.body.nextCursor, 'string');
  assert.deepEqual(first.body.items[0].evses, []);
  assert.equal(first.body.items[0].provisioned, true);

  const second = await h.api(
    'GET',
    `/v1/stations?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
  );
  assert.equal(second.status, 200);
  assert.deepEqual(
    second.body.items.map((s: StationView) => s.id),
    ['P-3'],
  );
  assert.equal(second.body.nextCursor, null);

  const all = await h.api('GET', '/v1/stations');
  assert.equal(all.body.items.length, 3);
  assert.equal(all.body.nextCursor, null);
});

test('id tokens: pages of limit=2', async () => {
  for (const idToken of ['T-1', 'T-2', 'T-3']) {
    assert.equal((await h.api('POST', '/v1/id-tokens', { idToken })).status, 201);
  }
  const first = await h.api('GET', '/v1/id-tokens?limit=2');
  assert.deepEqual(
    first.body.items.map((t: IdTokenView) => t.idToken),
    ['T-1', 'T-2'],
  );
  const second = await h.api(
    'GET',
    `/v1/id-tokens?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
  );
  assert.deepEqual(
    second.body.items.map((t: IdTokenView) => t.idToken),
    ['T-3'],
  );
  assert.equal(second.body.nextCursor, null);
});

test('400 for a limit outside 1..100 or a cursor this API did not return', async () => {
  for (const query of ['limit=0', 'limit=101', 'limit=ten', 'limit=1.5']) {
    const res = await h.api('GET', `/v1/stations?${query}`);
    assert.equal(res.status, 400, query);
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['limit'],
    );
  }
  const garbage = await h.api('GET', '/v1/stations?cursor=not-a-cursor');
  assert.equal(garbage.status, 400);
  assert.deepEqual(
    garbage.body.error.fields.map((f: FieldError) => f.path),
    ['cursor'],
  );

  // A real cursor, but of another list.
  const tokens = await h.api('GET', '/v1/id-tokens?limit=1');
  const foreign = await h.api('GET', `/v1/stations?cursor=${encodeURIComponent(tokens.body.nextCursor)}`);
  assert.equal(foreign.status, 400);
  assert.equal(foreign.body.error.code, 'invalid_request');
});

test('a cursor edited to start elsewhere is refused (HMAC over the cursor and its list)', async () => {
  for (const id of ['Q-1', 'Q-2', 'Q-3']) await h.provision(id);
  const first = await h.api('GET', '/v1/stations?limit=1');
  const cursor: string = first.body.nextCursor;
  const dot = cursor.lastIndexOf('.');
  assert.ok(dot > 0, 'a signed cursor');
  // What an attacker does: decode the key, point it elsewhere, encode it again, keep the MAC.
  const key = JSON.parse(Buffer.from(cursor.slice(0, dot), 'base64url').toString('utf8'));
  const edited = JSON.stringify(key).replace(/P-1|Q-1/, 'Q-2');
  assert.notEqual(edited, JSON.stringify(key));
  const forged = `${Buffer.from(edited).toString('base64url')}${cursor.slice(dot)}`;
  for (const bad of [forged, cursor.slice(0, dot), `${cursor.slice(0, dot)}.AAAAAAAAAAAAAAAAAAAAAA`]) {
    const res = await h.api('GET', `/v1/stations?limit=1&cursor=${encodeURIComponent(bad)}`);
    assert.equal(res.status, 400, bad);
    assert.equal(res.body.error.code, 'invalid_request');
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['cursor'],
    );
  }
  // The genuine cursor still works.
  assert.equal((await h.api('GET', `/v1/stations?limit=1&cursor=${encodeURIComponent(cursor)}`)).status, 200);
});

test('a cursor of one station list is refused for another station (the list is signed too)', async () => {
  const res = await h.api('GET', '/v1/stations?limit=1');
  const commands = await h.api(
    'GET',
    `/v1/stations/P-1/commands?cursor=${encodeURIComponent(res.body.nextCursor)}`,
  );
  assert.equal(commands.status, 400);
  assert.deepEqual(
    commands.body.error.fields.map((f: FieldError) => f.path),
    ['cursor'],
  );
});
