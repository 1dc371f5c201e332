/**
 * Site load management: how a site's limit is shared between its active EVSEs. Pure: no clock, no
 * I/O; functions/sites/ feeds it the stored sessions and sends what it returns as TxProfiles.
 *
 * Rules (docs/load-management.md):
 * - Never above the limit: the shares add up to at most `limit` (A per phase, or W in total).
 *   In A, every EVSE is counted on every phase of the site, so a single-phase EVSE is counted
 *   where it does not draw: safe, never over (K01.FR.51: an A limit is per phase).
 * - Never below a session's minimum (its minimum charging rate, K01.FR.21): a session charges at
 *   least at its minimum or not at all (waiting, 0).
 * - Admission: sessions are ranked by priority (K03.FR.04: a higher priority is fulfilled as long
 *   as possible), then by arrival; a session is admitted while the minimums of the admitted ones
 *   fit. Policy `wait`: first come, first served (a late arrival waits). Policy `minimum`: a new
 *   arrival gets its minimum and the sessions that have charged longest wait instead.
 * - Sharing: every admitted session gets its minimum; what is left goes to the highest priority
 *   first, shared equally (water-filling, capped at each session's maximum), then to the next.
 * - Rates have one decimal (ChargingSchedule limits accept at most one digit fraction): shares
 *   are rounded down to 0.1, so two sessions of one priority differ by at most 0.1.
 */

export type RateUnit = 'A' | 'W';
export type MinimumPolicy = 'minimum' | 'wait';

/** What is shared: one active transaction on one EVSE. */
export interface AllocationSession {
  /** `stationId/evseId`: unique within the site. */
  readonly key: string;
  /** Lowest rate worth charging at, in the site's unit. */
  readonly minimum: number;
  /** Most the EVSE (or EV) can take, in the site's unit; none: no cap but the site's. */
  readonly maximum?: number | undefined;
  /** Higher first (2.0.1 chargingPriority semantics); default 0. */
  readonly priority?: number | undefined;
  /** ISO 8601: arrival order. */
  readonly startedAt: string;
}

export interface AllocationInput {
  /** The site's limit now (the schedule's value in a time-of-use window). */
  readonly limit: number;
  readonly unit: RateUnit;
  readonly policy: MinimumPolicy;
  readonly sessions: readonly AllocationSession[];
}

export type ShareReason =
  /** An equal part of what is left once minimums and higher priorities are served. */
  | 'fair-share'
  /** Its minimum only: nothing was left for its priority. */
  | 'minimum'
  /** Capped at its maximum. */
  | 'maximum'
  /** Not admitted: the minimums of the sessions ranked before it use the limit (0). */
  | 'waiting';

export interface Share {
  readonly key: string;
  readonly value: number;
  readonly reason: ShareReason;
}

/** Rates carry one decimal. */
export const floor1 = (value: number): number => Math.floor(value * 10 + 1e-9) / 10;

/** The shares, in the order of `input.sessions`. */
export function allocate(input: AllocationInput): Share[] {
  const limit = Math.max(0, input.limit);
  const ranked = [...input.sessions].sort((a, b) => {
    const byPriority = (b.priority ?? 0) - (a.priority ?? 0);
    if (byPriority !== 0) return byPriority;
    const byArrival = a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0;
    const ordered = input.policy === 'wait' ? byArrival : -byArrival;
    return ordered !== 0 ? ordered : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });

  // Admission: minimums in rank order while they fit.
  const admitted: AllocationSession[] = [];
  let reserved = 0;
  const waiting = new Set<string>();
  for (const s of ranked) {
    const minimum = Math.max(0, s.minimum);
    if (reserved + minimum <= limit + 1e-9 && (s.maximum === undefined || s.maximum >= minimum)) {
      admitted.push(s);
      reserved += minimum;
    } else {
      waiting.add(s.key);
    }
  }

  // Water-filling per priority, highest first, on top of the minimums.
  const value = new Map<string, number>(admitted.map((s) => [s.key, Math.max(0, s.minimum)]));
  const capped = new Set<string>();
  let left = limit - reserved;
  const priorities = [...new Set(admitted.map((s) => s.priority ?? 0))].sort((a, b) => b - a);
  for (const priority of priorities) {
    let open = admitted.filter((s) => (s.priority ?? 0) === priority);
    // Raise the open sessions to a common level; those whose maximum is below it stop there.
    while (open.length > 0 && left > 1e-9) {
      const base = open.reduce((sum, s) => sum + (value.get(s.key) ?? 0), 0);
      const level = (base + left) / open.length;
      const under = open.filter((s) => (value.get(s.key) ?? 0) > level);
      if (under.length > 0) {
        // A session already above the level (a higher minimum) keeps its minimum; share the rest.
        open = open.filter((s) => !under.includes(s));
        continue;
      }
      const full = open.filter((s) => s.maximum !== undefined && s.maximum < level);
      if (full.length === 0) {
        for (const s of open) value.set(s.key, level);
        left = 0;
        break;
      }
      for (const s of full) {
        left -= (s.maximum ?? 0) - (value.get(s.key) ?? 0);
        value.set(s.key, s.maximum ?? 0);
        capped.add(s.key);
      }
      open = open.filter((s) => !full.includes(s));
    }
  }

  return input.sessions.map((s): Share => {
    if (waiting.has(s.key)) return { key: s.key, value: 0, reason: 'waiting' };
    const minimum = Math.max(0, s.minimum);
    const raw = value.get(s.key) ?? minimum;
    // Rounding down keeps the sum under the limit and never crosses below the minimum given.
    const rounded = Math.max(floor1(raw), Math.min(raw, minimum));
    const reason: ShareReason = capped.has(s.key)
      ? 'maximum'
      : rounded <= minimum + 1e-9
        ? 'minimum'
        : 'fair-share';
    return { key: s.key, value: rounded, reason };
  });
}

/** The sum of the minimums a limit must hold (the check behind a 400 of the sites API). */
export function minimumsTotal(minimums: readonly number[]): number {
  return minimums.reduce((sum, m) => sum + Math.max(0, m), 0);
}
