/** The K01 profile rules checked before a SetChargingProfile is sent (shared/domain/charging-profile-rules.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chargingProfileViolations } from '../../shared/domain/charging-profile-rules.js';

const schedule2 = (extra: Record<string, unknown> = {}) => ({
  id: 1,
  chargingRateUnit: 'A',
  chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
  ...extra,
});
const v2 = (profile: Record<string, unknown>) => ({
  evseId: 1,
  chargingProfile: {
    id: 7,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: [schedule2()],
    ...profile,
  },
});
const v16 = (profile: Record<string, unknown>, schedule: Record<string, unknown> = {}) => ({
  connectorId: 1,
  csChargingProfiles: {
    chargingProfileId: 7,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    chargingSchedule: {
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      ...schedule,
    },
    ...profile,
  },
});
const rules = (protocol: string, payload: Record<string, unknown>) =>
  chargingProfileViolations(protocol, 'SetChargingProfile', payload).map((v) => `${v.rule} ${v.path}`);

test('a valid profile breaks no rule (2.0.1, 2.1 and 1.6)', () => {
  assert.deepEqual(rules('ocpp2.0.1', v2({})), []);
  assert.deepEqual(rules('ocpp2.1', v2({ chargingProfilePurpose: 'TxProfile', transactionId: 'tx-1' })), []);
  assert.deepEqual(rules('ocpp1.6', v16({})), []);
  assert.deepEqual(
    rules(
      'ocpp2.0.1',
      v2({
        chargingProfileKind: 'Absolute',
        chargingSchedule: [schedule2({ startSchedule: '2026-01-01T00:00:00Z' })],
      }),
    ),
    [],
  );
});

test('K01.FR.03: a TxProfile without transactionId is refused', () => {
  assert.deepEqual(rules('ocpp2.0.1', v2({ chargingProfilePurpose: 'TxProfile' })), [
    'K01.FR.03 chargingProfile.transactionId',
  ]);
  assert.deepEqual(rules('ocpp1.6', v16({ chargingProfilePurpose: 'TxProfile' })), [
    'K01.FR.03 csChargingProfiles.transactionId',
  ]);
  assert.deepEqual(rules('ocpp1.6', v16({ chargingProfilePurpose: 'TxProfile', transactionId: 5 })), []);
});

test('K01.FR.22: the CSMS never sets ChargingStationExternalConstraints', () => {
  assert.deepEqual(rules('ocpp2.0.1', v2({ chargingProfilePurpose: 'ChargingStationExternalConstraints' })), [
    'K01.FR.22 chargingProfile.chargingProfilePurpose',
  ]);
});

test('K01.FR.31: the first period starts at 0, in every schedule', () => {
  const late = { chargingSchedulePeriod: [{ startPeriod: 60, limit: 16 }] };
  assert.deepEqual(
    rules('ocpp2.0.1', v2({ chargingSchedule: [schedule2(), schedule2({ id: 2, ...late })] })),
    ['K01.FR.31 chargingProfile.chargingSchedule.1.chargingSchedulePeriod.0.startPeriod'],
  );
  assert.deepEqual(rules('ocpp1.6', v16({}, late)), [
    'K01.FR.31 csChargingProfiles.chargingSchedule.chargingSchedulePeriod.0.startPeriod',
  ]);
});

test('K01.FR.38: a station maximum profile is never Relative', () => {
  assert.deepEqual(rules('ocpp2.0.1', v2({ chargingProfilePurpose: 'ChargingStationMaxProfile' })), [
    'K01.FR.38 chargingProfile.chargingProfileKind',
  ]);
  assert.deepEqual(rules('ocpp1.6', v16({ chargingProfilePurpose: 'ChargePointMaxProfile' })), [
    'K01.FR.38 csChargingProfiles.chargingProfileKind',
  ]);
});

test('K01.FR.40: an Absolute or Recurring profile has a startSchedule', () => {
  assert.deepEqual(rules('ocpp2.0.1', v2({ chargingProfileKind: 'Absolute' })), [
    'K01.FR.40 chargingProfile.chargingSchedule.0.startSchedule',
  ]);
  assert.deepEqual(rules('ocpp1.6', v16({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' })), [
    'K01.FR.40 csChargingProfiles.chargingSchedule.startSchedule',
  ]);
});

test('K01.FR.41: a Relative profile has no startSchedule', () => {
  const start = { startSchedule: '2026-01-01T00:00:00Z' };
  assert.deepEqual(rules('ocpp2.0.1', v2({ chargingSchedule: [schedule2(start)] })), [
    'K01.FR.41 chargingProfile.chargingSchedule.0.startSchedule',
  ]);
  assert.deepEqual(rules('ocpp1.6', v16({}, start)), [
    'K01.FR.41 csChargingProfiles.chargingSchedule.startSchedule',
  ]);
});

test('other actions are not checked here', () => {
  assert.deepEqual(
    chargingProfileViolations(
      'ocpp2.0.1',
      'ClearChargingProfile',
      v2({ chargingProfilePurpose: 'TxProfile' }),
    ),
    [],
  );
});
