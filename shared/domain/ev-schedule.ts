/**
 * ISO 15118 smart charging (2.0.1 K15-K17), the CSMS's side, pure: a charging schedule that meets
 * an EV's charging needs within the EVSE's limit, and the check of the EV's own schedule against
 * what was sent (K15.FR.11 / .12, K17.FR.11 / .12).
 *
 * The schedule: the lowest constant rate that delivers the requested energy by the departure time
 * (load levelling: the EV finishes just in time instead of drawing its maximum at once), never
 * below the EV's minimum current, never above the EV's maximum nor the EVSE's limit. Without a
 * departure time or an energy amount: the most the EV and the EVSE allow. AC in A per phase
 * (K01.FR.51), DC in W. Power from current uses the nominal line voltage, 230 V (K01.FR.50).
 */

export const LINE_VOLTAGE = 230;

export interface EvseLimit {
  readonly value: number;
  readonly unit: 'A' | 'W';
  readonly phases?: number;
}

/** 2.0.1 / 2.1 ChargingNeedsType, the fields read here. */
export interface ChargingNeeds {
  readonly requestedEnergyTransfer: string;
  readonly departureTime?: string;
  readonly acChargingParameters?: {
    readonly energyAmount: number;
    readonly evMinCurrent: number;
    readonly evMaxCurrent: number;
    readonly evMaxVoltage: number;
  };
  readonly dcChargingParameters?: {
    readonly evMaxCurrent: number;
    readonly evMaxVoltage: number;
    readonly energyAmount?: number;
    readonly evMaxPower?: number;
    readonly stateOfCharge?: number;
    readonly evEnergyCapacity?: number;
    readonly fullSoC?: number;
  };
}

export interface SchedulePlan {
  readonly unit: 'A' | 'W';
  readonly limit: number;
  readonly phases?: number;
  /** Seconds from now to the departure time; the schedule's duration. */
  readonly durationSeconds?: number;
  readonly minChargingRate?: number;
  /** Energy the plan delivers by the departure time (Wh); undefined without a departure time. */
  readonly deliverableWh?: number;
  readonly energyAmountWh?: number;
  /** Why the needs are not fully met; undefined when they are. */
  readonly shortfall?: string;
}

export type PlanResult =
  { readonly ok: true; readonly plan: SchedulePlan } | { readonly ok: false; readonly reason: string };

const up = (x: number, step: number): number => Math.ceil(x / step - 1e-9) * step;
const round1 = (x: number): number => Math.round(x * 10) / 10;

function acPhases(mode: string): number {
  if (mode === 'AC_single_phase') return 1;
  if (mode === 'AC_two_phase') return 2;
  return 3;
}

/** Seconds until departure; undefined without one (or unreadable). */
function windowSeconds(departureTime: string | undefined, now: Date): number | undefined {
  if (departureTime === undefined) return undefined;
  const at = Date.parse(departureTime);
  return Number.isFinite(at) ? Math.floor((at - now.getTime()) / 1000) : undefined;
}

/** A schedule for `needs` within `evse` (undefined: the EV's maximum), from `now`. */
export function planSchedule(needs: ChargingNeeds, evse: EvseLimit | undefined, now: Date): PlanResult {
  const window = windowSeconds(needs.departureTime, now);
  const ac = needs.acChargingParameters;
  const dc = needs.dcChargingParameters;
  if (ac && needs.requestedEnergyTransfer.startsWith('AC')) {
    const phases = acPhases(needs.requestedEnergyTransfer);
    const evseAmps =
      evse === undefined
        ? undefined
        : evse.unit === 'A'
          ? evse.value
          : evse.value / (LINE_VOLTAGE * (evse.phases ?? phases));
    const available = Math.floor(Math.min(ac.evMaxCurrent, evseAmps ?? ac.evMaxCurrent) * 10) / 10;
    if (available < ac.evMinCurrent) {
      return {
        ok: false,
        reason: `the EVSE allows ${available} A, below the EV's minimum of ${ac.evMinCurrent} A`,
      };
    }
    const wattsPerAmp = LINE_VOLTAGE * phases;
    return {
      ok: true,
      plan: level({
        unit: 'A',
        available,
        minimum: ac.evMinCurrent,
        step: 0.1,
        wattsPerUnit: wattsPerAmp,
        energyWh: ac.energyAmount,
        window,
        phases,
      }),
    };
  }
  if (dc && needs.requestedEnergyTransfer === 'DC') {
    const evMax = dc.evMaxPower ?? dc.evMaxCurrent * dc.evMaxVoltage;
    const evseWatts =
      evse === undefined ? undefined : evse.unit === 'W' ? evse.value : evse.value * dc.evMaxVoltage;
    const available = Math.floor(Math.min(evMax, evseWatts ?? evMax));
    if (available <= 0) return { ok: false, reason: 'the EVSE allows no power' };
    const fromSoc =
      dc.evEnergyCapacity !== undefined && dc.stateOfCharge !== undefined
        ? (dc.evEnergyCapacity * Math.max(0, (dc.fullSoC ?? 100) - dc.stateOfCharge)) / 100
        : undefined;
    return {
      ok: true,
      plan: level({
        unit: 'W',
        available,
        minimum: 0,
        step: 1,
        wattsPerUnit: 1,
        energyWh: dc.energyAmount ?? fromSoc,
        window,
      }),
    };
  }
  return {
    ok: false,
    reason: `no charging parameters for ${needs.requestedEnergyTransfer} (K15.FR.06: AC or DC parameters)`,
  };
}

