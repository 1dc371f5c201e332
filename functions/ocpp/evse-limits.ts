/**
 * The port through which an EV-needs schedule (2.0.1 K15-K17) learns how much an EVSE may draw:
 * one small seam, injected in the station composition (./composition.ts). The default reads what
 * the station itself reported: its external limits (NotifyChargingLimit, K11 / K12), on the EVSE
 * or on the whole station, the lowest first period of their schedules. Nothing reported:
 * undefined, and the schedule is bounded by the EV's maximum alone. `SiteAndStationLimits` adds the
 * EVSE's share of its site (load management) and is what the station composition uses.
 */
import type { EvseLimit } from '../../shared/domain/ev-schedule.js';
import type { Store } from '../../shared/store/index.js';

export interface EvseLimitSource {
  limitFor(stationId: string, evseId: number): Promise<EvseLimit | undefined>;
}

function firstPeriod(schedule: Record<string, unknown>): EvseLimit | undefined {
  const unit = schedule.chargingRateUnit;
  const periods = schedule.chargingSchedulePeriod;
  const first = Array.isArray(periods) ? (periods[0] as Record<string, unknown> | undefined) : undefined;
  if ((unit !== 'A' && unit !== 'W') || typeof first?.limit !== 'number') return undefined;
  return {
    value: first.limit,
    unit,
    ...(typeof first.numberPhases === 'number' ? { phases: first.numberPhases } : {}),
  };
}

/** The default: the external limits the station reported (its lowest, per unit A before W). */
export class StationReportedLimits implements EvseLimitSource {
  constructor(private readonly store: Pick<Store, 'smartCharging'>) {}

  async limitFor(stationId: string, evseId: number): Promise<EvseLimit | undefined> {
    const limits = (await this.store.smartCharging.limits(stationId)).filter(
      (l) => l.evseId === evseId || l.evseId === 0,
    );
    const candidates = limits
      .flatMap((l) => (l.schedules ?? []).map(firstPeriod))
      .filter((l) => l !== undefined);
    const byUnit = (unit: 'A' | 'W') =>
      candidates.filter((c) => c.unit === unit).sort((a, b) => a.value - b.value)[0];
    return byUnit('A') ?? byUnit('W');
  }
}

/**
 * The EVSE's share of its site (load management, shared/store/sites.ts) and what the station
 * reported: the lower of the two when both are in the same unit, the site's share otherwise (the
 * site limit is the one the CSMS answers for).
 */
export class SiteAndStationLimits implements EvseLimitSource {
  private readonly reported: StationReportedLimits;

  constructor(private readonly store: Pick<Store, 'smartCharging' | 'sites'>) {
    this.reported = new StationReportedLimits(store);
  }

  async limitFor(stationId: string, evseId: number): Promise<EvseLimit | undefined> {
    const [share, reported] = await Promise.all([
      this.store.sites.allocatedLimit(stationId, evseId),
      this.reported.limitFor(stationId, evseId),
    ]);
    if (!share) return reported;
    if (reported && reported.unit === share.unit && reported.value < share.value) return reported;
    return share;
  }
}
