/**
 * The charging-profile rules the CSMS checks before it sends a SetChargingProfile, beyond the JSON
 * schema (which cannot express them): 2.0.1 / 2.1 K01.FR.03, .22, .31, .38, .40, .41 and their 1.6
 * equivalents. A station would reject such a profile (or, worse, run it in a way nobody meant);
 * the CSMS refuses it first with a 400 naming the rule.
 *
 * 1.6 (csChargingProfiles): the same rule ids are used where 1.6 says the same thing —
 * K01.FR.03 (§5.16.4: a TxProfile only exists for an active transaction, the profile names it by
 * transactionId), K01.FR.31 (§5.16.4 and errata 3.45: the first period starts at 0), K01.FR.38
 * (ChargePointMaxProfile, 1.6's station maximum, is not relative: it has no transaction to start
 * from), K01.FR.40 / .41 (§7.13 startSchedule: absent means relative to the start of charging).
 * K01.FR.22 has no 1.6 equivalent (1.6 has no external-constraints purpose; the schema refuses it).
 *
 * Pure: no I/O, no clock.
 */

export interface ProfileRuleViolation {
  /** The requirement id, e.g. `K01.FR.03`. */
  readonly rule: string;
  /** The payload field (dotted) the rule is about. */
  readonly path: string;
  readonly message: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The version-neutral view of one profile: where it sits in the payload and what the rules read. */
interface ProfileView {
  readonly base: string;
  readonly purpose: unknown;
  readonly kind: unknown;
  readonly transactionId: unknown;
  readonly stationMax: string;
  readonly schedules: readonly { readonly path: string; readonly schedule: Json }[];
}

function view16(payload: Json): ProfileView | undefined {
  const profile = payload.csChargingProfiles;
  if (!isObject(profile)) return undefined;
  const schedule = profile.chargingSchedule;
  return {
    base: 'csChargingProfiles',
    purpose: profile.chargingProfilePurpose,
    kind: profile.chargingProfileKind,
    transactionId: profile.transactionId,
    stationMax: 'ChargePointMaxProfile',
    schedules: isObject(schedule) ? [{ path: 'csChargingProfiles.chargingSchedule', schedule }] : [],
  };
}

function view2(payload: Json): ProfileView | undefined {
  const profile = payload.chargingProfile;
  if (!isObject(profile)) return undefined;
  const list = Array.isArray(profile.chargingSchedule) ? (profile.chargingSchedule as unknown[]) : [];
  return {
    base: 'chargingProfile',
    purpose: profile.chargingProfilePurpose,
    kind: profile.chargingProfileKind,
    transactionId: profile.transactionId,
    stationMax: 'ChargingStationMaxProfile',
    schedules: list.flatMap((schedule, i) =>
      isObject(schedule) ? [{ path: `chargingProfile.chargingSchedule.${i}`, schedule }] : [],
    ),
  };
}

function rules(p: ProfileView): ProfileRuleViolation[] {
  const found: ProfileRuleViolation[] = [];
  if (p.purpose === 'TxProfile' && (p.transactionId === undefined || p.transactionId === '')) {
    found.push({
      rule: 'K01.FR.03',
      path: `${p.base}.transactionId`,
      message: 'a TxProfile must name the transaction it limits (transactionId)',
    });
  }
  if (p.purpose === 'ChargingStationExternalConstraints') {
    found.push({
      rule: 'K01.FR.22',
      path: `${p.base}.chargingProfilePurpose`,
      message: 'ChargingStationExternalConstraints is set by an external system, never by the CSMS',
    });
  }
  if (p.purpose === p.stationMax && p.kind === 'Relative') {
    found.push({
      rule: 'K01.FR.38',
      path: `${p.base}.chargingProfileKind`,
      message: `a ${p.stationMax} cannot be Relative`,
    });
  }
  for (const { path, schedule } of p.schedules) {
    const periods = Array.isArray(schedule.chargingSchedulePeriod) ? schedule.chargingSchedulePeriod : [];
    const first: unknown = periods[0];
    if (isObject(first) && first.startPeriod !== 0) {
      found.push({
        rule: 'K01.FR.31',
        path: `${path}.chargingSchedulePeriod.0.startPeriod`,
        message: 'the first charging schedule period must start at 0',
      });
    }
    const hasStart = schedule.startSchedule !== undefined;
    if ((p.kind === 'Absolute' || p.kind === 'Recurring') && !hasStart) {
      found.push({
        rule: 'K01.FR.40',
        path: `${path}.startSchedule`,
        message: `an ${String(p.kind)} profile needs a startSchedule`,
      });
    }
    if (p.kind === 'Relative' && hasStart) {
      found.push({
        rule: 'K01.FR.41',
        path: `${path}.startSchedule`,
        message: 'a Relative profile must not have a startSchedule',
      });
    }
  }
  return found;
}

/**
 * The rules a SetChargingProfile payload of `protocol` breaks (none: []). Other actions, and
 * payloads the schema would refuse anyway (no profile object), break none here.
 */
export function chargingProfileViolations(
  protocol: string,
  action: string,
  payload: Record<string, unknown>,
): ProfileRuleViolation[] {
  if (action !== 'SetChargingProfile') return [];
  const profile = protocol === 'ocpp1.6' ? view16(payload) : view2(payload);
  return profile ? rules(profile) : [];
}
