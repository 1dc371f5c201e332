/**
 * OCPP 2.0.1 over the local gateway: a charging session and every station-initiated message the
 * CSMS handles, with a real, strict 2.0.1 client (ocpp-rpc validates every answer against the
 * official schemas), checked on the wire, in the HTTP API's view, in the store and on the event
 * bus. Named after the 2.0.1 compliance test cases (part 6, *_CSMS) they cover. The tests run in
 * order and share the session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { StationView } from '../../functions/api/stations.js';
import type { TransactionView } from '../../functions/api/transactions.js';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import type { EventDetail, EventType } from '../../shared/events/catalog.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const STATION = 'CS201-SESSION';
const T0 = '2025-05-01T10:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const boot = {
  reason: 'PowerUp',
  chargingStation: { vendorName: 'VendorX', model: 'Model2', serialNumber: 'SN-201' },
};
const energy = (wh: number, context: string, timestamp: string) => ({
  timestamp,
  sampledValue: [
    { value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
  ],
});

describe('OCPP 2.0.1 charging session', () => {
  let h: Harness;
  let cs: RpcClient;
  let store: Store;
  const future = new Date(Date.now() + 30 * 86_400_000).toISOString();

  const events = <T extends EventType>(type: T): EventDetail<T>[] =>
    eventsOf(h.host, type, STATION).map((e) => e.detail as EventDetail<T>);
  const stationView = async (): Promise<StationView> => (await h.api('GET', `/v1/stations/${STATION}`)).body;
  const transactions = async (): Promise<TransactionView[]> =>
    (await h.api('GET', `/v1/transactions?stationId=${STATION}`)).body.items;
  const connector = (view: StationView, evseId: number, connectorId = 1) =>
    view.evses.find((e) => e.id === evseId)?.connectors.find((c) => c.id === connectorId);

  before(async () => {
    h = await startHarness({ meterEvents: 'every' });
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    await h.provision(STATION);
    const past = new Date(Date.now() - 86_400_000).toISOString();
    for (const token of [
      { idToken: 'TOKEN-OK', groupId: 'FAMILY-1', expiresAt: future },
      { idToken: 'TOKEN-BLOCKED', status: 'Blocked' },
      { idToken: 'TOKEN-EXPIRED', expiresAt: past },
      { idToken: 'TOKEN-OTHER', groupId: 'FAMILY-1' },
    ]) {
      const res = await h.api('POST', '/v1/id-tokens', token);
      assert.equal(res.status, 201, JSON.stringify(res.body));
    }
    cs = await h.station(STATION, 'ocpp2.0.1');
  });

  after(async () => {
    await h.close();
  });

  test('TC_B_01_CSMS B01.FR.02/04: BootNotification Accepted, heartbeat interval under the 10-minute idle timeout', async () => {
    const before = Date.now();
    const res = await cs.call('BootNotification', boot);
    assert.equal(res.status, 'Accepted');
    assert.ok(res.interval > 0 && res.interval < 600, `interval ${res.interval}`);
    assert.ok(Date.parse(res.currentTime) >= before - 1000);
  });

  test('TC_B_01_CSMS G01 StatusNotification: each connector stored; the station view shows EVSEs and connectors', async () => {
    for (const [evseId, connectorId] of [
      [1, 1],
      [2, 1],
    ] as const) {
      const res = await cs.call('StatusNotification', {
        timestamp: at(0),
        connectorStatus: 'Available',
        evseId,
        connectorId,
      });
      assert.deepEqual(res, {});
    }
    const view = await stationView();
    assert.equal(view.registrationStatus, 'Accepted');
    assert.equal(view.protocol, 'ocpp2.0.1');
    assert.equal(view.serialNumber, 'SN-201');
    assert.deepEqual(
      view.evses.map((e) => [e.id, e.connectors.map((c) => [c.id, c.status])]),
      [
        [1, [[1, 'Available']]],
        [2, [[1, 'Available']]],
      ],
    );
    assert.equal(events('connector.status-changed.v1').length, 2);
  });

  test('G01: an older StatusNotification arriving later does not overwrite a newer one', async () => {
    await cs.call('StatusNotification', {
      timestamp: at(20),
      connectorStatus: 'Unavailable',
      evseId: 2,
      connectorId: 1,
    });
    await cs.call('StatusNotification', {
      timestamp: at(10),
      connectorStatus: 'Faulted',
      evseId: 2,
      connectorId: 1,
    });
    // The same instant as at(10), written with an offset: compared as a time, not as a string.
    await cs.call('StatusNotification', {
      timestamp: '2025-05-01T12:00:10+02:00',
      connectorStatus: 'Occupied',
      evseId: 2,
      connectorId: 1,
    });
    assert.equal(connector(await stationView(), 2)?.status, 'Unavailable');
    const statuses = events('connector.status-changed.v1').filter((e) => e.evseId === 2);
    assert.deepEqual(
      statuses.map((e) => e.status),
      ['Available', 'Unavailable'],
      'no event for the status that was not kept',
    );
  });

  test('TC_B_01_CSMS G01.FR.03 NotifyEvent Connector.AvailabilityState: a connector status too', async () => {
    const res = await cs.call('NotifyEvent', {
      generatedAt: at(30),
      seqNo: 0,
      eventData: [
        {
          eventId: 1,
          timestamp: at(30),
          trigger: 'Delta',
          actualValue: 'Available',
          component: { name: 'Connector', evse: { id: 2, connectorId: 1 } },
          variable: { name: 'AvailabilityState' },
          eventNotificationType: 'HardWiredNotification',
        },
      ],
    });
    assert.deepEqual(res, {});
    assert.equal(connector(await stationView(), 2)?.status, 'Available');
    const device = events('station.device-event.v1');
    assert.equal(device.length, 1);
    assert.equal(device[0]!.events[0]!.actualValue, 'Available');
  });

  test('TC_C_02_CSMS / TC_C_06_CSMS / TC_C_07_CSMS C01.FR.07 Authorize: unknown token Unknown, Blocked, Expired', async () => {
    const status = async (idToken: string) =>
      (await cs.call('Authorize', { idToken: { idToken, type: 'ISO14443' } })).idTokenInfo.status;
    assert.equal(await status('NEVER-SEEN'), 'Unknown');
    assert.equal(await status('TOKEN-BLOCKED'), 'Blocked');
    assert.equal(await status('TOKEN-EXPIRED'), 'Expired');
  });

  test('C01.FR.06 / C09.FR.02 Authorize Accepted: the expiry as cacheExpiryDateTime and the groupIdToken', async () => {
    const res = await cs.call('Authorize', { idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' } });
    assert.deepEqual(res, {
      idTokenInfo: {
        status: 'Accepted',
        cacheExpiryDateTime: future,
        groupIdToken: { idToken: 'FAMILY-1', type: 'Central' },
      },
    });
    // The token's type is part of its identity: the same value as another type is unknown.
    const other = await cs.call('Authorize', { idToken: { idToken: 'TOKEN-OK', type: 'KeyCode' } });
    assert.equal(other.idTokenInfo.status, 'Unknown');
  });

  test('C07.FR.17 Authorize with a contract certificate this CSMS cannot verify: CertChainError, Invalid', async () => {
    const res = await cs.call('Authorize', {
      idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' },
      iso15118CertificateHashData: [
        {
          hashAlgorithm: 'SHA256',
          issuerNameHash: 'aa',
          issuerKeyHash: 'bb',
          serialNumber: '01',
          responderURL: 'http://ocsp.example.com',
        },
      ],
    });
    assert.equal(res.certificateStatus, 'CertChainError');
    assert.equal(res.idTokenInfo.status, 'Invalid');
  });

  test('C02.FR.02 Authorize with type NoAuthorization: Accepted, no token decision published', async () => {
    const decided = events('authorization.decided.v1').length;
    const res = await cs.call('Authorize', { idToken: { idToken: '', type: 'NoAuthorization' } });
    assert.deepEqual(res, { idTokenInfo: { status: 'Accepted' } });
    assert.equal(events('authorization.decided.v1').length, decided);
  });

  test('TC_E_04_CSMS / TC_J_07_CSMS E01.FR.12 TransactionEvent Started with idToken: idTokenInfo with the group', async () => {
    const res = await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: at(60),
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'EVConnected' },
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'TOKEN-OK', type: 'ISO14443' },
      meterValue: [energy(1000, 'Transaction.Begin', at(60))],
    });
    assert.deepEqual(res, {
      idTokenInfo: {
        status: 'Accepted',
        cacheExpiryDateTime: future,
        groupIdToken: { idToken: 'FAMILY-1', type: 'Central' },
      },
    });
    const [tx] = await transactions();
    assert.equal(tx?.id, 'TX-201-A');
    assert.equal(tx?.status, 'active');
    assert.equal(tx?.startedAt, at(60));
    assert.equal(tx?.meterStartWh, 1000);
    assert.equal(tx?.idToken, 'TOKEN-OK');
    assert.equal(tx?.protocol, 'ocpp2.0.1');
  });

  test('TC_J_09_CSMS TransactionEvent Updated with meter values and no idToken: no idTokenInfo', async () => {
    const charging = await cs.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: at(70),
      triggerReason: 'ChargingStateChanged',
      seqNo: 1,
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'Charging' },
    });
    assert.deepEqual(charging, {});
    for (const [seqNo, wh] of [
      [2, 2000],
      [3, 2500],
    ] as const) {
      const res = await cs.call('TransactionEvent', {
        eventType: 'Updated',
        timestamp: at(60 + seqNo * 60),
        triggerReason: 'MeterValuePeriodic',
        seqNo,
        transactionInfo: { transactionId: 'TX-201-A' },
        // 2.0.1 §2.55: unitOfMeasure.multiplier is a power of ten: 2.0 kWh as 2 with multiplier 3.
        meterValue: [
          {
            timestamp: at(60 + seqNo * 60),
            sampledValue: [
              {
                value: wh / 1000,
                measurand: 'Energy.Active.Import.Register',
                unitOfMeasure: { unit: 'Wh', multiplier: 3 },
              },
            ],
          },
        ],
      });
      assert.deepEqual(res, {});
    }
    const [tx] = await transactions();
    assert.equal(tx?.chargingState, 'Charging');
    assert.equal(tx?.status, 'active');
  });

  test('TC_E_15_CSMS / TC_J_10_CSMS / TC_C_39_CSMS E06.FR.09 Ended, stopped by a token of the same group: Local; energy from all readings', async () => {
    const res = await cs.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: at(300),
      triggerReason: 'StopAuthorized',
      seqNo: 4,
      // E07.FR.02: the token that stopped it, here another one of the same group.
      idToken: { idToken: 'TOKEN-OTHER', type: 'ISO14443' },
      transactionInfo: { transactionId: 'TX-201-A', chargingState: 'EVConnected' },
      evse: { id: 1, connectorId: 1 },
      meterValue: [energy(3500, 'Transaction.End', at(300))],
    });
    assert.deepEqual(res, {
      idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'FAMILY-1', type: 'Central' } },
    });
    const [tx] = await transactions();
    assert.ok(tx);
    assert.equal(tx.status, 'ended');
    assert.equal(tx.endedAt, at(300));
    assert.equal(tx.stopReason, 'Local');
    assert.equal(tx.meterStartWh, 1000);
    assert.equal(tx.meterStopWh, 3500);
    assert.equal(tx.energyWh, 2500);
    assert.equal(tx.idToken, 'TOKEN-OK', 'the token that started it stays');
    assert.equal(tx.evseId, 1);
    assert.equal(tx.connectorId, 1);
  });

  test('TC_E_53_CSMS E01.FR.07: the next transaction starts again at seqNo 0 and is a transaction of its own', async () => {
    const started = await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: at(400),
      triggerReason: 'CablePluggedIn',
      seqNo: 0,
      transactionInfo: { transactionId: 'TX-201-B', chargingState: 'EVConnected' },
      evse: { id: 2, connectorId: 1 },
    });
    assert.deepEqual(started, {});
    const ended = await cs.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: at(460),
      triggerReason: 'EVDeparted',
      seqNo: 1,
      transactionInfo: { transactionId: 'TX-201-B', stoppedReason: 'EVDisconnected' },
    });
    assert.deepEqual(ended, {});
    const byId = new Map((await transactions()).map((t) => [t.id, t]));
    assert.equal(byId.size, 2);
    assert.equal(byId.get('TX-201-B')?.stopReason, 'EVDisconnected');
    assert.equal(byId.get('TX-201-B')?.energyWh, null, 'no readings, no energy');
    assert.equal(byId.get('TX-201-A')?.energyWh, 2500);
  });

  test('transaction events on the bus: started, updated with samples, ended with totals, meter values, decisions', () => {
    const started = events('transaction.started.v1').filter((e) => e.transactionId === 'TX-201-A');
    assert.deepEqual(started, [
      {
        stationId: STATION,
        occurredAt: at(60),
        transactionId: 'TX-201-A',
        evseId: 1,
        connectorId: 1,
        idToken: 'TOKEN-OK',
        startedAt: at(60),
        meterStartWh: 1000,
      },
    ]);
    const updated = events('transaction.updated.v1').filter((e) => e.transactionId === 'TX-201-A');
    assert.deepEqual(
      updated.map((e) => [e.triggerReason, e.samples.map((s) => s.value)]),
      [
        ['ChargingStateChanged', []],
        ['MeterValuePeriodic', [2000]],
        ['MeterValuePeriodic', [2500]],
      ],
    );
    const ended = events('transaction.ended.v1').filter((e) => e.transactionId === 'TX-201-A');
    assert.equal(ended.length, 1);
    assert.deepEqual(
      {
        startedAt: ended[0]!.startedAt,
        endedAt: ended[0]!.endedAt,
        energyWh: ended[0]!.energyWh,
        meterStopWh: ended[0]!.meterStopWh,
        stopReason: ended[0]!.stopReason,
      },
      { startedAt: at(60), endedAt: at(300), energyWh: 2500, meterStopWh: 3500, stopReason: 'Local' },
    );
    const meter = events('meter.values.v1').filter((e) => e.transactionId === 'TX-201-A');
    assert.equal(meter.length, 4, 'Started, two Updated, Ended carried samples');
    assert.ok(meter.every((e) => e.evseId === 1));
    const decisions = events('authorization.decided.v1').filter((e) => e.context === 'TransactionEvent');
    assert.deepEqual(
      decisions.map((e) => [e.idToken, e.status]),
      [
        ['TOKEN-OK', 'Accepted'],
        ['TOKEN-OTHER', 'Accepted'],
      ],
    );
  });

  test('TC_J_01_CSMS J01.FR.18 MeterValues outside a transaction: stored per EVSE and published', async () => {
    const res = await cs.call('MeterValues', {
      evseId: 0,
      meterValue: [
        {
          timestamp: at(500),
          sampledValue: [
            { value: 123456, context: 'Sample.Clock' },
            {
              value: 230.1,
              context: 'Sample.Clock',
              measurand: 'Voltage',
              phase: 'L1-N',
              unitOfMeasure: { unit: 'V' },
            },
          ],
        },
      ],
    });
    assert.deepEqual(res, {});
    const stored = await store.meterValues.list(STATION, new Date());
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.evseId, 0);
    assert.deepEqual(
      stored[0]!.samples.map((s) => [s.measurand, s.value, s.unit]),
      [
        ['Energy.Active.Import.Register', 123456, 'Wh'],
        ['Voltage', 230.1, 'V'],
      ],
    );
    const published = events('meter.values.v1').filter((e) => e.transactionId === undefined);
    assert.equal(published.length, 1);
    assert.equal(published[0]!.evseId, 0);
  });

  test('TC_P_02_CSMS P02.FR.06 DataTransfer: UnknownVendorId (no vendor extensions), published', async () => {
    const res = await cs.call('DataTransfer', {
      vendorId: 'com.example',
      messageId: 'hello',
      data: { n: 1 },
    });
    assert.deepEqual(res, { status: 'UnknownVendorId' });
    const [published] = events('station.data-transfer.v1');
    assert.deepEqual(
      { vendorId: published?.vendorId, messageId: published?.messageId, data: published?.data },
      { vendorId: 'com.example', messageId: 'hello', data: { n: 1 } },
    );
  });

  test('TC_P_03_CSMS: customData in StatusNotification and TransactionEvent is accepted', async () => {
    const customData = { vendorId: 'com.example', extra: 'x' };
    assert.deepEqual(
      await cs.call('StatusNotification', {
        customData,
        timestamp: at(600),
        connectorStatus: 'Available',
        evseId: 1,
        connectorId: 1,
      }),
      {},
    );
    assert.deepEqual(
      await cs.call('TransactionEvent', {
        customData,
        eventType: 'Started',
        timestamp: at(600),
        triggerReason: 'CablePluggedIn',
        seqNo: 0,
        transactionInfo: { customData, transactionId: 'TX-201-C' },
      }),
      {},
    );
  });

  test('L01.FR.01 FirmwareStatusNotification and N01 LogStatusNotification: latest status kept, published', async () => {
    assert.deepEqual(
      await cs.call('FirmwareStatusNotification', { status: 'Downloading', requestId: 7 }),
      {},
    );
    assert.deepEqual(await cs.call('FirmwareStatusNotification', { status: 'Installed', requestId: 7 }), {});
    assert.deepEqual(await cs.call('LogStatusNotification', { status: 'Uploaded', requestId: 9 }), {});
    const station = await store.stations.get(STATION);
    assert.equal(station?.firmwareStatus?.status, 'Installed');
    assert.equal(station?.firmwareStatus?.requestId, 7);
    assert.equal(station?.logStatus?.status, 'Uploaded');
    assert.deepEqual(
      events('firmware.status.v1').map((e) => [e.status, e.requestId]),
      [
        ['Downloading', 7],
        ['Installed', 7],
      ],
    );
    assert.deepEqual(
      events('log.status.v1').map((e) => [e.status, e.requestId]),
      [['Uploaded', 9]],
    );
  });

  test('A04.FR.03 SecurityEventNotification: stored in the station security log (origin station), published', async () => {
    const res = await cs.call('SecurityEventNotification', {
      type: 'SettingSystemTime',
      timestamp: at(700),
      techInfo: 'NTP',
    });
    assert.deepEqual(res, {});
    const log = await store.securityEvents.list(STATION, new Date());
    assert.ok(
      log.some((e) => e.type === 'SettingSystemTime' && e.origin === 'station' && e.techInfo === 'NTP'),
    );
    const published = events('security.event.v1').filter((e) => e.origin === 'station');
    assert.deepEqual(
      published.map((e) => [e.type, e.occurredAt]),
      [['SettingSystemTime', at(700)]],
    );
  });

  test('TC_B_12_CSMS B07.FR.03 NotifyReport: one item per variable with attributes and characteristics, published', async () => {
    const part = (seqNo: number, tbc: boolean, reportData: unknown[]) =>
      cs.call('NotifyReport', { requestId: 42, generatedAt: at(800), seqNo, tbc, reportData });
    assert.deepEqual(
      await part(0, true, [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'HeartbeatInterval' },
          variableAttribute: [{ value: '300', mutability: 'ReadWrite', persistent: true }],
          variableCharacteristics: {
            dataType: 'integer',
            unit: 's',
            minLimit: 10,
            supportsMonitoring: false,
          },
        },
        {
          component: { name: 'EVSE', evse: { id: 1 } },
          variable: { name: 'Power' },
          variableAttribute: [
            { type: 'Actual', value: '0', mutability: 'ReadOnly' },
            { type: 'MaxSet', value: '22000' },
          ],
          variableCharacteristics: {
            dataType: 'decimal',
            unit: 'W',
            maxLimit: 22000,
            supportsMonitoring: true,
          },
        },
      ]),
      {},
    );
    assert.deepEqual(
      await part(1, false, [
        {
          component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
          variable: { name: 'ConnectorType' },
          variableAttribute: [{ value: 'cType2', mutability: 'ReadOnly', constant: true }],
        },
      ]),
      {},
    );
    const { items } = await store.deviceModel.listVariables(STATION, 100);
    assert.equal(items.length, 3);
    const power = items.find((i) => i.variable.name === 'Power');
    assert.deepEqual(power?.component, { name: 'EVSE', evse: { id: 1 } });
    assert.deepEqual(power?.attributes, {
      Actual: { value: '0', mutability: 'ReadOnly' },
      MaxSet: { value: '22000' },
    });
    assert.equal(power?.characteristics?.maxLimit, 22000);
    const heartbeat = items.find((i) => i.variable.name === 'HeartbeatInterval');
    assert.deepEqual(heartbeat?.attributes, {
      Actual: { value: '300', mutability: 'ReadWrite', persistent: true },
    });
    assert.equal(heartbeat?.reportRequestId, 42);
    assert.deepEqual(
      events('station.report.v1').map((e) => [e.requestId, e.seqNo, e.tbc, e.reportData.length]),
      [
        [42, 0, true, 2],
        [42, 1, false, 1],
      ],
    );
  });

  test('TC_N_50_CSMS N07.FR.03 / N08.FR.02 NotifyEvent: empty response; history and latest value per variable kept', async () => {
    const event = (eventId: number, timestamp: string, actualValue: string) => ({
      eventId,
      timestamp,
      trigger: 'Periodic',
      actualValue,
      component: { name: 'EVSE', evse: { id: 1 } },
      variable: { name: 'Power' },
      eventNotificationType: 'CustomMonitor',
      variableMonitoringId: 3,
    });
    assert.deepEqual(
      await cs.call('NotifyEvent', {
        generatedAt: at(910),
        seqNo: 0,
        eventData: [event(11, at(910), '7000')],
      }),
      {},
    );
    // An older event handled later does not replace the latest value.
    assert.deepEqual(
      await cs.call('NotifyEvent', {
        generatedAt: at(900),
        seqNo: 0,
        eventData: [event(10, at(900), '6000')],
      }),
      {},
    );
    const latest = await store.deviceModel.latestValues(STATION);
    const power = latest.find((v) => v.variable.name === 'Power');
    assert.deepEqual([power?.actualValue, power?.at, power?.eventId], ['7000', at(910), 11]);
    const history = await store.deviceModel.listEvents(STATION, new Date());
    assert.equal(history.filter((m) => m.events.some((e) => e.variable.name === 'Power')).length, 2);
    const published = events('station.device-event.v1').flatMap((e) => e.events.map((x) => x.actualValue));
    assert.deepEqual(published.slice(-2), ['7000', '6000']);
  });

  test('G02.FR.04 reconnect without BootNotification: Heartbeat and TransactionEvent accepted (state survived)', async () => {
    await cs.close();
    const again = await h.station(STATION, 'ocpp2.0.1');
    const before = Date.now();
    const beat = await again.call('Heartbeat', {});
    assert.ok(Date.parse(beat.currentTime) >= before - 1000, beat.currentTime);
    assert.deepEqual(
      await again.call('TransactionEvent', {
        eventType: 'Ended',
        timestamp: at(1000),
        triggerReason: 'EVDeparted',
        seqNo: 1,
        transactionInfo: { transactionId: 'TX-201-C', stoppedReason: 'EVDisconnected' },
      }),
      {},
    );
    const tx = (await transactions()).find((t) => t.id === 'TX-201-C');
    assert.equal(tx?.status, 'ended');
    assert.equal(events('station.booted.v1').length, 1, 'no new boot');
  });
});
