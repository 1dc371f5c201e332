/**
 * OCPP 2.1 over the local gateway: the 2.0.1 handlers serve 2.1 (through thin 2.1 routes where
 * the types differ), checked with a real, strict 2.1 client; and the 2.1 framing: SEND (message
 * type 6) is never answered (part 4 §4.2.4, N15.FR.02), CALLRESULTERROR (type 5) for no pending
 * call is dropped, an unknown action is NotImplemented.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type WebSocket from 'ws';
import type { StationView } from '../../functions/api/stations.js';
import type { TransactionView } from '../../functions/api/transactions.js';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import type { EventDetail, EventType } from '../../shared/events/catalog.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { eventsOf, startHarness, type Harness, type RawStation, type RpcClient } from '../support/harness.js';

const STATION = 'CS21-SESSION';
const T0 = '2025-07-01T10:00:00.000Z';
const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();
const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model21' } };
const energy = (wh: number, context: string, timestamp: string) => ({
  timestamp,
  sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register' }],
});

describe('OCPP 2.1', () => {
  let h: Harness;
  let cs: RpcClient;
  let store: Store;

  const events = <T extends EventType>(type: T, stationId = STATION): EventDetail<T>[] =>
    eventsOf(h.host, type, stationId).map((e) => e.detail as EventDetail<T>);
  const transactions = async (): Promise<TransactionView[]> =>
    (await h.api('GET', `/v1/transactions?stationId=${STATION}`)).body.items;

  before(async () => {
    h = await startHarness({ meterEvents: 'every' });
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    await h.provision(STATION);
    const token = await h.api('POST', '/v1/id-tokens', { idToken: 'TOKEN-21', groupId: 'GROUP-21' });
    assert.equal(token.status, 201);
    cs = await h.station(STATION, 'ocpp2.1');
  });

  after(async () => {
    await h.close();
  });

  describe('a charging session with the 2.0.1 handlers', () => {
    test('B01 BootNotification Accepted; G01 StatusNotification; the view shows protocol ocpp2.1', async () => {
      assert.equal(cs.protocol, 'ocpp2.1');
      assert.equal((await cs.call('BootNotification', boot)).status, 'Accepted');
      assert.deepEqual(
        await cs.call('StatusNotification', {
          timestamp: at(0),
          connectorStatus: 'Available',
          evseId: 1,
          connectorId: 1,
        }),
        {},
      );
      const view: StationView = (await h.api('GET', `/v1/stations/${STATION}`)).body;
      assert.equal(view.protocol, 'ocpp2.1');
      assert.equal(view.registrationStatus, 'Accepted');
      assert.equal(view.evses[0]?.connectors[0]?.status, 'Available');
    });

    test('C01 Authorize: 2.1 token types are open strings; known token Accepted with its group', async () => {
      const known = await cs.call('Authorize', { idToken: { idToken: 'TOKEN-21', type: 'ISO14443' } });
      assert.deepEqual(known, {
        idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'GROUP-21', type: 'Central' } },
      });
      // VIN is a 2.1 IdTokenEnumStringType value unknown to 2.0.1.
      const vin = await cs.call('Authorize', { idToken: { idToken: 'WVWZZZ1JZXW000001', type: 'VIN' } });
      assert.equal(vin.idTokenInfo.status, 'Unknown');
    });

    test('E01-E06 TransactionEvent Started / Updated / Ended (2.1 fields accepted): stored with its energy', async () => {
      const started = await cs.call('TransactionEvent', {
        eventType: 'Started',
        timestamp: at(60),
        triggerReason: 'Authorized',
        seqNo: 0,
        transactionInfo: {
          transactionId: 'TX-21-A',
          chargingState: 'Charging',
          operationMode: 'ChargingOnly',
        },
        evse: { id: 1, connectorId: 1 },
        idToken: { idToken: 'TOKEN-21', type: 'ISO14443' },
        meterValue: [energy(5000, 'Transaction.Begin', at(60))],
      });
      assert.equal(started.idTokenInfo.status, 'Accepted');
      const updated = await cs.call('TransactionEvent', {
        eventType: 'Updated',
        timestamp: at(120),
        triggerReason: 'MeterValuePeriodic',
        seqNo: 1,
        evseSleep: false,
        transactionInfo: { transactionId: 'TX-21-A' },
        meterValue: [energy(5600, 'Sample.Periodic', at(120))],
      });
      assert.deepEqual(updated, {});
      const endedEvent = {
        eventType: 'Ended',
        timestamp: at(180),
        triggerReason: 'EVDeparted',
        seqNo: 2,
        transactionInfo: { transactionId: 'TX-21-A', stoppedReason: 'EVDisconnected' },
        meterValue: [energy(6200, 'Transaction.End', at(180))],
      };
      assert.deepEqual(await cs.call('TransactionEvent', endedEvent), {});
      // E13: the same seqNo again is answered and changes nothing.
      assert.deepEqual(await cs.call('TransactionEvent', endedEvent), {});

      const [tx] = await transactions();
      assert.ok(tx);
      assert.deepEqual(
        [tx.id, tx.protocol, tx.status, tx.startedAt, tx.endedAt, tx.energyWh, tx.stopReason],
        ['TX-21-A', 'ocpp2.1', 'ended', at(60), at(180), 1200, 'EVDisconnected'],
      );
      assert.equal(events('transaction.started.v1').length, 1);
      assert.equal(events('transaction.updated.v1').length, 1);
      const ended = events('transaction.ended.v1');
      assert.equal(ended.length, 1);
      assert.equal(ended[0]!.energyWh, 1200);
    });

    test('J01 MeterValues with a 2.1 measurand; B07 NotifyReport; P02 DataTransfer', async () => {
      assert.deepEqual(
        await cs.call('MeterValues', {
          evseId: 1,
          meterValue: [
            {
              timestamp: at(200),
              sampledValue: [
                { value: 80, measurand: 'Display.PresentSOC', unitOfMeasure: { unit: 'Percent' } },
              ],
            },
          ],
        }),
        {},
      );
      const [stored] = await store.meterValues.list(STATION, new Date());
      assert.deepEqual(
        [stored?.samples[0]?.measurand, stored?.samples[0]?.value],
        ['Display.PresentSOC', 80],
      );
      assert.deepEqual(
        await cs.call('NotifyReport', {
          requestId: 5,
          generatedAt: at(210),
          seqNo: 0,
          reportData: [
            {
              component: { name: 'OCPPCommCtrlr' },
              variable: { name: 'HeartbeatInterval' },
              variableAttribute: [{ value: '300' }],
            },
          ],
        }),
        {},
      );
      const { items } = await store.deviceModel.listVariables(STATION, 10);
      assert.equal(items[0]?.attributes.Actual?.value, '300');
      assert.deepEqual(await cs.call('DataTransfer', { vendorId: 'com.example' }), {
        status: 'UnknownVendorId',
      });
    });
  });

  describe('2.1 framing (part 4 §4)', () => {
    let raw: RawStation;
    let frames: unknown[][];

    before(async () => {
      const id = 'CS21-RAW';
      const password = await h.provision(id);
      raw = await h.raw(id, 'ocpp2.1', password);
      frames = [];
      raw.ws.on('message', (data: WebSocket.RawData) =>
        frames.push(JSON.parse((data as Buffer).toString('utf8')) as unknown[]),
      );
      const reply = (await raw.send(JSON.stringify([2, 'boot', 'BootNotification', boot]))) as unknown[];
      assert.equal((reply[2] as { status: string }).status, 'Accepted');
    });

    /** Sends a CALL and returns its answer (the next frame with its id). */
    const call = async (id: string, action: string, payload: unknown): Promise<unknown[]> => {
      const reply = await raw.send(JSON.stringify([2, id, action, payload]));
      assert.ok(Array.isArray(reply));
      assert.equal(reply[1], id, `the next frame answers ${id}: ${JSON.stringify(reply)}`);
      return reply;
    };
    /** Two Heartbeat round trips: any answer to what was sent before them would have come first. */
    const settle = async (tag: string) => {
      await call(`${tag}-1`, 'Heartbeat', {});
      await call(`${tag}-2`, 'Heartbeat', {});
    };

    test('N15.FR.02 / §4.2.4: a SEND NotifyPeriodicEventStream gets no reply, not even an error', async () => {
      const sent = frames.length;
      raw.ws.send(
        JSON.stringify([
          6,
          'send-1',
          'NotifyPeriodicEventStream',
          {
            id: 123,
            pending: 0,
            basetime: at(0),
            data: [
              { t: 0, v: '230.4' },
              { t: 5, v: '230.2' },
            ],
          },
        ]),
      );
      // Neither is a SEND that breaks the schema or names an unknown action answered.
      raw.ws.send(JSON.stringify([6, 'send-2', 'NoSuchAction', {}]));
      raw.ws.send(JSON.stringify([6, 'send-3', 'Heartbeat', { unexpected: true }]));
      await settle('after-send');
      assert.deepEqual(
        frames.slice(sent).map((f) => f[1]),
        ['after-send-1', 'after-send-2'],
      );
    });

    test('§4.2.4: NotifyPeriodicEventStream sent as a CALL -> NotSupported saying it is a SEND', async () => {
      const reply = await call('as-call', 'NotifyPeriodicEventStream', {
        id: 123,
        pending: 0,
        basetime: at(0),
        data: [{ t: 0, v: '230.4' }],
      });
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'NotSupported');
      assert.match(String(reply[3]), /sent as a SEND/);
      assert.doesNotMatch(String(reply[3]), /sent by the CSMS/);
    });

    test('§4.2.3: a CALLRESULTERROR for no pending call is dropped; the connection keeps working', async () => {
      const sent = frames.length;
      raw.ws.send(JSON.stringify([5, 'never-called', 'FormatViolation', 'bad response', {}]));
      raw.ws.send(JSON.stringify([3, 'never-called-2', {}]));
      await settle('after-stray');
      assert.deepEqual(
        frames.slice(sent).map((f) => f[1]),
        ['after-stray-1', 'after-stray-2'],
      );
    });

    test('§4.1.7: a CALL of an unknown action -> NotImplemented; CSMS-initiated -> NotSupported', async () => {
      const unknown = await call('unknown', 'NotAnOcppAction', {});
      assert.deepEqual([unknown[0], unknown[2]], [4, 'NotImplemented']);
      const csmsSide = await call('csms-side', 'UsePriorityCharging', { transactionId: 'x', activate: true });
      assert.deepEqual([csmsSide[0], csmsSide[2]], [4, 'NotSupported']);
    });

    test('§4.3: schema violations use the 2.1 spellings (OccurrenceConstraintViolation, FormatViolation)', async () => {
      const missing = await call('occ', 'StatusNotification', {
        timestamp: at(0),
        evseId: 1,
        connectorId: 1,
      });
      assert.deepEqual([missing[0], missing[2]], [4, 'OccurrenceConstraintViolation']);
      const notObject = await call('fmt', 'Heartbeat', 'hello');
      assert.deepEqual([notObject[0], notObject[2]], [4, 'FormatViolation']);
    });
  });

  test('defect 18 (2.1 E01.FR.09 / E06.FR.11): Begin 1000, 2500, 4000, End 5500 in one millisecond give 4500 Wh', async () => {
    const S = 'CS21-TIES';
    await h.provision(S);
    const ties = await h.station(S, 'ocpp2.1');
    assert.equal((await ties.call('BootNotification', boot)).status, 'Accepted');
    const t = at(0);
    const event = (seqNo: number, eventType: string, wh: number, context: string) => ({
      eventType,
      timestamp: t,
      triggerReason: eventType === 'Ended' ? 'EVDeparted' : 'MeterValuePeriodic',
      seqNo,
      transactionInfo: { transactionId: 'TX-21-TIES' },
      ...(eventType === 'Started' ? { evse: { id: 1, connectorId: 1 } } : {}),
      meterValue: [energy(wh, context, t)],
    });
    await ties.call('TransactionEvent', event(0, 'Started', 1000, 'Transaction.Begin'));
    await ties.call('TransactionEvent', event(1, 'Updated', 2500, 'Sample.Periodic'));
    await ties.call('TransactionEvent', event(2, 'Updated', 4000, 'Sample.Periodic'));
    await ties.call('TransactionEvent', event(3, 'Ended', 5500, 'Transaction.End'));
    const res = await h.api('GET', `/v1/stations/${S}/transactions/TX-21-TIES`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      [res.body.status, res.body.meterStartWh, res.body.meterStopWh, res.body.energyWh],
      ['ended', 1000, 5500, 4500],
    );
    await ties.close();
  });
});
