/** Schedules for ISO 15118 charging needs and the check of the EV's schedule (shared/domain/ev-schedule.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planSchedule, scheduleDeviations } from '../../shared/domain/ev-schedule.js';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const inHours = (h: number) => new Date(NOW.getTime() + h * 3_600_000).toISOString();
const ac = (energyAmount: number, departureTime?: string, mode = 'AC_three_phase') => ({
  requestedEnergyTransfer: mode,
  ...(departureTime ? { departureTime } : {}),
  acChargingParameters: { energyAmount, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
});

test('K15: the lowest current that delivers the energy by the departure time', () => {
  const r = planSchedule(ac(11_040, inHours(2)), { value: 20, unit: 'A' }, NOW);
  assert.ok(r.ok);
  // 11,040 Wh in 2 h on 3 phases at 230 V: 8 A.
  assert.deepEqual(
    { limit: r.plan.limit, unit: r.plan.unit, phases: r.plan.phases, duration: r.plan.durationSeconds },
    { limit: 8, unit: 'A', phases: 3, duration: 7200 },
  );
  assert.ok(r.plan.deliverableWh! >= 11_040);
  assert.equal(r.plan.shortfall, undefined);
});

test('never below the EV minimum, never above the EVSE limit (W converted per phase), shortfall said', () => {
  const small = planSchedule(ac(500, inHours(8), 'AC_single_phase'), undefined, NOW);
  assert.ok(small.ok);
  assert.equal(small.plan.limit, 6);
  const capped = planSchedule(ac(30_000, inHours(2)), { value: 13_800, unit: 'W', phases: 3 }, NOW);
  assert.ok(capped.ok);
  assert.equal(capped.plan.limit, 20);
  assert.equal(capped.plan.deliverableWh, 27_600);
  assert.match(capped.plan.shortfall!, /27600 Wh of the 30000 Wh/);
});

test('no departure time: the most the EV and EVSE allow; an EVSE below the EV minimum: refused', () => {
  const open = planSchedule(ac(10_000), { value: 16, unit: 'A' }, NOW);
  assert.ok(open.ok);
  assert.equal(open.plan.limit, 16);
  assert.equal(open.plan.durationSeconds, undefined);
  const tooLow = planSchedule(ac(10_000), { value: 4, unit: 'A' }, NOW);
  assert.ok(!tooLow.ok);
  assert.match(tooLow.reason, /below the EV's minimum/);
});

test('DC in W, energy from the state of charge when no amount is given; K15.FR.06 parameters must match', () => {
  const dc = planSchedule(
    {
      requestedEnergyTransfer: 'DC',
      departureTime: inHours(1),
      dcChargingParameters: {
        evMaxCurrent: 200,
        evMaxVoltage: 500,
        evEnergyCapacity: 60_000,
        stateOfCharge: 50,
      },
    },
    { value: 50_000, unit: 'W' },
    NOW,
  );
  assert.ok(dc.ok);
  assert.equal(dc.plan.unit, 'W');
  assert.equal(dc.plan.limit, 30_000);
  assert.ok(
    !planSchedule(
      { requestedEnergyTransfer: 'DC', acChargingParameters: ac(1).acChargingParameters },
      undefined,
      NOW,
    ).ok,
  );
});

test('K15.FR.11/.12: an EV schedule within what was sent passes; above it, each period over is named', () => {
  const sent = {
    startSchedule: NOW.toISOString(),
    unit: 'A' as const,
    durationSeconds: 7200,
    periods: [{ startPeriod: 0, limit: 8, numberPhases: 3 }],
  };
  const within = {
    timeBase: NOW.toISOString(),
    chargingRateUnit: 'A',
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 8 },
      { startPeriod: 3600, limit: 6 },
    ],
  };
  assert.deepEqual(scheduleDeviations(sent, within), []);
  const over = {
    ...within,
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 8 },
      { startPeriod: 1800, limit: 16 },
    ],
  };
  assert.deepEqual(scheduleDeviations(sent, over), [
    { at: '2026-03-01T10:30:00.000Z', evLimit: 16, csmsLimit: 8, unit: 'A' },
  ]);
  // In W: 8 A x 230 V x 3 = 5,520 W.
  const watts = {
    timeBase: NOW.toISOString(),
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 5520 }],
  };
  assert.deepEqual(scheduleDeviations(sent, watts), []);
  assert.equal(
    scheduleDeviations(sent, { ...watts, chargingSchedulePeriod: [{ startPeriod: 0, limit: 7000 }] }).length,
    1,
  );
});
