/**
 * OCPP 2.0.1 TransactionEvent beyond the happy path: retries of the same seqNo (E13), offline
 * queues replayed late and out of order (E04, E08, E12: offline = true), the EVSE and the token
 * learnt after the start (E01.FR.16/17, E02.FR.20), start button (C02), rejected tokens (E05), and
 * what a meter-value-only Updated writes. Each test uses a station of its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TransactionDetail, TransactionView } from '../../functions/api/transactions.js';
import type { EventDetail, EventType } from '../../shared/events/catalog.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const T0 = Date.parse('2025-06-01T08:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };
const reading = (wh: number, timestamp: string, context?: string) => ({
  timestamp,
  sampledValue: [{ value: wh, ...(context ? { context } : {}) }],
});

describe('OCPP 2.0.1 transactions: retries, offline replay, late information', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ meterEvents: 'every' });
    const res = await h.api('POST', '/v1/id-tokens', { idToken: 'TX-OK' });
    assert.equal(res.status, 201);
    const blocked = await h.api('POST', '/v1/id-tokens', { idToken: 'TX-BLOCKED', status: 'Blocked' });
    assert.equal(blocked.status, 201);
  });

  after(async () => {
    await h.close();
  });

  const booted = async (id: string): Promise<RpcClient> => {
    await h.provision(id);
    const cs = await h.station(id, 'ocpp2.0.1');
    assert.equal((await cs.call('BootNotification', boot)).status, 'Accepted');
    return cs;
  };
  const events = <T extends EventType>(type: T, stationId: string): EventDetail<T>[] =>
    eventsOf(h.host, type, stationId).map((e) => e.detail as EventDetail<T>);
  const transactions = async (stationId: string): Promise<TransactionView[]> => {
    const res = await h.api('GET', `/v1/transactions?stationId=${stationId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.items;
  };
  const detail = async (stationId: string, txId: string): Promise<TransactionDetail> => {
    const res = await h.api('GET', `/v1/stations/${stationId}/transactions/${txId}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  const started = (txId: string, seqNo = 0, extra: Record<string, unknown> = {}) => ({
    eventType: 'Started',
    timestamp: at(0),
    triggerReason: 'Authorized',
    seqNo,
    transactionInfo: { transactionId: txId, chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 },
    idToken: { idToken: 'TX-OK', type: 'ISO14443' },
    meterValue: [reading(10_000, at(0), 'Transaction.Begin')],
    ...extra,
  });
  const updated = (txId: string, seqNo: number, wh: number, extra: Record<string, unknown> = {}) => ({
    eventType: 'Updated',
    timestamp: at(seqNo * 60),
    triggerReason: 'MeterValuePeriodic',
    seqNo,
    transactionInfo: { transactionId: txId },
    meterValue: [reading(wh, at(seqNo * 60), 'Sample.Periodic')],
    ...extra,
  });
  const ended = (txId: string, seqNo: number, wh: number, extra: Record<string, unknown> = {}) => ({
    eventType: 'Ended',
    timestamp: at(seqNo * 60),
    triggerReason: 'EVDeparted',
    seqNo,
    transactionInfo: { transactionId: txId, stoppedReason: 'EVDisconnected', chargingState: 'Idle' },
    meterValue: [reading(wh, at(seqNo * 60), 'Transaction.End')],
    ...extra,
  });

  test('E13.FR.02 retry of the same seqNo: the same answer, no second transaction, no second event', async () => {
    const S = 'CS201-RETRY';
    const cs = await booted(S);
    const first = await cs.call('TransactionEvent', started('R-1'));
    const again = await cs.call('TransactionEvent', started('R-1'));
    assert.deepEqual(again, first);
    assert.equal(first.idTokenInfo.status, 'Accepted');
    await cs.call('TransactionEvent', updated('R-1', 1, 11_000));
    await cs.call('TransactionEvent', updated('R-1', 1, 11_000));
    const end = await cs.call('TransactionEvent', ended('R-1', 2, 12_000));
    const endAgain = await cs.call('TransactionEvent', ended('R-1', 2, 12_000));
    assert.deepEqual([end, endAgain], [{}, {}]);

    assert.equal((await transactions(S)).length, 1);
    assert.equal(events('transaction.started.v1', S).length, 1);
    assert.equal(events('transaction.updated.v1', S).length, 1);
    assert.equal(events('transaction.ended.v1', S).length, 1);
    assert.equal(events('authorization.decided.v1', S).length, 1, 'a duplicate publishes no decision');
    const tx = await detail(S, 'R-1');
    assert.equal(tx.energyWh, 2000);
    assert.deepEqual(
      tx.samples.map((s) => s.value),
      [10_000, 11_000, 12_000],
      'each sample once',
    );
  });

  test('E04 / E12.FR.02 offline replay out of order (Ended, Updated, Started): ended, right energy, start time and state', async () => {
    const S = 'CS201-OFFLINE';
    const cs = await booted(S);
    const offline = { offline: true };
    assert.deepEqual(await cs.call('TransactionEvent', ended('O-1', 3, 13_500, offline)), {});
    let [tx] = await transactions(S);
    assert.equal(tx?.status, 'ended');
    assert.equal(tx?.stopReason, 'EVDisconnected');

    assert.deepEqual(
      await cs.call(
        'TransactionEvent',
        updated('O-1', 2, 12_000, {
          ...offline,
          transactionInfo: { transactionId: 'O-1', chargingState: 'SuspendedEV' },
        }),
      ),
      {},
    );
    assert.deepEqual(await cs.call('TransactionEvent', updated('O-1', 1, 11_000, offline)), {});
    const start = await cs.call('TransactionEvent', started('O-1', 0, offline));
    assert.equal(start.idTokenInfo.status, 'Accepted', 'E05.FR.01: verified even when late');

    [tx] = await transactions(S);
    assert.ok(tx);
    assert.equal(tx.status, 'ended', 'a late Started never reopens the transaction');
    assert.equal(tx.startedAt, at(0));
    assert.equal(tx.endedAt, at(180));
    assert.equal(tx.meterStartWh, 10_000);
    assert.equal(tx.meterStopWh, 13_500);
    assert.equal(tx.energyWh, 3500);
    assert.equal(tx.chargingState, 'Idle', 'the state of the newest seqNo, not of the last arrival');
    assert.equal(tx.evseId, 1);
    assert.equal(tx.idToken, 'TX-OK');
    assert.equal(events('transaction.ended.v1', S).length, 1);
    assert.equal(events('transaction.started.v1', S).length, 1);
  });

  test('E01.FR.16/17: EVSE and Transaction.Begin reading in an Updated after a Started without them', async () => {
    const S = 'CS201-LATE-EVSE';
    const cs = await booted(S);
    assert.deepEqual(
      await cs.call('TransactionEvent', {
        eventType: 'Started',
        timestamp: at(0),
        triggerReason: 'CablePluggedIn',
        seqNo: 0,
        transactionInfo: { transactionId: 'L-1', chargingState: 'EVConnected' },
      }),
      {},
    );
    let [tx] = await transactions(S);
    assert.equal(tx?.evseId, null);
    assert.equal(tx?.meterStartWh, null);
    await cs.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: at(30),
      triggerReason: 'ChargingStateChanged',
      seqNo: 1,
      transactionInfo: { transactionId: 'L-1', chargingState: 'Charging' },
      evse: { id: 2, connectorId: 1 },
      meterValue: [reading(500, at(30), 'Transaction.Begin')],
    });
    [tx] = await transactions(S);
    assert.deepEqual(
      [tx?.evseId, tx?.connectorId, tx?.meterStartWh, tx?.chargingState],
      [2, 1, 500, 'Charging'],
    );
    await cs.call('TransactionEvent', ended('L-1', 2, 1700));
    [tx] = await transactions(S);
    assert.equal(tx?.energyWh, 1200);
    const meter = events('meter.values.v1', S);
    assert.deepEqual(
      meter.map((e) => e.evseId),
      [2, 2],
      'samples of the transaction belong to its EVSE once known',
    );
  });

  test('E02.FR.20 token authorized after the start: idTokenInfo in the response, token kept on the transaction', async () => {
    const S = 'CS201-LATE-TOKEN';
    const cs = await booted(S);
    await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: at(0),
      triggerReason: 'CablePluggedIn',
      seqNo: 0,
      transactionInfo: { transactionId: 'T-1' },
      evse: { id: 1, connectorId: 1 },
    });
    const authorized = await cs.call('TransactionEvent', {
      eventType: 'Updated',
      timestamp: at(10),
      triggerReason: 'Authorized',
      seqNo: 1,
      transactionInfo: { transactionId: 'T-1' },
      idToken: { idToken: 'TX-OK', type: 'ISO14443' },
    });
    assert.deepEqual(authorized, { idTokenInfo: { status: 'Accepted' } });
    const [tx] = await transactions(S);
    assert.deepEqual([tx?.idToken, tx?.idTokenType], ['TX-OK', 'ISO14443']);
  });

  test('TC_E_16_CSMS E05.FR.01: a blocked token in a TransactionEvent is answered Blocked', async () => {
    const S = 'CS201-BLOCKED';
    const cs = await booted(S);
    const res = await cs.call(
      'TransactionEvent',
      started('B-1', 0, { idToken: { idToken: 'TX-BLOCKED', type: 'ISO14443' } }),
    );
    assert.deepEqual(res, { idTokenInfo: { status: 'Blocked' } });
    const [decision] = events('authorization.decided.v1', S);
    assert.deepEqual([decision?.status, decision?.context], ['Blocked', 'TransactionEvent']);
  });

  test('C02.FR.02 start button (NoAuthorization, empty idToken): Accepted, no token decision published', async () => {
    const S = 'CS201-BUTTON';
    const cs = await booted(S);
    const res = await cs.call(
      'TransactionEvent',
      started('N-1', 0, { idToken: { idToken: '', type: 'NoAuthorization' } }),
    );
    assert.deepEqual(res, { idTokenInfo: { status: 'Accepted' } });
    assert.equal(events('authorization.decided.v1', S).length, 0);
    const [tx] = await transactions(S);
    assert.deepEqual([tx?.idToken, tx?.idTokenType], [null, 'NoAuthorization']);
  });

  test('free charging station: an unknown token is Accepted in Authorize and TransactionEvent; known ones keep their status', async () => {
    const S = 'CS201-FREE';
    await h.provision(S, { freeCharging: true });
    const cs = await h.station(S, 'ocpp2.0.1');
    assert.equal((await cs.call('BootNotification', boot)).status, 'Accepted');
    const unknown = { idToken: 'NEVER-SEEN', type: 'ISO14443' };
    assert.deepEqual(await cs.call('Authorize', { idToken: unknown }), {
      idTokenInfo: { status: 'Accepted' },
    });
    const res = await cs.call('TransactionEvent', started('F-1', 0, { idToken: unknown }));
    assert.deepEqual(res, { idTokenInfo: { status: 'Accepted' } });
    const blocked = await cs.call('Authorize', { idToken: { idToken: 'TX-BLOCKED', type: 'ISO14443' } });
    assert.equal(blocked.idTokenInfo.status, 'Blocked');
    assert.deepEqual(
      events('authorization.decided.v1', S).map((e) => [e.idToken, e.reason, e.context]),
      [
        ['NEVER-SEEN', 'free-charging', 'Authorize'],
        ['NEVER-SEEN', 'free-charging', 'TransactionEvent'],
        ['TX-BLOCKED', 'known', 'Authorize'],
      ],
    );
  });

  test('a meter-value-only Updated writes only its event: the summary is not rewritten', async () => {
    const S = 'CS201-METER-ONLY';
    const cs = await booted(S);
    await cs.call('TransactionEvent', started('M-1'));
    const [before] = await transactions(S);
    for (let seqNo = 1; seqNo <= 3; seqNo++)
      await cs.call('TransactionEvent', updated('M-1', seqNo, 10_000 + seqNo * 100));
    const [afterUpdates] = await transactions(S);
    assert.equal(afterUpdates?.updatedAt, before?.updatedAt, 'summary untouched');
    assert.equal((await detail(S, 'M-1')).samples.length, 4, 'the samples are stored with their events');
    assert.equal(events('transaction.updated.v1', S).length, 3);
  });

  test('an Updated that arrives before its Started creates the transaction; the Started fills the start', async () => {
    const S = 'CS201-UPDATED-FIRST';
    const cs = await booted(S);
    await cs.call('TransactionEvent', updated('U-1', 1, 10_400, { offline: true }));
    let [tx] = await transactions(S);
    assert.deepEqual([tx?.id, tx?.status, tx?.startedAt], ['U-1', 'active', null]);
    await cs.call('TransactionEvent', started('U-1', 0, { offline: true }));
    [tx] = await transactions(S);
    assert.deepEqual([tx?.status, tx?.startedAt, tx?.meterStartWh], ['active', at(0), 10_000]);
  });

  const anomalies = (stationId: string) =>
    events('transaction.anomaly.v1', stationId).map((e) => [e.transactionId, e.anomaly, e.seqNo ?? null]);

  test('defect 3 (E06 / E01.FR.07): an Updated or Started numbered after the Ended leaves the totals final, flagged eventAfterEnded', async () => {
    const S = 'CS201-AFTER-END';
    const cs = await booted(S);
    await cs.call(
      'TransactionEvent',
      started('A-1', 0, { meterValue: [reading(0, at(0), 'Transaction.Begin')] }),
    );
    await cs.call('TransactionEvent', ended('A-1', 1, 100));
    assert.deepEqual(await cs.call('TransactionEvent', updated('A-1', 2, 500)), {});
    const lateStart = await cs.call(
      'TransactionEvent',
      started('A-1', 3, { timestamp: at(900), meterValue: [reading(500, at(900), 'Transaction.Begin')] }),
    );
    assert.equal(
      lateStart.idTokenInfo.status,
      'Accepted',
      'still answered with the token status (E01.FR.12)',
    );
    // A second Ended, even one with the same seqNo as the first, does not end it again.
    await cs.call('TransactionEvent', ended('A-1', 1, 900, { timestamp: at(950) }));

    const tx = await detail(S, 'A-1');
    assert.deepEqual(
      [tx.status, tx.meterStartWh, tx.meterStopWh, tx.energyWh, tx.startedAt, tx.endedAt],
      ['ended', 0, 100, 100, at(0), at(60)],
    );
    assert.deepEqual(anomalies(S), [
      ['A-1', 'eventAfterEnded', 2],
      ['A-1', 'eventAfterEnded', 3],
      ['A-1', 'conflictingDuplicate', 1],
      ['A-1', 'eventAfterEnded', 1],
    ]);
    assert.equal(events('transaction.ended.v1', S).length, 1);
    assert.equal(events('transaction.started.v1', S).length, 1, 'the late Started is no new start');
    assert.equal(events('transaction.updated.v1', S).length, 0);
    // Recorded: a retry of the late event is a duplicate, not a second anomaly.
    await cs.call('TransactionEvent', updated('A-1', 2, 500));
    assert.equal(anomalies(S).length, 4);
  });

  test('defect 18 (E01.FR.09 / E06.FR.11): readings sharing one millisecond: start = Transaction.Begin, stop = Transaction.End', async () => {
    const S = 'CS201-TIES';
    const cs = await booted(S);
    const t = at(0);
    await cs.call(
      'TransactionEvent',
      started('Q-1', 0, { meterValue: [reading(1000, t, 'Transaction.Begin')] }),
    );
    await cs.call(
      'TransactionEvent',
      updated('Q-1', 1, 2500, { timestamp: t, meterValue: [reading(2500, t)] }),
    );
    await cs.call(
      'TransactionEvent',
      updated('Q-1', 2, 4000, { timestamp: t, meterValue: [reading(4000, t)] }),
    );
    await cs.call(
      'TransactionEvent',
      ended('Q-1', 3, 0, { timestamp: t, meterValue: [reading(5500, t, 'Transaction.End')] }),
    );
    const tx = await detail(S, 'Q-1');
    assert.deepEqual([tx.meterStartWh, tx.meterStopWh, tx.energyWh], [1000, 5500, 4500]);
    const [endedEvent] = events('transaction.ended.v1', S);
    assert.deepEqual([endedEvent?.meterStopWh, endedEvent?.energyWh], [5500, 4500]);
  });

  test('defect 19 (E01.FR.07 / E06): Started and Ended both with seqNo 0: the Ended ends the transaction, flagged conflictingDuplicate', async () => {
    const S = 'CS201-SAME-SEQ';
    const cs = await booted(S);
    await cs.call('TransactionEvent', started('D-1', 0));
    assert.deepEqual(await cs.call('TransactionEvent', ended('D-1', 0, 12_000, { timestamp: at(600) })), {});
    const tx = await detail(S, 'D-1');
    assert.deepEqual(
      [tx.status, tx.endedAt, tx.stopReason, tx.meterStartWh, tx.meterStopWh, tx.energyWh],
      ['ended', at(600), 'EVDisconnected', 10_000, 12_000, 2000],
    );
    assert.deepEqual(anomalies(S), [['D-1', 'conflictingDuplicate', 0]]);
    assert.equal(events('transaction.ended.v1', S).length, 1);
    // E13.FR.02: a retry of either is still a duplicate (same content): nothing new.
    await cs.call('TransactionEvent', ended('D-1', 0, 12_000, { timestamp: at(600) }));
    await cs.call('TransactionEvent', started('D-1', 0));
    assert.equal(events('transaction.ended.v1', S).length, 1);
    assert.equal(events('transaction.started.v1', S).length, 1);
    assert.equal(anomalies(S).length, 1);
  });

  test('defect 9: a Transaction.End below the Transaction.Begin reports 0 Wh, keeps both readings, flags meterStopBelowStart', async () => {
    const S = 'CS201-BACKWARDS';
    const cs = await booted(S);
    await cs.call('TransactionEvent', started('N-9'));
    await cs.call('TransactionEvent', ended('N-9', 1, 9000));
    const tx = await detail(S, 'N-9');
    assert.deepEqual([tx.meterStartWh, tx.meterStopWh, tx.energyWh], [10_000, 9000, 0]);
    const [endedEvent] = events('transaction.ended.v1', S);
    assert.deepEqual([endedEvent?.energyWh, endedEvent?.anomalies], [0, ['meterStopBelowStart']]);
    assert.deepEqual(anomalies(S), [['N-9', 'meterStopBelowStart', null]]);
  });

  test('defect 17 (E01 one transaction per EVSE): a Started on an EVSE with an active transaction closes the older one as abandoned; its late Ended brings the real stop', async () => {
    const S = 'CS201-ABANDON';
    const cs = await booted(S);
    await cs.call('TransactionEvent', started('OLD'));
    await cs.call('TransactionEvent', updated('OLD', 1, 10_500));
    await cs.call(
      'TransactionEvent',
      started('NEW', 0, { timestamp: at(600), meterValue: [reading(11_000, at(600), 'Transaction.Begin')] }),
    );
    let old = await detail(S, 'OLD');
    assert.deepEqual(
      [old.status, old.stopReason, old.endedAt, old.meterStopWh, old.energyWh],
      ['ended', 'Abandoned', at(60), 10_500, 500],
      'closed with the last known reading',
    );
    assert.equal((await detail(S, 'NEW')).status, 'active');
    let ended_ = events('transaction.ended.v1', S);
    assert.deepEqual(
      ended_.map((e) => [e.transactionId, e.stopReason, e.energyWh, e.anomalies]),
      [['OLD', 'Abandoned', 500, ['abandoned']]],
    );
    assert.deepEqual(anomalies(S), [['OLD', 'abandoned', null]]);

    // The station's queue delivers the real Ended later (E04): it replaces the CSMS's guess.
    await cs.call('TransactionEvent', ended('OLD', 2, 10_800, { offline: true }));
    old = await detail(S, 'OLD');
    assert.deepEqual(
      [old.status, old.stopReason, old.endedAt, old.meterStopWh, old.energyWh],
      ['ended', 'EVDisconnected', at(120), 10_800, 800],
    );
    ended_ = events('transaction.ended.v1', S);
    assert.deepEqual(
      ended_.map((e) => [e.transactionId, e.stopReason, e.energyWh, e.anomalies ?? null]),
      [
        ['OLD', 'Abandoned', 500, ['abandoned']],
        ['OLD', 'EVDisconnected', 800, null],
      ],
    );
    assert.equal((await detail(S, 'NEW')).status, 'active', 'the newer transaction is untouched');
  });

  test('defect 17 (B01 / G01): after a reboot, Available on the connector closes its transaction as abandoned; without a reboot it does not', async () => {
    const S = 'CS201-REBOOT';
    const cs = await booted(S);
    await cs.call('TransactionEvent', started('R-9'));
    const available = (timestamp: string) => ({
      timestamp,
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    });
    // Another connector of the EVSE, and the same connector without a reboot: no conclusion.
    await cs.call('StatusNotification', { ...available(at(5)), connectorId: 2 });
    await cs.call('StatusNotification', available(at(10)));
    assert.equal((await detail(S, 'R-9')).status, 'active');

    assert.equal((await cs.call('BootNotification', { ...boot, reason: 'PowerUp' })).status, 'Accepted');
    await cs.call('StatusNotification', available(at(20)));
    const tx = await detail(S, 'R-9');
    assert.deepEqual(
      [tx.status, tx.stopReason, tx.meterStopWh, tx.energyWh],
      ['ended', 'Abandoned', 10_000, 0],
    );
    assert.deepEqual(
      events('transaction.ended.v1', S).map((e) => [e.transactionId, e.anomalies]),
      [['R-9', ['abandoned']]],
    );
  });

  test('defect 17 (E04 offline replay): an older transaction replayed late on the same EVSE does not abandon the newer one', async () => {
    const S = 'CS201-LATE-OLD';
    const cs = await booted(S);
    await cs.call(
      'TransactionEvent',
      started('LIVE', 0, { timestamp: at(600), meterValue: [reading(20_000, at(600), 'Transaction.Begin')] }),
    );
    // The station's queue delivers a transaction that ran before, on the same EVSE.
    await cs.call('TransactionEvent', started('QUEUED', 0, { offline: true }));
    await cs.call('TransactionEvent', ended('QUEUED', 1, 11_000, { offline: true }));
    assert.equal((await detail(S, 'LIVE')).status, 'active');
    const queued = await detail(S, 'QUEUED');
    assert.deepEqual([queued.status, queued.stopReason, queued.energyWh], ['ended', 'EVDisconnected', 1000]);
    assert.deepEqual(anomalies(S), []);
  });
});
