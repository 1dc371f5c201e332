/**
 * OCPP 1.6 transactions beyond the happy path: free charging, ids the CSMS never assigned,
 * transactionId -1, retries that overlap or follow a failed attempt, and a StopTransaction
 * handled before its StartTransaction was recorded. Failed attempts are reproduced by writing
 * what such an attempt leaves behind into the local host's DynamoDB (dynalite) directly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import type { z } from 'zod';
import type { TransactionDetail, TransactionView } from '../../functions/api/transactions.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const boot = { chargePointVendor: 'VendorX', chargePointModel: 'ModelY' };
const T0 = Date.parse('2025-04-01T08:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

describe('OCPP 1.6 transactions: edge cases', () => {
  let h: Harness;
  let store: Store;

  before(async () => {
    h = await startHarness();
    // The host's own table, through the functions' client (the host set its endpoint).
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    const blocked = await h.api('POST', '/v1/id-tokens', { idToken: 'TX-BLOCKED', status: 'Blocked' });
    assert.equal(blocked.status, 201);
    const ok = await h.api('POST', '/v1/id-tokens', { idToken: 'TX-OK' });
    assert.equal(ok.status, 201);
  });

  after(async () => {
    await h.close();
  });

  /** A provisioned, booted 1.6 station. */
  const booted = async (id: string, options: { freeCharging?: boolean } = {}): Promise<RpcClient> => {
    await h.provision(id, options);
    const cp = await h.station(id, 'ocpp1.6');
    assert.equal((await cp.call('BootNotification', boot)).status, 'Accepted');
    return cp;
  };

  const transaction = async (
    stationId: string,
    txId: string | number,
  ): Promise<z.output<typeof TransactionDetail>> => {
    const res = await h.api(
      'GET',
      `/v1/stations/${stationId}/transactions/${encodeURIComponent(String(txId))}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  test('free charging station: unknown idTags are Accepted (Authorize, StartTransaction); known ones keep their status', async () => {
    const S = 'CP16-FREE';
    const cp = await booted(S, { freeCharging: true });
    assert.deepEqual(await cp.call('Authorize', { idTag: 'NEVER-SEEN' }), {
      idTagInfo: { status: 'Accepted' },
    });
    const started = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'NEVER-SEEN',
      meterStart: 0,
      timestamp: at(0),
    });
    assert.equal(started.idTagInfo.status, 'Accepted');
    assert.equal((await cp.call('Authorize', { idTag: 'TX-BLOCKED' })).idTagInfo.status, 'Blocked');
    const reasons = eventsOf(h.host, 'authorization.decided.v1', S).map((e) => [
      e.detail.idToken,
      e.detail.reason,
    ]);
    assert.deepEqual(reasons, [
      ['NEVER-SEEN', 'free-charging'],
      ['NEVER-SEEN', 'free-charging'],
      ['TX-BLOCKED', 'known'],
    ]);
  });

  test('errata 3.17: StartTransaction with an invalid idTag still gets a transaction id; the station ends it', async () => {
    const S = 'CP16-INVALID';
    const cp = await booted(S);
    const res = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'NOBODY',
      meterStart: 10,
      timestamp: at(0),
    });
    assert.equal(res.idTagInfo.status, 'Invalid');
    assert.ok(Number.isInteger(res.transactionId));
    const stop = await cp.call('StopTransaction', {
      transactionId: res.transactionId,
      meterStop: 10,
      timestamp: at(5),
      reason: 'DeAuthorized',
    });
    assert.deepEqual(stop, {}, 'no idTag in the request, no idTagInfo in the answer');
    const tx = await transaction(S, res.transactionId);
    assert.equal(tx.status, 'ended');
    assert.equal(tx.stopReason, 'DeAuthorized');
    assert.equal(tx.energyWh, 0);
  });

  test('defect 8 (1.6 §4.10 / §6.46): StopTransaction for a transaction id the CSMS never assigned is answered, flagged, not recorded', async () => {
    const S = 'CP16-FOREIGN';
    const cp = await booted(S);
    const res = await cp.call('StopTransaction', {
      transactionId: 1,
      idTag: 'TX-OK',
      meterStop: 777,
      timestamp: at(60),
      reason: 'Reboot',
    });
    assert.deepEqual(res, { idTagInfo: { status: 'Accepted' } }, 'answered: the station empties its queue');
    const missing = await h.api('GET', `/v1/stations/${S}/transactions/1`);
    assert.equal(missing.status, 404);
    assert.deepEqual((await h.api('GET', `/v1/transactions?stationId=${S}`)).body.items, []);
    assert.equal(eventsOf(h.host, 'transaction.ended.v1', S).length, 0);
    const flagged = eventsOf(h.host, 'transaction.anomaly.v1', S).map((e) => [
      e.detail.transactionId,
      e.detail.anomaly,
      e.detail.eventType,
    ]);
    assert.deepEqual(flagged, [['1', 'unknownTransaction', 'StopTransaction']]);

    // The id is free: the station's next transaction gets it and runs normally.
    const started = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 0,
      timestamp: at(120),
    });
    assert.equal((await transaction(S, started.transactionId)).status, 'active');
  });

  test('defect 9 (1.6 §6.45 / §6.49): meterStop below meterStart reports 0 Wh, not -1000; the raw readings stay; flagged', async () => {
    const S = 'CP16-BACKWARDS';
    const cp = await booted(S);
    const { transactionId } = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 5000,
      timestamp: at(0),
    });
    await cp.call('StopTransaction', { transactionId, meterStop: 4000, timestamp: at(600) });
    const tx = await transaction(S, transactionId);
    assert.deepEqual([tx.status, tx.meterStartWh, tx.meterStopWh, tx.energyWh], ['ended', 5000, 4000, 0]);
    assert.deepEqual(tx.anomalies, ['meterStopBelowStart']);
    const [ended] = eventsOf(h.host, 'transaction.ended.v1', S);
    assert.deepEqual([ended?.detail.energyWh, ended?.detail.anomalies], [0, ['meterStopBelowStart']]);
    assert.deepEqual(
      eventsOf(h.host, 'transaction.anomaly.v1', S).map((e) => e.detail.anomaly),
      ['meterStopBelowStart'],
    );
  });

  test('defect 9: an active transaction whose latest reading is below meterStart reads 0 Wh in the API, never negative', async () => {
    const S = 'CP16-BACKWARDS-LIVE';
    const cp = await booted(S);
    const { transactionId } = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 5000,
      timestamp: at(0),
    });
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [{ timestamp: at(60), sampledValue: [{ value: '4200', context: 'Sample.Periodic' }] }],
    });
    const tx = await transaction(S, transactionId);
    assert.deepEqual([tx.status, tx.meterStartWh, tx.energyWh], ['active', 5000, 0]);
    const list = await h.api('GET', `/v1/transactions?stationId=${S}`);
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.items.map((t: TransactionView) => [t.id, t.energyWh, t.anomalies]),
      [[String(transactionId), 0, []]],
    );
  });

  test('defect 9: a stop stamped before its start is recorded and flagged stopBeforeStart', async () => {
    const S = 'CP16-TIME-TRAVEL';
    const cp = await booted(S);
    const { transactionId } = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 1000,
      timestamp: at(600),
    });
    await cp.call('StopTransaction', { transactionId, meterStop: 1400, timestamp: at(0) });
    const tx = await transaction(S, transactionId);
    assert.deepEqual([tx.status, tx.energyWh], ['ended', 400]);
    const [ended] = eventsOf(h.host, 'transaction.ended.v1', S);
    assert.deepEqual(ended?.detail.anomalies, ['stopBeforeStart']);
  });

  test('defect 17 (1.6 §3.6): a StartTransaction on a connector with an active transaction closes the older one as abandoned; its queued StopTransaction brings the real stop', async () => {
    const S = 'CP16-ABANDON';
    const cp = await booted(S);
    const first = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 1000,
      timestamp: at(0),
    });
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: first.transactionId,
      meterValue: [{ timestamp: at(60), sampledValue: [{ value: '1500', context: 'Sample.Periodic' }] }],
    });
    const second = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 2000,
      timestamp: at(900),
    });
    let old = await transaction(S, first.transactionId);
    assert.deepEqual(
      [old.status, old.stopReason, old.endedAt, old.meterStopWh, old.energyWh],
      ['ended', 'Abandoned', at(60), 1500, 500],
      'closed with the last known reading',
    );
    assert.equal((await transaction(S, second.transactionId)).status, 'active');
    assert.deepEqual(
      eventsOf(h.host, 'transaction.ended.v1', S).map((e) => [
        e.detail.transactionId,
        e.detail.stopReason,
        e.detail.anomalies,
      ]),
      [[String(first.transactionId), 'Abandoned', ['abandoned']]],
    );

    // 1.6 §3.7.1: the station's queue still delivers the StopTransaction: the real data wins.
    assert.deepEqual(
      await cp.call('StopTransaction', {
        transactionId: first.transactionId,
        meterStop: 1800,
        timestamp: at(300),
        reason: 'EVDisconnected',
      }),
      {},
    );
    old = await transaction(S, first.transactionId);
    assert.deepEqual(
      [old.status, old.stopReason, old.endedAt, old.meterStopWh, old.energyWh],
      ['ended', 'EVDisconnected', at(300), 1800, 800],
    );
    const ended = eventsOf(h.host, 'transaction.ended.v1', S).map((e) => [
      e.detail.stopReason,
      e.detail.energyWh,
      e.detail.anomalies ?? null,
    ]);
    assert.deepEqual(ended, [
      ['Abandoned', 500, ['abandoned']],
      ['EVDisconnected', 800, null],
    ]);
    // A retry of that stop changes nothing more.
    await cp.call('StopTransaction', {
      transactionId: first.transactionId,
      meterStop: 1800,
      timestamp: at(300),
      reason: 'EVDisconnected',
    });
    assert.equal((await transaction(S, first.transactionId)).energyWh, 800);
    assert.equal((await transaction(S, second.transactionId)).status, 'active');
  });

  test('defect 17 (1.6 §4.9): after a reboot, Available on the connector closes its transaction as abandoned', async () => {
    const S = 'CP16-REBOOT';
    const cp = await booted(S);
    const { transactionId } = await cp.call('StartTransaction', {
      connectorId: 2,
      idTag: 'TX-OK',
      meterStart: 300,
      timestamp: at(0),
    });
    const available = (timestamp: string) => ({
      connectorId: 2,
      status: 'Available',
      errorCode: 'NoError',
      timestamp,
    });
    // Without a reboot, Available says nothing about the transaction (its StopTransaction may follow).
    await cp.call('StatusNotification', available(at(10)));
    assert.equal((await transaction(S, transactionId)).status, 'active');

    assert.equal((await cp.call('BootNotification', boot)).status, 'Accepted');
    await cp.call('StatusNotification', available(at(20)));
    const tx = await transaction(S, transactionId);
    assert.deepEqual(
      [tx.status, tx.stopReason, tx.meterStopWh, tx.energyWh],
      ['ended', 'Abandoned', null, null],
    );
    assert.deepEqual(
      eventsOf(h.host, 'transaction.anomaly.v1', S).map((e) => [e.detail.transactionId, e.detail.anomaly]),
      [[String(transactionId), 'abandoned']],
    );
  });

  test('errata 3.18: transactionId -1 is answered as valid, each such transaction kept apart', async () => {
    const S = 'CP16-MINUS1';
    const cp = await booted(S);
    assert.deepEqual(
      await cp.call('MeterValues', {
        connectorId: 1,
        transactionId: -1,
        meterValue: [{ timestamp: at(30), sampledValue: [{ value: '150' }] }],
      }),
      {},
    );
    for (const [seconds, meterStop] of [
      [60, 200],
      [600, 900],
    ] as const) {
      const res = await cp.call('StopTransaction', { transactionId: -1, meterStop, timestamp: at(seconds) });
      assert.deepEqual(res, {});
    }
    const list: TransactionView[] = (await h.api('GET', `/v1/transactions?stationId=${S}`)).body.items;
    assert.deepEqual(list.map((t) => [t.status, t.meterStopWh]).sort(), [
      ['ended', 200],
      ['ended', 900],
    ]);
    const ended = eventsOf(h.host, 'transaction.ended.v1', S);
    assert.equal(ended.length, 2);
    assert.notEqual(ended[0].detail.transactionId, ended[1].detail.transactionId);
    // Meter values of an unknown transaction are kept as the station's own.
    const meter = await store.meterValues.list(S, new Date());
    assert.deepEqual(
      meter.map((m) => [m.evseId, m.samples[0]?.value]),
      [[1, 150]],
    );
  });

  test('1.6 §3.7.1: a retry after an attempt that failed once it had recorded the id completes the transaction', async () => {
    const S = 'CP16-HALF';
    const cp = await booted(S);
    // What the failed attempt left: an id taken and the replay item, no summary, no event.
    const txId = await store.stations.nextTransactionId(S);
    assert.equal(await store.transactions.putStartReplay(S, 1, at(0), txId, new Date()), true);

    const res = await cp.call('StartTransaction', {
      connectorId: 1,
      idTag: 'TX-OK',
      meterStart: 50,
      timestamp: at(0),
    });
    assert.equal(res.transactionId, txId);
    assert.equal(res.idTagInfo.status, 'Accepted');
    const tx = await transaction(S, txId);
    assert.equal(tx.status, 'active');
    assert.equal(tx.meterStartWh, 50);
    const started = eventsOf(h.host, 'transaction.started.v1', S);
    assert.deepEqual(
      started.map((e) => e.detail.transactionId),
      [String(txId)],
      'the failed attempt published nothing: the retry does',
    );
  });

  test('1.6 §3.7.1: a StopTransaction handled before its StartTransaction was recorded stays ended; the start fills in', async () => {
    const S = 'CP16-ORDER';
    const cp = await booted(S);
    // A first StartTransaction attempt that recorded its id and is still running (or died).
    const txId = await store.stations.nextTransactionId(S);
    assert.equal(await store.transactions.putStartReplay(S, 2, at(0), txId, new Date()), true);

    await cp.call('StopTransaction', {
      transactionId: txId,
      meterStop: 5000,
      timestamp: at(900),
      reason: 'EVDisconnected',
    });
    const res = await cp.call('StartTransaction', {
      connectorId: 2,
      idTag: 'TX-OK',
      meterStart: 4000,
      timestamp: at(0),
    });
    assert.equal(res.transactionId, txId);

    const tx = await transaction(S, txId);
    assert.equal(tx.status, 'ended', 'the start does not reopen it');
    assert.equal(tx.startedAt, at(0));
    assert.equal(tx.endedAt, at(900));
    assert.equal(tx.evseId, 2);
    assert.equal(tx.idToken, 'TX-OK');
    assert.equal(tx.meterStartWh, 4000);
    assert.equal(tx.energyWh, 1000);
    assert.equal(tx.stopReason, 'EVDisconnected');
    assert.equal(
      (await store.transactions.get(S, String(txId)))?.energyWh,
      1000,
      'energy stored, not only derived',
    );
  });

  test(
    '1.6 §3.7.1: two attempts of the same StartTransaction at once get one transaction id',
    { timeout: 30_000 },
    async () => {
      const S = 'CP16-RACE';
      const password = await h.provision(S);
      const raw = await h.raw(S, 'ocpp1.6', password);
      const accepted = (await raw.send(JSON.stringify([2, 'b', 'BootNotification', boot]))) as unknown[];
      assert.equal((accepted[2] as { status: string }).status, 'Accepted');

      const start = { connectorId: 1, idTag: 'TX-OK', meterStart: 0, timestamp: at(0) };
      const replies = new Map<string, unknown[]>();
      const both = new Promise<void>((resolve) => {
        raw.ws.on('message', (data: Buffer) => {
          const frame = JSON.parse(data.toString()) as unknown[];
          replies.set(String(frame[1]), frame);
          if (replies.size === 2) resolve();
        });
      });
      raw.ws.send(JSON.stringify([2, 'a1', 'StartTransaction', start]));
      raw.ws.send(JSON.stringify([2, 'a2', 'StartTransaction', start]));
      await both;

      const [first, second] = [replies.get('a1'), replies.get('a2')];
      assert.equal(first?.[0], 3, JSON.stringify(first));
      assert.equal(second?.[0], 3, JSON.stringify(second));
      const idOf = (frame: unknown[] | undefined): unknown =>
        (frame?.[2] as { transactionId?: unknown }).transactionId;
      assert.ok(Number.isInteger(idOf(first)));
      assert.equal(idOf(first), idOf(second));
      const list = (await h.api('GET', `/v1/transactions?stationId=${S}`)).body.items;
      assert.equal(list.length, 1);
      assert.equal(eventsOf(h.host, 'transaction.started.v1', S).length, 1);
    },
  );
});
