/**
 * Issue 14, CSMS_METER_EVENTS: the same 1.6 and 2.0.1 sessions under one setting per test file
 * (the functions read their configuration once per process). What each setting publishes is in
 * docs/events.md, "Meter values"; the samples are stored in every mode.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { eventsOf, startHarness, type Harness } from './harness.js';

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export interface Expected {
  /** Station-time minutes of the 1.6 MeterValues that produce a transaction.updated.v1. */
  readonly v16Updates: readonly number[];
  /** seqNos of the 2.0.1 Updated events published as transaction.updated.v1. */
  readonly v201Updates: readonly number[];
  /** meter.values.v1 of the main meter (1.6 connectorId 0, outside transactions). */
  readonly mainMeterEvents: number;
}

export function meterEventsScenario(mode: 'periodic' | 'none', expected: Expected): void {
  describe(`CSMS_METER_EVENTS=${mode}`, () => {
    let h: Harness;
    let store: Store;

    before(async () => {
      h = await startHarness({ meterEvents: mode });
      store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    });

    after(async () => {
      await h.close();
    });

    test(`1.6 §4.7 MeterValues in a transaction: ${mode === 'periodic' ? 'one transaction.updated.v1 per 15 minutes of samples' : 'no event'}, no meter.values.v1; every sample stored`, async () => {
      const id = `CP-MV16-${mode}`;
      await h.provision(id, { freeCharging: true });
      const cp = await h.station(id, 'ocpp1.6');
      await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      const { transactionId } = await cp.call('StartTransaction', {
        connectorId: 1,
        idTag: 'ANY',
        meterStart: 0,
        timestamp: at(0),
      });
      const minutes = [1, 5, 14, 16, 20, 31, 32];
      for (const m of minutes) {
        const reply = await cp.call('MeterValues', {
          connectorId: 1,
          transactionId,
          meterValue: [{ timestamp: at(m), sampledValue: [{ value: String(m * 100) }] }],
        });
        assert.deepEqual(reply, {});
      }
      // Outside a transaction: the main meter, twice within 15 minutes.
      for (const m of [2, 3]) {
        await cp.call('MeterValues', {
          connectorId: 0,
          meterValue: [{ timestamp: at(m), sampledValue: [{ value: String(m) }] }],
        });
      }
      const updates = eventsOf(h.host, 'transaction.updated.v1', id);
      assert.deepEqual(
        updates.map((e) => e.detail.samples[0].timestamp),
        expected.v16Updates.map(at),
      );
      for (const e of updates) {
        assert.equal(e.detail.transactionId, String(transactionId));
        assert.equal(e.detail.evseId, 1);
      }
      const meter = eventsOf(h.host, 'meter.values.v1', id);
      assert.equal(meter.filter((e) => e.detail.transactionId !== undefined).length, 0);
      assert.equal(meter.length, expected.mainMeterEvents);
      const stored = await store.transactions.listSamples(id, String(transactionId));
      assert.deepEqual(
        stored.map((s) => s.timestamp),
        minutes.map(at),
        'every sample is stored, whatever is published',
      );
      const stop = await cp.call('StopTransaction', {
        transactionId,
        meterStop: 3200,
        timestamp: at(40),
        transactionData: [
          { timestamp: at(40), sampledValue: [{ value: '3200', context: 'Transaction.End' }] },
        ],
      });
      assert.equal(stop.idTagInfo?.status ?? 'Accepted', 'Accepted');
      assert.equal(eventsOf(h.host, 'meter.values.v1', id).length, expected.mainMeterEvents);
      const [ended] = eventsOf(h.host, 'transaction.ended.v1', id);
      assert.equal(ended?.detail.energyWh, 3200, 'the ended event carries the energy in every mode');
      await cp.close();
    });

    test(`2.0.1 E02 TransactionEvent Updated: meter-value triggers ${mode === 'periodic' ? 'at most every 15 minutes' : 'not published'}, other triggers always; no meter.values.v1`, async () => {
      const id = `CP-MV201-${mode}`;
      await h.provision(id, { freeCharging: true });
      const cs = await h.station(id, 'ocpp2.0.1');
      await cs.call('BootNotification', {
        reason: 'PowerUp',
        chargingStation: { vendorName: 'V', model: 'M' },
      });
      const energy = (wh: number, minutes: number) => ({
        timestamp: at(minutes),
        sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' }],
      });
      const transactionInfo = { transactionId: `TX-${mode}` };
      await cs.call('TransactionEvent', {
        eventType: 'Started',
        timestamp: at(0),
        triggerReason: 'CablePluggedIn',
        seqNo: 0,
        transactionInfo: { ...transactionInfo, chargingState: 'EVConnected' },
        evse: { id: 1, connectorId: 1 },
        meterValue: [energy(0, 0)],
      });
      const updated: [number, string, number][] = [
        [1, 'MeterValuePeriodic', 1],
        [2, 'MeterValuePeriodic', 5],
        [3, 'ChargingStateChanged', 6],
        [4, 'MeterValuePeriodic', 10],
        [5, 'MeterValuePeriodic', 22],
        [6, 'MeterValueClock', 30],
      ];
      for (const [seqNo, triggerReason, m] of updated) {
        const reply = await cs.call('TransactionEvent', {
          eventType: 'Updated',
          timestamp: at(m),
          triggerReason,
          seqNo,
          transactionInfo:
            triggerReason === 'ChargingStateChanged'
              ? { ...transactionInfo, chargingState: 'Charging' }
              : transactionInfo,
          meterValue: [energy(m * 100, m)],
        });
        assert.deepEqual(reply, {});
      }
      const published = eventsOf(h.host, 'transaction.updated.v1', id).map(
        (e) => updated.find(([, , m]) => at(m) === e.detail.occurredAt)![0],
      );
      assert.deepEqual(published, expected.v201Updates);
      assert.equal(eventsOf(h.host, 'meter.values.v1', id).length, 0);
      assert.equal(
        (await store.transactions.listSamples(id, transactionInfo.transactionId)).length,
        updated.length + 1,
        'every sample is stored',
      );
      await cs.close();
    });
  });
}
