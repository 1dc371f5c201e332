/**
 * K01 profile rules through the HTTP API (issue 15 item 3): every rule refused with a 400 naming
 * its id, for a 2.0.1 and a 1.6 station, on the convenience route and the generic command route,
 * and nothing reaches the station (ocpp-rpc peers in strict mode record what they receive).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import { call, peer, sleep, type Peer } from './command-peers.js';

let h: Harness;
let v16: Peer;
let v201: Peer;

before(async () => {
  h = await startHarness();
  v16 = await peer(h, 'RULES-16', 'ocpp1.6');
  v201 = await peer(h, 'RULES-201', 'ocpp2.0.1');
});
after(() => h.close());

const START = '2026-01-01T00:00:00.000Z';
const periods = (startPeriod = 0) => [{ startPeriod, limit: 16 }];

const profile201 = (p: Record<string, unknown>, schedule: Record<string, unknown> = {}) => ({
  id: 21,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: periods(), ...schedule }],
  ...p,
});
const profile16 = (p: Record<string, unknown>, schedule: Record<string, unknown> = {}) => ({
  chargingProfileId: 21,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Relative',
  chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: periods(), ...schedule },
  ...p,
});

/** [rule, version, evseId, profile fields, schedule fields] */
const CASES: [string, 'ocpp2.0.1' | 'ocpp1.6', number, Record<string, unknown>, Record<string, unknown>][] = [
  ['K01.FR.03', 'ocpp2.0.1', 1, { chargingProfilePurpose: 'TxProfile' }, {}],
  ['K01.FR.03', 'ocpp1.6', 1, { chargingProfilePurpose: 'TxProfile' }, {}],
  ['K01.FR.22', 'ocpp2.0.1', 1, { chargingProfilePurpose: 'ChargingStationExternalConstraints' }, {}],
  ['K01.FR.31', 'ocpp2.0.1', 1, {}, { chargingSchedulePeriod: periods(30) }],
  ['K01.FR.31', 'ocpp1.6', 1, {}, { chargingSchedulePeriod: periods(30) }],
  ['K01.FR.38', 'ocpp2.0.1', 0, { chargingProfilePurpose: 'ChargingStationMaxProfile' }, {}],
  ['K01.FR.38', 'ocpp1.6', 0, { chargingProfilePurpose: 'ChargePointMaxProfile' }, {}],
  ['K01.FR.40', 'ocpp2.0.1', 1, { chargingProfileKind: 'Absolute' }, {}],
  ['K01.FR.40', 'ocpp1.6', 1, { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' }, {}],
  ['K01.FR.41', 'ocpp2.0.1', 1, {}, { startSchedule: START }],
  ['K01.FR.41', 'ocpp1.6', 1, {}, { startSchedule: START }],
];

describe('SetChargingProfile breaking a K01 rule: 400 naming the rule, nothing sent', () => {
  for (const [rule, version, evseId, fields, schedule] of CASES) {
    test(`${rule} (${version}) on POST /charging-profiles and POST /commands`, async () => {
      const station = version === 'ocpp1.6' ? v16 : v201;
      const profile = version === 'ocpp1.6' ? profile16(fields, schedule) : profile201(fields, schedule);
      const mark = station.received.length;
      const viaRoute = await call(h, 'POST', `/v1/stations/${station.id}/charging-profiles`, {
        evseId,
        profile,
      });
      assert.equal(viaRoute.status, 400, JSON.stringify(viaRoute.body));
      assert.equal(viaRoute.body.error.code, 'invalid_request');
      assert.match(viaRoute.body.error.message, new RegExp(rule.replace(/\./g, '\\.')));
      assert.ok(viaRoute.body.error.fields.some((f: { path: string }) => f.path.startsWith('profile')));
      const payload =
        version === 'ocpp1.6'
          ? { connectorId: evseId, csChargingProfiles: profile }
          : { evseId, chargingProfile: profile };
      const viaCommands = await call(h, 'POST', `/v1/stations/${station.id}/commands`, {
        action: 'SetChargingProfile',
        payload,
      });
      assert.equal(viaCommands.status, 400, JSON.stringify(viaCommands.body));
      assert.match(viaCommands.body.error.message, new RegExp(rule.replace(/\./g, '\\.')));
      await sleep(200);
      assert.deepEqual(station.since(mark), []);
    });
  }

  test('a profile that keeps every rule is sent (2.0.1 Absolute with startSchedule)', async () => {
    const mark = v201.received.length;
    const profile = profile201({ chargingProfileKind: 'Absolute' }, { startSchedule: START });
    const res = await call(h, 'POST', `/v1/stations/${v201.id}/charging-profiles?wait=5`, {
      evseId: 1,
      profile,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(v201.since(mark), [
      { method: 'SetChargingProfile', params: { evseId: 1, chargingProfile: profile } },
    ]);
  });
});
