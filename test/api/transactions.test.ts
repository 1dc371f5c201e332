/** HTTP API: transactions and their energy; summaries as the OCPP handlers store them. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { ENERGY_REGISTER, type Sample } from '../../shared/domain/meter-values.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { TABLE_NAME } from '../../infra/local/host.js';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import type { TransactionDetail, TransactionView } from '../../functions/api/transactions.js';

let h: Harness;
let store: Store;
const now = new Date('2026-03-01T12:00:00.000Z');

const energy = (timestamp: string, value: number, unit = 'Wh'): Sample => ({
  timestamp,
  measurand: ENERGY_REGISTER,
  value,
  unit,
  context: 'Sample.Periodic',
});

before(async () => {
  h = await startHarness();
  store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });

  // CP-T1: a 2.0.1 transaction still running (no meterStart: energy from the first reading) ...
  await store.transactions.upsert(
    'CP-T1',
    'tx-active',
    'ocpp2.0.1',
    {
      set: {
        evseId: 1,
        connectorId: 1,
        idToken: 'CARD-1',
        idTokenType: 'ISO14443',
        status: 'active',
        startedAt: '2026-03-01T10:00:00.000Z',
        chargingState: 'Charging',
      },
    },
    now,
  );
  const event = (seqNo: number, timestamp: string, samples: Sample[]) =>
    store.transactions.putEvent(
      'CP-T1',
      'tx-active',
      {
        seqNo,
        eventType: seqNo === 0 ? 'Started' : 'Updated',
        timestamp,
        triggerReason: 'MeterValuePeriodic',
        offline: false,
        samples,
      },
      now,
    );
  await event(0, '2026-03-01T10:00:00.000Z', [energy('2026-03-01T10:00:00.000Z', 1000)]);
  await event(1, '2026-03-01T10:15:00.000Z', [
    energy('2026-03-01T10:15:00.000Z', 1.8, 'kWh'),
    { timestamp: '2026-03-01T10:15:00.000Z', measurand: 'Power.Active.Import', value: 7400, unit: 'W' },
  ]);
  await event(2, '2026-03-01T10:30:00.000Z', [energy('2026-03-01T10:30:00.000Z', 2500)]);

  // ... and one that ended (energy as stored at the end).
  await store.transactions.upsert(
    'CP-T1',
    'tx-ended',
    'ocpp2.0.1',
    {
      set: {
        evseId: 2,
        connectorId: 1,
        status: 'ended',
        startedAt: '2026-03-01T08:00:00.000Z',
        endedAt: '2026-03-01T09:00:00.000Z',
        meterStartWh: 100,
        meterStopWh: 700,
        energyWh: 600,
        stopReason: 'EVDisconnected',
      },
    },
    now,
  );

  // CP-T2: a 1.6 transaction with a meterStart, the newest of all.
  await store.transactions.upsert(
    'CP-T2',
    '7',
    'ocpp1.6',
    {
      set: {
        evseId: 1,
        connectorId: 1,
        idToken: 'TAG-7',
        status: 'active',
        startedAt: '2026-03-01T11:00:00.000Z',
        meterStartWh: 5000,
      },
    },
    now,
  );
  await store.transactions.putMeterSamples('CP-T2', '7', [energy('2026-03-01T11:10:00.000Z', 5400)], now);
});
after(() => h.close());

describe('GET /v1/transactions', () => {
  test('every station, newest first; energy of an active transaction from its latest reading', async () => {
    const res = await h.api('GET', '/v1/transactions');
    assert.equal(res.status, 200);
    assert.equal(res.body.nextCursor, null);
    assert.deepEqual(
      res.body.items.map((t: TransactionView) => [t.stationId, t.id, t.status, t.energyWh]),
      [
        ['CP-T2', '7', 'active', 400],
        ['CP-T1', 'tx-active', 'active', 1500],
        ['CP-T1', 'tx-ended', 'ended', 600],
      ],
    );
  });

  test('the view: every documented field, null when unknown', async () => {
    const res = await h.api('GET', '/v1/transactions?stationId=CP-T1&status=ended');
    assert.equal(res.status, 200);
    assert.match(res.body.items[0].updatedAt, /^2026-03-01T12:00:00/);
    assert.deepEqual(res.body.items, [
      {
        id: 'tx-ended',
        stationId: 'CP-T1',
        protocol: 'ocpp2.0.1',
        evseId: 2,
        connectorId: 1,
        idToken: null,
        idTokenType: null,
        status: 'ended',
        chargingState: null,
        startedAt: '2026-03-01T08:00:00.000Z',
        endedAt: '2026-03-01T09:00:00.000Z',
        meterStartWh: 100,
        meterStopWh: 700,
        energyWh: 600,
        stopReason: 'EVDisconnected',
        anomalies: [],
        updatedAt: res.body.items[0].updatedAt,
      },
    ]);
  });

  test('filters: stationId, status, both', async () => {
    const ids = async (query: string) =>
      ((await h.api('GET', `/v1/transactions?${query}`)).body.items as TransactionView[])
        .map((t) => t.id)
        .sort();
    assert.deepEqual(await ids('stationId=CP-T1'), ['tx-active', 'tx-ended']);
    assert.deepEqual(await ids('status=active'), ['7', 'tx-active']);
    assert.deepEqual(await ids('stationId=CP-T1&status=active'), ['tx-active']);
    assert.deepEqual(await ids('stationId=CP-nobody'), []);
  });

  test('filters: from / to on the start (from inclusive, to exclusive), idToken case-insensitively', async () => {
    const ids = async (query: string) => {
      const res = await h.api('GET', `/v1/transactions?${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return (res.body.items as TransactionView[]).map((t) => t.id).sort();
    };
    assert.deepEqual(await ids('from=2026-03-01T10:00:00Z'), ['7', 'tx-active']);
    assert.deepEqual(await ids('from=2026-03-01T11:00:00%2B01:00'), ['7', 'tx-active']);
    assert.deepEqual(await ids('to=2026-03-01T10:00:00Z'), ['tx-ended']);
    assert.deepEqual(await ids('from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z'), ['tx-active']);
    assert.deepEqual(await ids('stationId=CP-T1&from=2026-03-01T09:00:00Z'), ['tx-active']);
    assert.deepEqual(await ids('idToken=tag-7'), ['7']);
    assert.deepEqual(await ids('idToken=card-1&status=active'), ['tx-active']);
    assert.deepEqual(await ids('idToken=nobody'), []);
    const bad = await h.api('GET', '/v1/transactions?from=yesterday');
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.body.error.fields.map((f: FieldError) => f.path),
      ['from'],
    );
  });

  test('400 for an unknown status or query parameter', async () => {
    const res = await h.api('GET', '/v1/transactions?status=open&station=CP-T1');
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.fields.map((f: FieldError) => f.path).sort(), ['station', 'status']);
  });
});

describe('GET /v1/stations/{stationId}/transactions/{transactionId}', () => {
  test('the view plus every meter sample, oldest first', async () => {
    const res = await h.api('GET', '/v1/stations/CP-T1/transactions/tx-active');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'active');
    assert.equal(res.body.energyWh, 1500);
    assert.equal(res.body.meterStartWh, null);
    assert.equal(res.body.chargingState, 'Charging');
    assert.deepEqual(
      res.body.samples.map((s: TransactionDetail['samples'][number]) => [
        s.timestamp.slice(11, 16),
        s.measurand,
        s.value,
        s.unit,
      ]),
      [
        ['10:00', ENERGY_REGISTER, 1000, 'Wh'],
        ['10:15', ENERGY_REGISTER, 1.8, 'kWh'],
        ['10:15', 'Power.Active.Import', 7400, 'W'],
        ['10:30', ENERGY_REGISTER, 2500, 'Wh'],
      ],
    );
    assert.deepEqual(res.body.samples[2], {
      timestamp: '2026-03-01T10:15:00.000Z',
      measurand: 'Power.Active.Import',
      value: 7400,
      unit: 'W',
      context: null,
      phase: null,
      location: null,
      signed: null,
    });
  });

  test('404 for an unknown transaction or station', async () => {
    const res = await h.api('GET', '/v1/stations/CP-T1/transactions/nope');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      error: { code: 'not_found', message: 'No transaction nope at station CP-T1' },
    });
    assert.equal((await h.api('GET', '/v1/stations/CP-nobody/transactions/7')).status, 404);
  });
});

describe('a 1.6 station charging', () => {
  test('start, meter values, stop: the API follows the transaction', async () => {
    const password = await h.provision('CP-T3');
    await h.api('POST', '/v1/id-tokens', { idToken: 'TAG-E2E' });
    const station = await h.station('CP-T3', 'ocpp1.6', { password });
    await station.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'M' });
    const start = await station.call('StartTransaction', {
      connectorId: 2,
      idTag: 'TAG-E2E',
      meterStart: 10_000,
      timestamp: '2026-03-01T13:00:00Z',
    });
    assert.equal(start.idTagInfo.status, 'Accepted');
    const path = `/v1/stations/CP-T3/transactions/${start.transactionId}`;

    await station.call('MeterValues', {
      connectorId: 2,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: '2026-03-01T13:10:00Z', sampledValue: [{ value: '10750' }] }],
    });
    const active = await h.api('GET', path);
    assert.equal(active.status, 200);
    assert.equal(active.body.status, 'active');
    assert.equal(active.body.evseId, 2);
    assert.equal(active.body.connectorId, 1);
    assert.equal(active.body.idToken, 'TAG-E2E');
    assert.equal(active.body.meterStartWh, 10_000);
    assert.equal(active.body.energyWh, 750);
    assert.equal(active.body.samples.length, 1);

    await station.call('StopTransaction', {
      transactionId: start.transactionId,
      meterStop: 11_200,
      timestamp: '2026-03-01T13:20:00Z',
      reason: 'EVDisconnected',
    });
    const ended = await h.api('GET', path);
    assert.equal(ended.body.status, 'ended');
    assert.equal(ended.body.endedAt, '2026-03-01T13:20:00.000Z');
    assert.equal(ended.body.meterStopWh, 11_200);
    assert.equal(ended.body.energyWh, 1200);
    assert.equal(ended.body.stopReason, 'EVDisconnected');

    const listed = await h.api('GET', '/v1/transactions?stationId=CP-T3');
    assert.deepEqual(
      listed.body.items.map((t: TransactionView) => [t.id, t.status]),
      [[String(start.transactionId), 'ended']],
    );
  });
});
