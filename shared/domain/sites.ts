/**
 * Sites: a set of stations behind one grid connection, with a limit (A per phase or W) and
 * optionally time-of-use windows (a solar window, an off-peak night) that replace the limit while
 * they last. Pure: the limit at an instant, the minimums a limit must hold.
 */
import type { MinimumPolicy, RateUnit } from './allocation.js';

export interface SiteLimit {
  readonly value: number;
  readonly unit: RateUnit;
  /** Phases of the grid connection (1 or 3); default 3. */
  readonly phases?: 1 | 3 | undefined;
}

export interface ScheduleWindow {
  /** `HH:MM`, local time of the schedule's time zone, inclusive. */
  readonly from: string;
  /** `HH:MM`, exclusive; before `from`: the window runs past midnight. */
  readonly to: string;
  /** The limit during the window, in the site's unit. */
  readonly value: number;
}

export interface SiteSchedule {
  /** IANA time zone the windows are in, e.g. `Europe/Paris`. */
  readonly timeZone: string;
  readonly windows: readonly ScheduleWindow[];
}

export interface Site {
  readonly id: string;
  readonly name: string;
  readonly limit: SiteLimit;
  readonly schedule?: SiteSchedule | undefined;
  readonly stationIds: readonly string[];
  readonly minimumPolicy: MinimumPolicy;
  /** Priority by id-token group id (or id token); higher first; others 0. */
  readonly priorities?: Readonly<Record<string, number>> | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** When a station reports none: 6 A, the lowest current IEC 61851-1 lets an EV be offered. */
export const DEFAULT_MINIMUM_AMPS = 6;
/** The line voltage a W limit is converted with (K01.FR.50 names 230 V as the example). */
export const LINE_VOLTAGE = 230;

/** The default minimum of one EVSE in the site's unit: 6 A, or 6 A × 230 V × phases. */
export function defaultMinimum(limit: SiteLimit): number {
  return limit.unit === 'A'
    ? DEFAULT_MINIMUM_AMPS
    : DEFAULT_MINIMUM_AMPS * LINE_VOLTAGE * (limit.phases ?? 3);
}

/** A station's minimum in amps, expressed in the site's unit. */
export function minimumInUnit(amps: number, limit: SiteLimit): number {
  return limit.unit === 'A' ? amps : amps * LINE_VOLTAGE * (limit.phases ?? 3);
}

const minutes = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Minutes since local midnight in `timeZone` at `now`. */
export function localMinutes(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function inWindow(window: ScheduleWindow, minute: number): boolean {
  const from = minutes(window.from);
  const to = minutes(window.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The limit at `now` and why: the window that holds it, or the site limit. */
export function limitAt(
  site: Pick<Site, 'limit' | 'schedule'>,
  now: Date,
): { value: number; window?: ScheduleWindow } {
  if (site.schedule) {
    const minute = localMinutes(now, site.schedule.timeZone);
    const window = site.schedule.windows.find((w) => inWindow(w, minute));
    if (window) return { value: window.value, window };
  }
  return { value: site.limit.value };
}

/** Every limit the site may have: the base limit and each window's. */
export function limitsOf(site: Pick<Site, 'limit' | 'schedule'>): number[] {
  return [site.limit.value, ...(site.schedule?.windows.map((w) => w.value) ?? [])];
}

/** Two windows that share a minute (the first pair found), or undefined. */
export function overlappingWindows(windows: readonly ScheduleWindow[]): [number, number] | undefined {
  for (let i = 0; i < windows.length; i++) {
    for (let j = i + 1; j < windows.length; j++) {
      const a = windows[i];
      const b = windows[j];
      if (!a || !b) continue;
      if (inWindow(a, minutes(b.from)) || inWindow(b, minutes(a.from))) return [i, j];
    }
  }
  return undefined;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
