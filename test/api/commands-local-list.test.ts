/**
 * The local authorization list: one SendLocalList per version for a small list, several (Full,
 * then Differential with increasing versions) for a list over the message size, nothing sent
 * when any message would be invalid.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from '../../functions/api/local-list.js';
import { call, peer, sleep, type Peer } from './command-peers.js';

let h: Harness;
let v16: Peer;
let v201: Peer;

before(async () => {
  h = await startHarness();
  v16 = await peer(h, 'LL-16', 'ocpp1.6');
  v201 = await peer(h, 'LL-201', 'ocpp2.0.1');
});
after(() => h.close());

const tokens = (n: number, prefix = 'CARD') =>
  Array.from({ length: n }, (_, i) => ({ idToken: `${prefix}-${String(i).padStart(6, '0')}` }));

describe('a list that fits one message', () => {
  test('1.6: SendLocalList with idTag / idTagInfo and listVersion', async () => {
    const mark = v16.received.length;
    const res = await call(h, 'PUT', '/v1/stations/LL-16/local-list?wait=5', {
      updateType: 'full',
      version: 4,
      entries: [
        { idToken: 'A1', expiresAt: '2030-01-01T00:00:00Z', groupId: 'FLEET' },
        { idToken: 'B2', status: 'Blocked' },
      ],
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.commands.length, 1);
    assert.equal(res.body.commands[0].status, 'completed');
    assert.deepEqual(v16.since(mark), [
      {
        method: 'SendLocalList',
        params: {
          listVersion: 4,
          updateType: 'Full',
          localAuthorizationList: [
            {
              idTag: 'A1',
              idTagInfo: { status: 'Accepted', expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'FLEET' },
            },
            { idTag: 'B2', idTagInfo: { status: 'Blocked' } },
          ],
        },
      },
    ]);
  });

  test('2.0.1: a differential update with a removal (no idTokenInfo, D01.FR.17)', async () => {
    const mark = v201.received.length;
    const res = await call(h, 'PUT', '/v1/stations/LL-201/local-list?wait=5', {
      updateType: 'differential',
      version: 9,
      entries: [
        { idToken: 'A1', type: 'ISO14443' },
        { idToken: 'B2', type: 'KeyCode', remove: true },
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(v201.since(mark), [
      {
        method: 'SendLocalList',
        params: {
          versionNumber: 9,
          updateType: 'Differential',
          localAuthorizationList: [
            { idToken: { idToken: 'A1', type: 'ISO14443' }, idTokenInfo: { status: 'Accepted' } },
            { idToken: { idToken: 'B2', type: 'KeyCode' } },
          ],
        },
      },
    ]);
  });

  test('an empty full list clears the list (2.0.1: no localAuthorizationList, D01.FR.04)', async () => {
    const mark = v201.received.length;
    const res = await call(h, 'PUT', '/v1/stations/LL-201/local-list?wait=5', {
      updateType: 'full',
      version: 10,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(v201.since(mark), [
      { method: 'SendLocalList', params: { versionNumber: 10, updateType: 'Full' } },
    ]);
  });

  test('without a version, one is chosen that later updates exceed', async () => {
    const mark = v16.received.length;
    await call(h, 'PUT', '/v1/stations/LL-16/local-list?wait=5', { updateType: 'full', entries: tokens(1) });
    const [first] = v16.since(mark);
    assert.ok(first && first.params.listVersion > 100_000_000);
  });
});

describe('a list over the message size', () => {
  test('2.0.1: several SendLocalList, first Full then Differential, versions up to the one given', async () => {
    const entries = tokens(3000);
    const mark = v201.received.length;
    const res = await call(h, 'PUT', '/v1/stations/LL-201/local-list?wait=20', {
      updateType: 'full',
      version: 500,
      entries,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    const got = v201.since(mark);
    assert.ok(got.length >= 3, `${got.length} messages`);
    assert.equal(res.body.commands.length, got.length);
    assert.ok(res.body.commands.every((c: { status: string }) => c.status === 'completed'));
    assert.deepEqual(
      got.map((r) => r.params.updateType),
      ['Full', ...Array(got.length - 1).fill('Differential')],
    );
    assert.deepEqual(
      got.map((r) => r.params.versionNumber),
      got.map((_, i) => 500 - got.length + 1 + i),
    );
    for (const r of got) {
      const bytes = Buffer.byteLength(JSON.stringify([2, 'x'.repeat(36), 'SendLocalList', r.params]));
      assert.ok(bytes <= DEFAULT_MAX_MESSAGE_BYTES, `${bytes} bytes`);
    }
    assert.deepEqual(
      got.flatMap((r) => r.params.localAuthorizationList.map((e: any) => e.idToken.idToken)),
      entries.map((e) => e.idToken),
    );
  });

  test("1.6: the station's limit on entries per message (SendLocalListMaxLength)", async () => {
    const mark = v16.received.length;
    const res = await call(h, 'PUT', '/v1/stations/LL-16/local-list?wait=10', {
      updateType: 'full',
      version: 3,
      entries: tokens(25),
      maxEntriesPerMessage: 10,
    });
    assert.equal(res.status, 200);
    const got = v16.since(mark);
    assert.deepEqual(
      got.map((r) => [r.params.updateType, r.params.listVersion, r.params.localAuthorizationList.length]),
      [
        ['Full', 1, 10],
        ['Differential', 2, 10],
        ['Differential', 3, 5],
      ],
    );
  });

  test('400 on version when the parts need more versions than 1..version', async () => {
    const res = await call(h, 'PUT', '/v1/stations/LL-16/local-list', {
      updateType: 'full',
      version: 2,
      entries: tokens(25),
      maxEntriesPerMessage: 10,
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['version'],
    );
  });
});

describe('invalid lists: 400 naming the entry, nothing sent', () => {
  test('an idTag over 20 characters in the third message of a 1.6 list', async () => {
    const entries = tokens(25);
    entries[23] = { idToken: 'X'.repeat(21) };
    const mark = v16.received.length;
    const res = await call(h, 'PUT', '/v1/stations/LL-16/local-list', {
      updateType: 'full',
      version: 30,
      entries,
      maxEntriesPerMessage: 10,
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['entries.23.idToken'],
    );
    await sleep(300);
    assert.deepEqual(v16.since(mark), []);
  });

  test('the same id token twice (D01.FR.06), a removal in a full list', async () => {
    const twice = await call(h, 'PUT', '/v1/stations/LL-201/local-list', {
      updateType: 'full',
      entries: [{ idToken: 'abc' }, { idToken: 'ABC' }],
    });
    assert.equal(twice.status, 400);
    assert.deepEqual(
      twice.body.error.fields.map((f: FieldError) => f.path),
      ['entries.1.idToken'],
    );
    const removal = await call(h, 'PUT', '/v1/stations/LL-201/local-list', {
      updateType: 'full',
      entries: [{ idToken: 'abc', remove: true }],
    });
    assert.equal(removal.status, 400);
    assert.deepEqual(
      removal.body.error.fields.map((f: FieldError) => f.path),
      ['entries.0.remove'],
    );
  });
});
