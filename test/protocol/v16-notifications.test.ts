/**
 * OCPP 1.6 notifications and the security extension over the local gateway: what is answered,
 * what is stored (read back from the host's DynamoDB, dynalite) and what is published.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import type { EventDetail, EventType } from '../../shared/events/catalog.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const STATION = 'CP16-NOTIFY';

describe('OCPP 1.6 notifications and security extension', () => {
  let h: Harness;
  let cp: RpcClient;
  let store: Store;

  /** The details of this station's events of one type, in publication order. */
  const events = <T extends EventType>(type: T): EventDetail<T>[] =>
    eventsOf(h.host, type, STATION).map((e) => e.detail as EventDetail<T>);

  before(async () => {
    h = await startHarness({ meterEvents: 'every' });
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    await h.provision(STATION);
    cp = await h.station(STATION, 'ocpp1.6');
    const boot = await cp.call('BootNotification', {
      chargePointVendor: 'VendorX',
      chargePointModel: 'ModelY',
    });
    assert.equal(boot.status, 'Accepted');
  });

  after(async () => {
    await h.close();
  });

  test('1.6 §4.3 DataTransfer: UnknownVendorId without data, published for partners', async () => {
    const res = await cp.call('DataTransfer', {
      vendorId: 'com.example.meter',
      messageId: 'Reading',
      data: '{"kWh":3}',
    });
    assert.deepEqual(res, { status: 'UnknownVendorId' });
    const [event] = events('station.data-transfer.v1');
    assert.equal(event!.vendorId, 'com.example.meter');
    assert.equal(event!.messageId, 'Reading');
    assert.equal(event!.data, '{"kWh":3}');
  });

  test('1.6 §4.5 FirmwareStatusNotification: stored as the firmware status and published', async () => {
    assert.deepEqual(await cp.call('FirmwareStatusNotification', { status: 'Downloading' }), {});
    assert.deepEqual(await cp.call('FirmwareStatusNotification', { status: 'Installed' }), {});
    const station = await store.stations.get(STATION);
    assert.equal(station?.firmwareStatus?.status, 'Installed');
    assert.deepEqual(
      events('firmware.status.v1').map((e) => e.status),
      ['Downloading', 'Installed'],
    );
  });

  test('1.6 §4.4 DiagnosticsStatusNotification: stored as the diagnostics status and published', async () => {
    assert.deepEqual(await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' }), {});
    assert.equal((await store.stations.get(STATION))?.diagnosticsStatus?.status, 'Uploaded');
    assert.deepEqual(
      events('diagnostics.status.v1').map((e) => e.status),
      ['Uploaded'],
    );
  });

  test('security whitepaper A04 SecurityEventNotification: stored in the station security log and published', async () => {
    const res = await cp.call('SecurityEventNotification', {
      type: 'FirmwareUpdated',
      timestamp: '2025-05-01T12:00:00+02:00',
      techInfo: 'v1.2.3 -> v1.2.4',
    });
    assert.deepEqual(res, {}); // A04.FR.03
    const log = await store.securityEvents.list(STATION, new Date());
    const stored = log.find((e) => e.origin === 'station');
    assert.ok(stored, JSON.stringify(log));
    assert.equal(stored.type, 'FirmwareUpdated');
    assert.equal(stored.techInfo, 'v1.2.3 -> v1.2.4');
    assert.equal(stored.timestamp, '2025-05-01T10:00:00.000Z');
    const [event] = events('security.event.v1').filter((e) => e.origin === 'station');
    assert.equal(event!.type, 'FirmwareUpdated');
    assert.equal(event!.occurredAt, '2025-05-01T10:00:00.000Z');
  });

  test('security whitepaper N01 LogStatusNotification: stored with its requestId and published', async () => {
    assert.deepEqual(await cp.call('LogStatusNotification', { status: 'Uploading', requestId: 7 }), {});
    const logStatus = (await store.stations.get(STATION))?.logStatus;
    assert.equal(logStatus?.status, 'Uploading');
    assert.equal(logStatus?.requestId, 7);
    const [event] = events('log.status.v1');
    assert.equal(event!.status, 'Uploading');
    assert.equal(event!.requestId, 7);
  });

  test('security whitepaper L01 SignedFirmwareStatusNotification: the firmware status, with its requestId', async () => {
    assert.deepEqual(
      await cp.call('SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 9 }),
      {},
    );
    const firmware = (await store.stations.get(STATION))?.firmwareStatus;
    assert.equal(firmware?.status, 'SignatureVerified');
    assert.equal(firmware?.requestId, 9);
    const last = events('firmware.status.v1').at(-1);
    assert.equal(last!.status, 'SignatureVerified');
    assert.equal(last!.requestId, 9);
  });

  test('1.6 §4.7 MeterValues outside a transaction (connectorId 0, main meter): kept as station meter values', async () => {
    const meter = {
      connectorId: 0,
      meterValue: [
        {
          timestamp: '2025-05-01T12:15:00Z',
          sampledValue: [
            { value: '123456', context: 'Sample.Clock', location: 'Inlet' },
            { value: '230.1', measurand: 'Voltage', unit: 'V', phase: 'L1-N', location: 'Inlet' },
          ],
        },
      ],
    };
    assert.deepEqual(await cp.call('MeterValues', meter), {});
    assert.deepEqual(await cp.call('MeterValues', meter), {}, 'a retry is answered too');
    const stored = await store.meterValues.list(STATION, new Date());
    assert.equal(stored.length, 1, 'the retry wrote the same item again');
    assert.equal(stored[0]?.evseId, 0);
    assert.deepEqual(
      stored[0]?.samples.map((s) => [s.timestamp, s.measurand, s.value, s.unit]),
      [
        ['2025-05-01T12:15:00.000Z', 'Energy.Active.Import.Register', 123456, 'Wh'],
        ['2025-05-01T12:15:00.000Z', 'Voltage', 230.1, 'V'],
      ],
    );
    const [event] = events('meter.values.v1');
    assert.equal(event!.evseId, 0);
    assert.equal(event!.transactionId, undefined);
  });

  test('1.6 §4.7: an implausible reading is answered and kept without its number (sanity checks never refuse)', async () => {
    const meter = {
      connectorId: 1,
      meterValue: [
        { timestamp: '2025-05-01T12:30:00Z', sampledValue: [{ value: '1e300' }, { value: '42' }] },
      ],
    };
    assert.deepEqual(await cp.call('MeterValues', meter), {});
    const stored = (await store.meterValues.list(STATION, new Date())).find((m) => m.evseId === 1);
    assert.deepEqual(
      stored?.samples.map((s) => s.value),
      [undefined, 42],
    );
  });

  test('1.6 §6.47 StatusNotification without timestamp: the time of receipt is assumed', async () => {
    const before = new Date().toISOString();
    assert.deepEqual(
      await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' }),
      {},
    );
    const after = new Date().toISOString();
    const [connector] = (await store.connectors.list(STATION)).filter((c) => c.evseId === 1);
    assert.equal(connector?.status, 'Preparing');
    assert.ok(connector.statusAt >= before && connector.statusAt <= after, connector.statusAt);
  });
});
