/**
 * OCPP 2.1 smart charging with a strict ocpp-rpc 2.1 station: the 2.0.1 messages reused (external
 * limits with the 2.1 flags, EV charging needs), and the 2.1 additions handled to store-and-publish:
 * NotifyPriorityCharging (K21, K22) and PullDynamicScheduleUpdate (K28) for dynamic profiles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { STATION_INITIATED } from '../../shared/ocpp/versions.js';
import { V21_ROUTES } from '../../functions/ocpp/v21/routes.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const STATION = 'SC-21';
const TX = 'TX-SC21-1';

describe('OCPP 2.1 smart charging', () => {
  let h: Harness;
  let cs: RpcClient;
  const received: { method: string; params: any }[] = [];
  const events = (type: string): any[] => eventsOf(h.host, type, STATION).map((e) => e.detail);

  before(async () => {
    h = await startHarness();
    await h.provision(STATION);
    cs = await h.station(STATION, 'ocpp2.1');
    (cs as unknown as { handle(f: (c: { method: string; params: any }) => unknown): void }).handle(
      ({ method, params }) => {
        received.push({ method, params });
        return { status: 'Accepted' };
      },
    );
    await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V', model: 'M' },
    });
    await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: new Date().toISOString(),
      triggerReason: 'CablePluggedIn',
      seqNo: 0,
      transactionInfo: { transactionId: TX, chargingState: 'EVConnected' },
      evse: { id: 1, connectorId: 1 },
    });
  });
  after(() => h.close());

  test('the six smart-charging / ISO 15118 messages and the 2.1 smart-charging additions have handlers', () => {
    for (const action of [
      'NotifyChargingLimit',
      'ClearedChargingLimit',
      'NotifyEVChargingNeeds',
      'NotifyEVChargingSchedule',
      'Get15118EVCertificate',
      'GetCertificateStatus',
      'NotifyPriorityCharging',
      'PullDynamicScheduleUpdate',
    ]) {
      assert.ok(STATION_INITIATED['ocpp2.1'].includes(action), action);
      assert.ok(action in V21_ROUTES, action);
    }
  });

  test('K11 NotifyChargingLimit with 2.1 flags: stored with isGridCritical / isLocalGeneration', async () => {
    const req = {
      evseId: 1,
      chargingLimit: { chargingLimitSource: 'SO', isGridCritical: true, isLocalGeneration: false },
    };
    assert.deepEqual(await cs.call('NotifyChargingLimit', req), {});
    const [limit] = (await h.api('GET', `/v1/stations/${STATION}/charging-limits`)).body.items;
    assert.deepEqual(
      [limit.evseId, limit.source, limit.isGridCritical, limit.isLocalGeneration],
      [1, 'SO', true, false],
    );
    assert.equal(events('charging.limit-set.v1')[0].isGridCritical, true);
  });

  test('K17.FR.03 NotifyEVChargingNeeds on 2.1: Accepted and a TxProfile for the transaction', async () => {
    const res = await cs.call('NotifyEVChargingNeeds', {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'DC',
        departureTime: new Date(Date.now() + 3_600_000).toISOString(),
        dcChargingParameters: { evMaxCurrent: 100, evMaxVoltage: 400, energyAmount: 20_000 },
      },
    });
    assert.deepEqual(res, { status: 'Accepted' });
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const [call] = received;
    assert.equal(call?.method, 'SetChargingProfile');
    const p = call.params.chargingProfile;
    assert.deepEqual([p.chargingProfilePurpose, p.transactionId], ['TxProfile', TX]);
    const [period] = p.chargingSchedule[0].chargingSchedulePeriod;
    // 20 kWh in the hour to departure: 20 kW (DC, in W), within the EV's 40 kW.
    assert.equal(p.chargingSchedule[0].chargingRateUnit, 'W');
    assert.ok(period.limit >= 20_000 && period.limit <= 40_000, String(period.limit));
  });

  test('K21.FR.09 / K22.FR.06 NotifyPriorityCharging: answered, stored, charging.priority-changed.v1', async () => {
    assert.deepEqual(await cs.call('NotifyPriorityCharging', { transactionId: TX, activated: true }), {});
    assert.deepEqual(
      events('charging.priority-changed.v1').map((e) => [e.transactionId, e.activated]),
      [[TX, true]],
    );
  });

  test('K28.FR.12 PullDynamicScheduleUpdate for a profile the CSMS does not know as Dynamic: Rejected, InvalidProfile', async () => {
    const res = await cs.call('PullDynamicScheduleUpdate', { chargingProfileId: 999 });
    assert.deepEqual(res, { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } });
  });

  test('K28.FR.07 PullDynamicScheduleUpdate for an installed Dynamic profile: Accepted with its limit', async () => {
    const profile = {
      id: 31,
      stackLevel: 0,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Dynamic',
      dynUpdateInterval: 60,
      chargingSchedule: [
        { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
      ],
    };
    const set = await h.api('POST', `/v1/stations/${STATION}/charging-profiles?wait=5`, {
      evseId: 1,
      profile,
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.status, 'completed');
    const res = await cs.call('PullDynamicScheduleUpdate', { chargingProfileId: 31 });
    assert.deepEqual(res, { status: 'Accepted', scheduleUpdate: { limit: 16 } });
    assert.deepEqual(
      events('charging.dynamic-schedule-requested.v1').map((e) => [e.chargingProfileId, e.status]),
      [
        [999, 'Rejected'],
        [31, 'Accepted'],
      ],
    );
  });
});
