/**
 * The six station-initiated 2.0.1 smart-charging / ISO 15118 messages that were answered
 * NotSupported (issue 15), handled per spec, with a strict ocpp-rpc 2.0.1 station: external limits
 * (K11-K13) stored per EVSE, published and shown by the API; an EV's charging needs (K15-K17)
 * answered and served with a TxProfile that meets its departure time (asserted on the
 * SetChargingProfile the station receives); its own schedule checked (K15.FR.11/.12); OCSP through
 * a local responder (M06); contract certificates without a PKI (M01/M02). The tests run in order.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { STATION_INITIATED } from '../../shared/ocpp/versions.js';
import { createStore } from '../../shared/store/index.js';
import { V201_ROUTES } from '../../functions/ocpp/v201/routes.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';
import { startOcspResponder, statusesIn, type OcspResponder } from '../support/ocsp-responder.js';

const STATION = 'SC-201';
const TX = 'TX-SC-1';

interface Received {
  readonly method: string;
  readonly params: any;
}

describe('OCPP 2.0.1 smart charging and ISO 15118 messages', () => {
  let h: Harness;
  let cs: RpcClient;
  let ocsp: OcspResponder;
  const received: Received[] = [];
  /** Profile statuses the station answers, in order (default Accepted). */
  const answers: string[] = [];
  /** While set, the station holds its answer to a ClearCache until it resolves. */
  let hold: Promise<void> | undefined;

  const events = (type: string): any[] => eventsOf(h.host, type, STATION).map((e) => e.detail);
  /** Waits for the station to receive `count` more CALLs after `mark` (the CSMS sends them after its reply). */
  async function receivedSince(mark: number, count = 1): Promise<Received[]> {
    for (let i = 0; i < 100 && received.length < mark + count; i++)
      await new Promise((r) => setTimeout(r, 50));
    return received.slice(mark);
  }
  /** Waits until the CSMS has the station's answer to every CALL it received: its one-call lock is free. */
  async function settled(): Promise<void> {
    const store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    const busy = async () => (await store.stations.get(STATION))?.outstandingCall !== undefined;
    for (let i = 0; i < 100 && (await busy()); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await busy(), false);
  }

  before(async () => {
    h = await startHarness();
    ocsp = await startOcspResponder(['0bad']);
    await h.provision(STATION);
    cs = await h.station(STATION, 'ocpp2.0.1');
    (cs as unknown as { handle(f: (c: { method: string; params: any }) => unknown): void }).handle(
      async ({ method, params }) => {
        received.push({ method, params });
        if (method === 'ClearCache' && hold) await hold;
        return { status: answers.shift() ?? 'Accepted' };
      },
    );
    const boot = await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V', model: 'M' },
    });
    assert.equal(boot.status, 'Accepted');
    await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: new Date().toISOString(),
      triggerReason: 'CablePluggedIn',
      seqNo: 0,
      transactionInfo: { transactionId: TX, chargingState: 'EVConnected' },
      evse: { id: 1, connectorId: 1 },
    });
  });

  after(async () => {
    await h.close();
    await ocsp.close();
  });

  test('every station-initiated 2.0.1 action has a handler: none is answered NotSupported any more', () => {
    const missing = STATION_INITIATED['ocpp2.0.1'].filter((a) => !(a in V201_ROUTES));
    assert.deepEqual(missing, []);
  });

  test('K11.FR.02 / K12.FR.02 NotifyChargingLimit: stored per EVSE, published, shown by the API', async () => {
    const schedule = {
      id: 1,
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 20, numberPhases: 3 }],
    };
    assert.deepEqual(
      await cs.call('NotifyChargingLimit', {
        evseId: 1,
        chargingLimit: { chargingLimitSource: 'EMS' },
        chargingSchedule: [schedule],
      }),
      {},
    );
    assert.deepEqual(
      await cs.call('NotifyChargingLimit', { chargingLimit: { chargingLimitSource: 'SO' } }),
      {},
    );
    const res = await h.api('GET', `/v1/stations/${STATION}/charging-limits`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.items.map((l: any) => [l.evseId, l.source, l.schedules]),
      [
        [0, 'SO', []],
        [1, 'EMS', [schedule]],
      ],
    );
    assert.deepEqual(
      events('charging.limit-set.v1').map((e) => [e.evseId, e.source]),
      [
        [1, 'EMS'],
        [0, 'SO'],
      ],
    );
  });

  test('K15.FR.03 / .07 NotifyEVChargingNeeds: Accepted, then a TxProfile for the transaction that meets the departure time within the EVSE limit', async () => {
    const mark = received.length;
    const departure = new Date(Date.now() + 2 * 3_600_000);
    const res = await cs.call('NotifyEVChargingNeeds', {
      evseId: 1,
      maxScheduleTuples: 5,
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_three_phase',
        departureTime: departure.toISOString(),
        acChargingParameters: { energyAmount: 11_040, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
      },
    });
    assert.deepEqual(res, { status: 'Accepted' });
    const [call] = await receivedSince(mark);
    assert.equal(call?.method, 'SetChargingProfile');
    const { evseId, chargingProfile: p } = call.params;
    assert.equal(evseId, 1);
    assert.equal(p.chargingProfilePurpose, 'TxProfile');
    assert.equal(p.transactionId, TX);
    assert.equal(p.chargingSchedule.length, 1);
    const [s] = p.chargingSchedule;
    assert.equal(s.chargingRateUnit, 'A');
    assert.ok(s.chargingSchedulePeriod.length <= 5, 'K15.FR.07: within maxScheduleTuples');
    const [period] = s.chargingSchedulePeriod;
    assert.equal(period.startPeriod, 0);
    assert.ok(period.limit <= 20, 'within the EVSE limit (EMS 20 A)');
    assert.ok(period.limit >= 6, "at least the EV's minimum");
    // The energy by the departure time: limit x 230 V x phases x hours until departure.
    const end = Date.parse(s.startSchedule) + s.duration * 1000;
    assert.ok(end <= departure.getTime() + 1000, 'the schedule ends by the departure time');
    const hours = (departure.getTime() - Date.parse(s.startSchedule)) / 3_600_000;
    assert.ok(
      period.limit * 230 * period.numberPhases * hours >= 11_040,
      `delivers the energy: ${period.limit} A`,
    );
    assert.deepEqual(
      events('ev.charging-needs.v1').map((e) => [e.status, e.transactionId, e.limit]),
      [['Accepted', TX, { value: period.limit, unit: 'A' }]],
    );
    const needs = (await h.api('GET', `/v1/stations/${STATION}/ev-charging-needs`)).body.items;
    assert.deepEqual(
      needs.map((n: any) => [n.evseId, n.transactionId, n.status, n.sent?.profileId]),
      [[1, TX, 'Accepted', p.id]],
    );
  });

  test('K15.FR.11 NotifyEVChargingSchedule within what was sent: Accepted; K15.FR.12/.13 above it: Rejected, deviation published, the TxProfile sent again', async () => {
    const sent = received.at(-1)!.params;
    const limit: number = sent.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit;
    const timeBase = sent.chargingProfile.chargingSchedule[0].startSchedule;
    const within = await cs.call('NotifyEVChargingSchedule', {
      evseId: 1,
      timeBase,
      chargingSchedule: { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    });
    assert.deepEqual(within, { status: 'Accepted' });
    const mark = received.length;
    const above = await cs.call('NotifyEVChargingSchedule', {
      evseId: 1,
      timeBase,
      chargingSchedule: {
        id: 1,
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [
          { startPeriod: 0, limit },
          { startPeriod: 600, limit: limit + 10 },
        ],
      },
    });
    assert.equal(above.status, 'Rejected');
    assert.equal(above.statusInfo.reasonCode, 'ExceedsLimit');
    const [deviation] = events('ev.charging-schedule-deviated.v1');
    assert.deepEqual(deviation.deviations, [
      {
        at: new Date(Date.parse(timeBase) + 600_000).toISOString(),
        evLimit: limit + 10,
        csmsLimit: limit,
        unit: 'A',
      },
    ]);
    const [again] = await receivedSince(mark);
    assert.deepEqual(again, { method: 'SetChargingProfile', params: sent });
  });

  test('needs that cannot be met by the departure time: the best schedule, and ev.charging-needs-unmet.v1', async () => {
    await settled();
    const mark = received.length;
    const res = await cs.call('NotifyEVChargingNeeds', {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_three_phase',
        departureTime: new Date(Date.now() + 3_600_000).toISOString(),
        acChargingParameters: { energyAmount: 40_000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
      },
    });
    assert.deepEqual(res, { status: 'Accepted' });
    const [call] = await receivedSince(mark);
    assert.equal(call?.params.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].limit, 20);
    const [unmet] = events('ev.charging-needs-unmet.v1');
    assert.equal(unmet.status, 'Accepted');
    assert.equal(unmet.energyAmountWh, 40_000);
    assert.ok(unmet.deliverableWh < 40_000);
  });

  test('K15.FR.05 NotifyEVChargingNeeds while another CALL is outstanding: Processing, the TxProfile follows its answer', async () => {
    await settled();
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const mark = received.length;
    const cmd = await h.api('POST', `/v1/stations/${STATION}/commands`, {
      action: 'ClearCache',
      payload: {},
    });
    assert.ok(cmd.status < 300, JSON.stringify(cmd.body));
    assert.deepEqual(
      (await receivedSince(mark)).map((c) => c.method),
      ['ClearCache'],
    );
    const res = await cs.call('NotifyEVChargingNeeds', {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_single_phase',
        acChargingParameters: { energyAmount: 5_000, evMinCurrent: 6, evMaxCurrent: 16, evMaxVoltage: 230 },
      },
    });
    assert.deepEqual(res, { status: 'Processing' });
    release();
    hold = undefined;
    const calls = await receivedSince(mark, 2);
    assert.deepEqual(
      calls.map((c) => c.method),
      ['ClearCache', 'SetChargingProfile'],
    );
    const [period] = calls[1]!.params.chargingProfile.chargingSchedule[0].chargingSchedulePeriod;
    assert.deepEqual(period, { startPeriod: 0, limit: 16, numberPhases: 1 });
  });

  test('K15.FR.04 NotifyEVChargingNeeds on an EVSE without a transaction: Rejected, published, nothing sent', async () => {
    await settled();
    const mark = received.length;
    const res = await cs.call('NotifyEVChargingNeeds', {
      evseId: 2,
      chargingNeeds: {
        requestedEnergyTransfer: 'DC',
        dcChargingParameters: { evMaxCurrent: 200, evMaxVoltage: 500 },
      },
    });
    assert.equal(res.status, 'Rejected');
    assert.equal(res.statusInfo.reasonCode, 'NoTransaction');
    const rejected = events('ev.charging-needs-unmet.v1').filter((e) => e.evseId === 2);
    assert.deepEqual(
      rejected.map((e) => e.status),
      ['Rejected'],
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(received.slice(mark), []);
    // Kept per transaction (newest first); needs without a transaction under their EVSE.
    const needs = (await h.api('GET', `/v1/stations/${STATION}/ev-charging-needs`)).body.items;
    assert.deepEqual(
      needs.map((n: any) => [n.evseId, n.transactionId, n.status]),
      [
        [2, null, 'Rejected'],
        [1, TX, 'Processing'],
      ],
    );
  });

  test('K13.FR.02 ClearedChargingLimit: the limit of that source is gone, published', async () => {
    assert.deepEqual(await cs.call('ClearedChargingLimit', { chargingLimitSource: 'EMS', evseId: 1 }), {});
    const res = await h.api('GET', `/v1/stations/${STATION}/charging-limits`);
    assert.deepEqual(
      res.body.items.map((l: any) => [l.evseId, l.source]),
      [[0, 'SO']],
    );
    assert.deepEqual(
      events('charging.limit-cleared.v1').map((e) => [e.evseId, e.source]),
      [[1, 'EMS']],
    );
  });

  test('M06.FR.02/.03 GetCertificateStatus: Accepted with the OCSP response of the responder the station names', async () => {
    const data = {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'aa'.repeat(32),
      issuerKeyHash: 'bb'.repeat(32),
      serialNumber: '0bad',
      responderURL: ocsp.url,
    };
    const revoked = await cs.call('GetCertificateStatus', { ocspRequestData: data });
    assert.equal(revoked.status, 'Accepted');
    assert.deepEqual(statusesIn(revoked.ocspResult), { '0bad': 'revoked' });
    const good = await cs.call('GetCertificateStatus', {
      ocspRequestData: { ...data, serialNumber: '1234' },
    });
    assert.deepEqual(statusesIn(good.ocspResult), { '1234': 'good' });
  });

  test('M06.FR.04 GetCertificateStatus: Failed when the responder cannot be reached', async () => {
    const gone = await startOcspResponder();
    await gone.close();
    const res = await cs.call('GetCertificateStatus', {
      ocspRequestData: {
        hashAlgorithm: 'SHA256',
        issuerNameHash: 'aa',
        issuerKeyHash: 'bb',
        serialNumber: '01',
        responderURL: gone.url,
      },
    });
    assert.equal(res.status, 'Failed');
    assert.equal(res.ocspResult, undefined);
  });

  test('M01.FR.01 Get15118EVCertificate without a contract-certificate PKI configured: Failed, saying why', async () => {
    const res = await cs.call('Get15118EVCertificate', {
      iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
      action: 'Install',
      exiRequest: 'gAEC',
    });
    assert.equal(res.status, 'Failed');
    assert.equal(res.exiResponse, '');
    assert.match(res.statusInfo.additionalInfo, /No contract-certificate provider/);
  });
});