function level(p: {
  unit: 'A' | 'W';
  available: number;
  minimum: number;
  step: number;
  wattsPerUnit: number;
  energyWh: number | undefined;
  window: number | undefined;
  phases?: number;
}): SchedulePlan {
  const common = {
    unit: p.unit,
    ...(p.phases !== undefined ? { phases: p.phases } : {}),
    ...(p.minimum > 0 ? { minChargingRate: p.minimum } : {}),
    ...(p.energyWh !== undefined ? { energyAmountWh: p.energyWh } : {}),
  };
  if (p.window === undefined || p.energyWh === undefined) {
    return {
      ...common,
      limit: p.available,
      ...(p.window !== undefined && p.window > 0 ? { durationSeconds: p.window } : {}),
    };
  }
  if (p.window <= 0) {
    return { ...common, limit: p.available, deliverableWh: 0, shortfall: 'the departure time has passed' };
  }
  const hours = p.window / 3600;
  const needed = p.energyWh / (p.wattsPerUnit * hours);
  const limit =
    p.unit === 'A'
      ? round1(Math.min(p.available, Math.max(p.minimum, up(needed, p.step))))
      : Math.min(p.available, Math.max(p.minimum, up(needed, p.step)));
  const deliverableWh = Math.floor(limit * p.wattsPerUnit * hours);
  return {
    ...common,
    limit,
    durationSeconds: p.window,
    deliverableWh,
    ...(deliverableWh + 1 < p.energyWh
      ? {
          shortfall: `at most ${p.available} ${p.unit} until the departure time delivers ${deliverableWh} Wh of the ${p.energyWh} Wh asked for`,
        }
      : {}),
  };
}

// ---- K15.FR.11 / .12: the EV's schedule against the one sent ---------------------------------

export interface SentSchedule {
  readonly startSchedule: string;
  readonly unit: 'A' | 'W';
  readonly durationSeconds?: number;
  readonly periods: readonly {
    readonly startPeriod: number;
    readonly limit: number;
    readonly numberPhases?: number;
  }[];
}

export interface EvSchedule {
  readonly timeBase: string;
  readonly chargingRateUnit: string;
  readonly chargingSchedulePeriod: readonly {
    readonly startPeriod: number;
    readonly limit: number;
    readonly numberPhases?: number;
  }[];
}

export interface Deviation {
  readonly at: string;
  readonly evLimit: number;
  readonly csmsLimit?: number;
  readonly unit: 'A' | 'W';
}

/** The limit of `sent` at `t` (ms), in `unit`; undefined outside the schedule. */
function sentLimitAt(sent: SentSchedule, t: number, unit: 'A' | 'W', phases: number): number | undefined {
  const start = Date.parse(sent.startSchedule);
  const offset = (t - start) / 1000;
  if (offset < 0 || (sent.durationSeconds !== undefined && offset >= sent.durationSeconds)) return undefined;
  const period = [...sent.periods].reverse().find((p) => p.startPeriod <= offset);
  if (!period) return undefined;
  if (sent.unit === unit) return period.limit;
  const ph = period.numberPhases ?? phases;
  return unit === 'W' ? period.limit * LINE_VOLTAGE * ph : period.limit / (LINE_VOLTAGE * ph);
}

/**
 * The EV periods that exceed what was sent, checked at each EV period's start and at each change
 * of the sent schedule inside it. Limits within 0.05 of each other count as equal (rounding).
 */
export function scheduleDeviations(sent: SentSchedule, ev: EvSchedule): Deviation[] {
  const unit = ev.chargingRateUnit === 'W' ? 'W' : 'A';
  const base = Date.parse(ev.timeBase);
  const sentStart = Date.parse(sent.startSchedule);
  const changes = sent.periods.map((p) => sentStart + p.startPeriod * 1000);
  const periods = ev.chargingSchedulePeriod;
  const found: Deviation[] = [];
  periods.forEach((p, i) => {
    const from = base + p.startPeriod * 1000;
    const next = periods[i + 1];
    const to = next ? base + next.startPeriod * 1000 : Number.POSITIVE_INFINITY;
    const phases = p.numberPhases ?? sent.periods[0]?.numberPhases ?? 3;
    for (const t of [from, ...changes.filter((c) => c > from && c < to)]) {
      const csms = sentLimitAt(sent, t, unit, phases);
      if (csms !== undefined && p.limit > csms + 0.05) {
        found.push({ at: new Date(t).toISOString(), evLimit: p.limit, csmsLimit: round1(csms), unit });
        break;
      }
    }
  });
  return found;
}
