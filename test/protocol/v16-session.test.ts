/**
 * OCPP 1.6 over the local gateway: a whole charging session with a real, strict 1.6 client
 * (ocpp-rpc validates every answer against the official schemas), checked on the wire, in the
 * HTTP API's view of the stored state and on the event bus. The tests run in order and share
 * the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { z } from 'zod';
import type { StationView } from '../../functions/api/stations.js';
import type { TransactionDetail, TransactionView } from '../../functions/api/transactions.js';
import type { EventDetail, EventType } from '../../shared/events/catalog.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const STATION = 'CP16-SESSION';
const T0 = '2025-03-01T10:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('OCPP 1.6 charging session', () => {
  let h: Harness;
  let cp: RpcClient;
  let transactionId: number;

  /** The details of this station's events of one type, in publication order. */
  const events = <T extends EventType>(type: T): EventDetail<T>[] =>
    eventsOf(h.host, type, STATION).map((e) => e.detail as EventDetail<T>);
  const stationView = async (): Promise<StationView> => (await h.api('GET', `/v1/stations/${STATION}`)).body;
  const transactions = async (): Promise<TransactionView[]> =>
    (await h.api('GET', `/v1/transactions?stationId=${STATION}`)).body.items;
  const transaction = async (): Promise<z.output<typeof TransactionDetail>> =>
    (await h.api('GET', `/v1/stations/${STATION}/transactions/${transactionId}`)).body;
  const evse = (view: StationView, id: number) => view.evses.find((e) => e.id === id)?.connectors[0];

  before(async () => {
    h = await startHarness({ meterEvents: 'every' });
    await h.provision(STATION);
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const past = new Date(Date.now() - 86_400_000).toISOString();
    for (const token of [
      { idToken: 'TAG-OK', groupId: 'FAMILY-1', expiresAt: future },
      { idToken: 'TAG-BLOCKED', status: 'Blocked' },
      { idToken: 'TAG-EXPIRED', expiresAt: past },
    ]) {
      const res = await h.api('POST', '/v1/id-tokens', token);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    cp = await h.station(STATION, 'ocpp1.6');
  });

  after(async () => {
    await h.close();
  });

  test('1.6 §4.2 BootNotification: Accepted, heartbeat interval under API Gateway idle timeout', async () => {
    const before = Date.now();
    const res = await cp.call('BootNotification', {
      chargePointVendor: 'VendorX',
      chargePointModel: 'ModelY',
      chargePointSerialNumber: 'SN-16',
      firmwareVersion: '1.2.3',
    });
    assert.equal(res.status, 'Accepted');
    assert.ok(
      Number.isInteger(res.interval) && res.interval > 0 && res.interval < 600,
      `interval ${res.interval}`,
    );
    // 1.6 §4.2: the CSMS's current time, for the station's clock.
    const currentTime = Date.parse(res.currentTime);
    assert.ok(currentTime >= before && currentTime <= Date.now(), res.currentTime);
  });

  test('1.6 §4.9 / errata 3.22: StatusNotification for connectorId 0..2 after boot', async () => {
    for (const connectorId of [0, 1, 2]) {
      const res = await cp.call('StatusNotification', {
        connectorId,
        errorCode: 'NoError',
        status: 'Available',
        timestamp: at(connectorId),
      });
      assert.deepEqual(res, {});
    }
    const view = await stationView();
    // 1.6 §3.8: connectorId 0 is the charge point itself; connector N is EVSE N with connector 1.
    assert.equal(view.stationStatus?.status, 'Available');
    assert.deepEqual(
      view.evses.map((e) => ({ id: e.id, connectors: e.connectors.map((c) => [c.id, c.status]) })),
      [
        { id: 1, connectors: [[1, 'Available']] },
        { id: 2, connectors: [[1, 'Available']] },
      ],
    );
    const changed = events('connector.status-changed.v1');
    assert.deepEqual(
      changed.map((e) => [e.evseId, e.connectorId, e.status]),
      [
        [0, 0, 'Available'],
        [1, 1, 'Available'],
        [2, 1, 'Available'],
      ],
    );
    assert.equal(changed[1]!.occurredAt, at(1));
  });

  test('1.6 §4.9: an older StatusNotification arriving later does not overwrite a newer one', async () => {
    await cp.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'OtherError',
      info: 'door open',
      vendorErrorCode: 'E42',
      status: 'Faulted',
      timestamp: '2025-03-01T10:10:00Z',
    });
    // 1.6 §3.15: offsets must be understood. 11:05+02:00 is 09:05Z: older, although it sorts later as text.
    await cp.call('StatusNotification', {
      connectorId: 2,
      errorCode: 'NoError',
      status: 'Available',
      timestamp: '2025-03-01T11:05:00+02:00',
    });
    const view = await stationView();
    const connector = evse(view, 2);
    assert.ok(connector);
    assert.equal(connector.status, 'Faulted');
    assert.equal(connector.errorCode, 'OtherError');
    const changed = events('connector.status-changed.v1').filter((e) => e.evseId === 2);
    assert.deepEqual(
      changed.map((e) => e.status),
      ['Available', 'Faulted'],
      'no event for the status that was not stored',
    );
    assert.equal(changed[1]!.errorCode, 'OtherError');
    assert.equal(changed[1]!.info, 'door open');
  });

  test('1.6 §4.1 Authorize: unknown Invalid, stored Accepted with parentIdTag and expiryDate, Blocked, Expired', async () => {
    const unknown = await cp.call('Authorize', { idTag: 'TAG-UNKNOWN' });
    assert.deepEqual(unknown, { idTagInfo: { status: 'Invalid' } });

    const ok = await cp.call('Authorize', { idTag: 'TAG-OK' });
    assert.equal(ok.idTagInfo.status, 'Accepted');
    // 1.6 §3.10: the group is the parentIdTag; §7.27: expiryDate is when to drop it from the cache.
    assert.equal(ok.idTagInfo.parentIdTag, 'FAMILY-1');
    assert.ok(Date.parse(ok.idTagInfo.expiryDate) > Date.now());

    assert.equal((await cp.call('Authorize', { idTag: 'TAG-BLOCKED' })).idTagInfo.status, 'Blocked');
    assert.equal((await cp.call('Authorize', { idTag: 'TAG-EXPIRED' })).idTagInfo.status, 'Expired');

    const decided = events('authorization.decided.v1').filter((e) => e.context === 'Authorize');
    assert.deepEqual(
      decided.map((e) => [e.idToken, e.status, e.reason]),
      [
        ['TAG-UNKNOWN', 'Invalid', 'unknown'],
        ['TAG-OK', 'Accepted', 'known'],
        ['TAG-BLOCKED', 'Blocked', 'known'],
        ['TAG-EXPIRED', 'Expired', 'known'],
      ],
    );
  });

  const start = {
    connectorId: 1,
    idTag: 'TAG-OK',
    meterStart: 1000,
    timestamp: at(60),
  };

  test('1.6 §4.8 StartTransaction: the CSMS assigns the transaction id and checks the idTag', async () => {
    const res = await cp.call('StartTransaction', start);
    assert.ok(
      Number.isInteger(res.transactionId) && res.transactionId > 0,
      `transactionId ${res.transactionId}`,
    );
    assert.equal(res.idTagInfo.status, 'Accepted');
    assert.equal(res.idTagInfo.parentIdTag, 'FAMILY-1');
    transactionId = res.transactionId;

    const list = await transactions();
    assert.equal(list.length, 1);
    const [tx] = list;
    assert.ok(tx);
    assert.equal(tx.id, String(transactionId));
    assert.equal(tx.protocol, 'ocpp1.6');
    assert.equal(tx.status, 'active');
    assert.equal(tx.evseId, 1);
    assert.equal(tx.connectorId, 1);
    assert.equal(tx.idToken, 'TAG-OK');
    assert.equal(tx.startedAt, at(60));
    assert.equal(tx.meterStartWh, 1000);
  });

  test('1.6 §3.7.1 StartTransaction retry: the same transaction id, no second transaction; its events again (at least once)', async () => {
    const again = await cp.call('StartTransaction', start);
    assert.equal(again.transactionId, transactionId);
    assert.equal(again.idTagInfo.status, 'Accepted');
    assert.equal((await transactions()).length, 1);
    // The first attempt may have failed to publish: a retry publishes the same facts again.
    const started = events('transaction.started.v1');
    assert.equal(started.length, 2);
    assert.deepEqual(started[1], started[0]);
  });

  const meterValues = (): Record<string, unknown> => ({
    connectorId: 1,
    transactionId,
    meterValue: [
      {
        timestamp: at(120),
        sampledValue: [
          {
            value: '1500',
            measurand: 'Energy.Active.Import.Register',
            unit: 'Wh',
            context: 'Sample.Periodic',
          },
          { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
        ],
      },
      // 1.6 §4.7 / §7.43: no measurand and unit: an energy register reading in Wh (by default).
      { timestamp: at(180), sampledValue: [{ value: '1800' }] },
      {
        timestamp: at(240),
        sampledValue: [{ value: '2.2', measurand: 'Energy.Active.Import.Register', unit: 'kWh' }],
      },
    ],
  });

  test('1.6 §4.7 MeterValues in a transaction: energy registers in Wh and kWh stored with the transaction', async () => {
    assert.deepEqual(await cp.call('MeterValues', meterValues()), {});
    const detail = await transaction();
    const energy = detail.samples.filter((s) => s.measurand === 'Energy.Active.Import.Register');
    assert.deepEqual(
      energy.map((s) => [s.timestamp, s.value, s.unit]),
      [
        [at(120), 1500, 'Wh'],
        [at(180), 1800, 'Wh'],
        [at(240), 2.2, 'kWh'],
      ],
    );
    // Energy so far: latest register (2.2 kWh) - meterStart (1000 Wh).
    assert.equal(detail.energyWh, 1200);

    const mv = events('meter.values.v1');
    assert.equal(mv.length, 1);
    assert.equal(mv[0]!.evseId, 1);
    assert.equal(mv[0]!.transactionId, String(transactionId));
    assert.equal(mv[0]!.samples.length, 4);
  });

  test('1.6 §3.7.1 MeterValues retry: the same samples, not twice', async () => {
    assert.deepEqual(await cp.call('MeterValues', meterValues()), {});
    const detail = await transaction();
    assert.equal(detail.samples.length, 4);
  });

  const stop = (): Record<string, unknown> => ({
    transactionId,
    idTag: 'TAG-OK',
    meterStop: 3500,
    timestamp: at(600),
    transactionData: [
      { timestamp: at(60), sampledValue: [{ value: '1000', context: 'Transaction.Begin' }] },
      // StopTxnSampledData is sampled on the MeterValues interval (1.6 §3.16.1): a timestamp already stored.
      {
        timestamp: at(120),
        sampledValue: [
          {
            value: '1500',
            measurand: 'Energy.Active.Import.Register',
            unit: 'Wh',
            context: 'Sample.Periodic',
          },
        ],
      },
      { timestamp: at(600), sampledValue: [{ value: '3500', context: 'Transaction.End' }] },
    ],
  });

  test('1.6 §4.10 StopTransaction with transactionData: ended, energy = meterStop - meterStart', async () => {
    const res = await cp.call('StopTransaction', stop());
    assert.equal(res.idTagInfo.status, 'Accepted');

    const list = await transactions();
    assert.equal(list.length, 1);
    const [tx] = list;
    assert.ok(tx);
    assert.equal(tx.status, 'ended');
    assert.equal(tx.startedAt, at(60));
    assert.equal(tx.endedAt, at(600));
    assert.equal(tx.meterStartWh, 1000);
    assert.equal(tx.meterStopWh, 3500);
    assert.equal(tx.energyWh, 2500);
    // 1.6 §4.10: no reason means Local.
    assert.equal(tx.stopReason, 'Local');

    const detail = await transaction();
    const contexts = detail.samples.map((s) => s.context).filter(Boolean);
    assert.ok(
      contexts.includes('Transaction.Begin') && contexts.includes('Transaction.End'),
      contexts.join(),
    );
    // The MeterValues readings at the timestamp the stop repeats are kept, and not doubled.
    assert.deepEqual(
      detail.samples.filter((s) => s.timestamp === at(120)).map((s) => [s.measurand, s.value]),
      [
        ['Energy.Active.Import.Register', 1500],
        ['Power.Active.Import', 7.2],
      ],
    );

    const ended = events('transaction.ended.v1');
    assert.equal(ended.length, 1);
    assert.equal(ended[0]!.transactionId, String(transactionId));
    assert.equal(ended[0]!.energyWh, 2500);
    assert.equal(ended[0]!.stopReason, 'Local');
    assert.equal(ended[0]!.evseId, 1);
  });

  test('1.6 §3.7.1 StopTransaction retry: answered the same, state unchanged, the same ended event again', async () => {
    const res = await cp.call('StopTransaction', stop());
    assert.equal(res.idTagInfo.status, 'Accepted');
    const ended = events('transaction.ended.v1');
    assert.equal(ended.length, 2);
    assert.deepEqual(ended[1], ended[0]);
    const all = await transactions();
    assert.equal(all.length, 1);
    assert.equal(all[0]!.energyWh, 2500);
  });

  test('station view: registration, boot data and connector statuses', async () => {
    const view = await stationView();
    assert.equal(view.registrationStatus, 'Accepted');
    assert.equal(view.vendor, 'VendorX');
    assert.equal(view.model, 'ModelY');
    assert.equal(view.serialNumber, 'SN-16');
    assert.equal(view.firmwareVersion, '1.2.3');
    assert.equal(view.protocol, 'ocpp1.6');
    assert.equal(view.stationStatus?.status, 'Available');
    assert.deepEqual(
      view.evses.map((e) => [e.id, e.connectors[0]?.status]),
      [
        [1, 'Available'],
        [2, 'Faulted'],
      ],
    );
  });

  test('events on the bus: booted, status changed, authorization, transaction started and ended, meter values', () => {
    const booted = events('station.booted.v1');
    assert.equal(booted.length, 1);
    assert.equal(booted[0]!.registrationStatus, 'Accepted');
    assert.equal(booted[0]!.vendor, 'VendorX');

    assert.equal(events('connector.status-changed.v1').length, 4);

    const authContexts = events('authorization.decided.v1').map((e) => e.context);
    assert.deepEqual([...new Set(authContexts)].sort(), ['Authorize', 'StartTransaction', 'StopTransaction']);

    // Two of each: the retries above published their facts again (at least once).
    const started = events('transaction.started.v1');
    assert.equal(started.length, 2);
    assert.deepEqual(
      {
        transactionId: started[0]!.transactionId,
        evseId: started[0]!.evseId,
        connectorId: started[0]!.connectorId,
        idToken: started[0]!.idToken,
        startedAt: started[0]!.startedAt,
        meterStartWh: started[0]!.meterStartWh,
      },
      {
        transactionId: String(transactionId),
        evseId: 1,
        connectorId: 1,
        idToken: 'TAG-OK',
        startedAt: at(60),
        meterStartWh: 1000,
      },
    );

    // MeterValues and the transactionData of the StopTransaction.
    const mv = events('meter.values.v1');
    assert.ok(mv.every((e) => e.transactionId === String(transactionId) && e.evseId === 1));
    const sampleContexts = mv.flatMap((e) => e.samples.map((s) => s.context));
    assert.ok(sampleContexts.includes('Sample.Periodic') && sampleContexts.includes('Transaction.End'));
    assert.equal(new Set(events('transaction.ended.v1').map((e) => JSON.stringify(e))).size, 1);
  });

  test('reconnect without BootNotification: Heartbeat and StatusNotification accepted (state survived)', async () => {
    await cp.close();
    const again = await h.station(STATION, 'ocpp1.6');
    const before = Date.now();
    const beat = await again.call('Heartbeat', {});
    assert.ok(Date.parse(beat.currentTime) >= before, beat.currentTime);
    assert.deepEqual(
      await again.call('StatusNotification', {
        connectorId: 2,
        errorCode: 'NoError',
        status: 'Available',
        timestamp: at(900),
      }),
      {},
    );
    const view = await stationView();
    assert.equal(evse(view, 2)?.status, 'Available');
    assert.equal(events('station.booted.v1').length, 1, 'no new boot');
  });
});
