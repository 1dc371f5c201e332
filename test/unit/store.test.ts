/** The data model against dynalite: conditional writes, ordering rules, listings. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../shared/store/index.js';
import { StationExistsError } from '../../shared/store/stations.js';
import { startStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
before(async () => ({ store, close } = await startStore()));
after(() => close());

const t0 = new Date('2026-01-01T00:00:00Z');

describe('stations', () => {
  test('provisioning twice is a conflict; an admitted unknown station is taken over', async () => {
    await store.stations.create({ id: 'S1', passwordHash: 'h1', now: t0 });
    await assert.rejects(
      store.stations.create({ id: 'S1', passwordHash: 'h2', now: t0 }),
      StationExistsError,
    );
    assert.equal((await store.stations.get('S1'))?.passwordHash, 'h1');

    await store.stations.admitUnknown('S2', t0);
    assert.equal((await store.stations.get('S2'))?.provisioned, false);
    await store.stations.create({ id: 'S2', passwordHash: 'h2', now: t0 });
    const s2 = await store.stations.get('S2');
    assert.equal(s2?.provisioned, true);
    assert.equal(s2?.passwordHash, 'h2');
    await store.stations.admitUnknown('S2', t0); // never downgrades a provisioned station
    assert.equal((await store.stations.get('S2'))?.provisioned, true);
  });

  test('only the current connection marks a station disconnected', async () => {
    await store.stations.create({ id: 'S3', passwordHash: 'h', now: t0 });
    await store.stations.recordConnected('S3', 'old', 'ocpp1.6', t0);
    await store.stations.recordConnected('S3', 'new', 'ocpp2.0.1', t0);
    assert.equal(await store.stations.recordDisconnected('S3', 'old', t0), false);
    assert.equal((await store.stations.get('S3'))?.connected, true);
    assert.equal(await store.stations.recordDisconnected('S3', 'new', t0), true);
    assert.equal((await store.stations.get('S3'))?.connected, false);
  });

  test('issue 7: the newest connection wins whatever order $connect and $disconnect are handled in', async () => {
    await store.stations.create({ id: 'S3b', passwordHash: 'h', now: t0 });
    // $connect of the newer connection handled first, the older one's late.
    assert.deepEqual(await store.stations.recordConnected('S3b', 'new', 'ocpp1.6', t0, 2_000), {
      superseded: false,
    });
    assert.deepEqual(await store.stations.recordConnected('S3b', 'old', 'ocpp1.6', t0, 1_000), {
      superseded: true,
    });
    assert.equal((await store.stations.get('S3b'))?.connectionId, 'new');
    // $disconnect of the old connection after the new one's $connect: the station stays connected.
    assert.equal(await store.stations.recordDisconnected('S3b', 'old', t0), false);
    const station = await store.stations.get('S3b');
    assert.equal(station?.connected, true);
    assert.equal(station?.connectionId, 'new');
    // In order: a later connection replaces the current one and names it (to be closed).
    assert.deepEqual(await store.stations.recordConnected('S3b', 'newer', 'ocpp1.6', t0, 3_000), {
      superseded: false,
      replaced: 'new',
    });
    assert.equal(await store.stations.recordDisconnected('S3b', 'newer', t0), true);
    assert.equal((await store.stations.get('S3b'))?.connected, false);
  });

  test('transaction ids are unique per station', async () => {
    await store.stations.create({ id: 'S4', passwordHash: 'h', now: t0 });
    const ids = await Promise.all(Array.from({ length: 10 }, () => store.stations.nextTransactionId('S4')));
    assert.equal(new Set(ids).size, 10);
  });

  test('list pages through the index', async () => {
    const first = await store.stations.list(2);
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const second = await store.stations.list(10, first.nextCursor ?? undefined);
    const all = [...first.items, ...second.items].map((s) => s.id);
    assert.deepEqual(new Set(all), new Set(['S1', 'S2', 'S3', 'S3b', 'S4']));
  });
});

describe('connectors', () => {
  test('an older status never overwrites a newer one (out-of-order delivery)', async () => {
    const put = (status: string, at: string) =>
      store.connectors.putStatus('S1', { evseId: 1, connectorId: 1, status, statusAt: at });
    assert.equal(await put('Charging', '2026-01-01T10:00:00Z'), true);
    assert.equal(await put('Available', '2026-01-01T09:00:00Z'), false);
    assert.equal((await store.connectors.list('S1'))[0]?.status, 'Charging');
    assert.equal(await put('Available', '2026-01-01T11:00:00Z'), true);
    assert.equal((await store.connectors.list('S1'))[0]?.status, 'Available');
  });
});

describe('transactions', () => {
  test("'ended' is final: a late start never reopens a transaction, but fills what is missing", async () => {
    await store.transactions.upsert(
      'S1',
      'T1',
      'ocpp2.0.1',
      { set: { status: 'ended', endedAt: '2026-01-01T12:00:00Z' } },
      t0,
    );
    const after = await store.transactions.upsert(
      'S1',
      'T1',
      'ocpp2.0.1',
      { set: { startedAt: '2026-01-01T11:00:00Z' }, first: { status: 'active', idToken: 'TAG' } },
      t0,
    );
    assert.equal(after.status, 'ended');
    assert.equal(after.startedAt, '2026-01-01T11:00:00Z');
    assert.equal(after.idToken, 'TAG');
  });

  test('list by station and across stations, filtered by status', async () => {
    await store.transactions.upsert(
      'S2',
      'T2',
      'ocpp1.6',
      { set: { status: 'active', startedAt: '2026-01-02T00:00:00Z' } },
      t0,
    );
    const s1 = await store.transactions.list({ stationId: 'S1', limit: 10 });
    assert.deepEqual(
      s1.items.map((t) => t.id),
      ['T1'],
    );
    const active = await store.transactions.list({ status: 'active', limit: 10 });
    assert.deepEqual(
      active.items.map((t) => t.id),
      ['T2'],
    );
  });

  test('1.6 start replays are recorded once', async () => {
    assert.equal(await store.transactions.putStartReplay('S1', 1, '2026-01-01T00:00:00Z', 7, t0), true);
    assert.equal(await store.transactions.putStartReplay('S1', 1, '2026-01-01T00:00:00Z', 8, t0), false);
    assert.equal(
      (await store.transactions.getStartReplay('S1', 1, '2026-01-01T00:00:00Z'))?.transactionId,
      7,
    );
  });

  test('meter samples of a transaction are stored idempotently', async () => {
    const samples = Array.from({ length: 30 }, (_, i) => ({
      timestamp: new Date(t0.getTime() + i * 60_000).toISOString(),
      measurand: 'Energy.Active.Import.Register',
      value: i * 100,
      unit: 'Wh',
    }));
    await store.transactions.putMeterSamples('S1', 'T9', samples, t0);
    await store.transactions.putMeterSamples('S1', 'T9', samples, t0);
    assert.equal((await store.transactions.listSamples('S1', 'T9')).length, 30);
  });
});

describe('id tokens, API keys, security events', () => {
  test('a 1.6 idTag matches any stored type', async () => {
    await store.idTokens.put({
      idToken: 'CARD',
      type: 'ISO14443',
      status: 'Accepted',
      createdAt: t0.toISOString(),
    });
    assert.equal((await store.idTokens.findAnyType('CARD'))?.type, 'ISO14443');
    assert.equal(await store.idTokens.get('CARD', 'eMAID'), undefined);
  });

  test('API keys are stored hashed and verified', async () => {
    await store.apiKeys.put('csms_secret_token_value', 'admin', t0);
    assert.equal(await store.apiKeys.verify('csms_secret_token_value'), 'admin');
    assert.equal(await store.apiKeys.verify('csms_secret_token_valuf'), undefined);
  });

  test('expired security events are filtered on read (dynalite has no TTL)', async () => {
    const longAgo = new Date('2020-01-01T00:00:00Z');
    await store.securityEvents.put(
      { stationId: 'S1', type: 'Old', timestamp: longAgo.toISOString(), origin: 'csms' },
      longAgo,
    );
    await store.securityEvents.put(
      { stationId: 'S1', type: 'New', timestamp: t0.toISOString(), origin: 'csms' },
      t0,
    );
    const events = await store.securityEvents.list('S1', new Date('2026-01-02T00:00:00Z'));
    assert.deepEqual(
      events.map((e) => e.type),
      ['New'],
    );
  });
});
