/**
 * The TxProfile a site's share becomes, per OCPP version of the station. It goes through the one
 * command path (shared/calls), which validates it against the version's schema before sending.
 */
import type { RateUnit } from '../../shared/domain/allocation.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import {
  CSMS_TX_PROFILE_ID_BASE,
  CSMS_TX_STACK_LEVEL,
  csmsTxProfileId,
} from '../../shared/domain/tx-profiles.js';

/**
 * One profile id per EVSE, shared with the EV-needs schedules (shared/domain/tx-profiles.ts):
 * sending the same id again replaces the profile (K01.FR.05, 1.6 §3.13.2), so a share is never
 * stacked and K01.FR.39 holds.
 */
export const PROFILE_ID_BASE = CSMS_TX_PROFILE_ID_BASE;
export const PROFILE_STACK_LEVEL = CSMS_TX_STACK_LEVEL;

export interface ShareProfile {
  readonly evseId: number;
  readonly transactionId: string;
  readonly value: number;
  readonly unit: RateUnit;
  readonly phases?: number | undefined;
  readonly minimum: number;
}

export function txProfileCommand(
  protocol: OcppProtocol,
  share: ShareProfile,
): { action: 'SetChargingProfile'; payload: Record<string, unknown> } {
  const period = {
    startPeriod: 0, // K01.FR.31
    limit: share.value,
    ...(share.phases !== undefined ? { numberPhases: share.phases } : {}),
  };
  // Relative: no startSchedule (K01.FR.41); one period, no duration: the limit holds until the
  // transaction ends (the profile is deleted with it, K02.FR.05) or a new share replaces it.
  const schedule = {
    chargingRateUnit: share.unit,
    chargingSchedulePeriod: [period],
    ...(share.minimum > 0 && share.value >= share.minimum ? { minChargingRate: share.minimum } : {}),
  };
  const id = csmsTxProfileId(share.evseId);
  if (protocol === 'ocpp1.6') {
    // 1.6 §5.16: TxProfile on the connector, with the transaction's id (an integer in 1.6).
    return {
      action: 'SetChargingProfile',
      payload: {
        connectorId: share.evseId,
        csChargingProfiles: {
          chargingProfileId: id,
          transactionId: Number(share.transactionId),
          stackLevel: PROFILE_STACK_LEVEL,
          chargingProfilePurpose: 'TxProfile',
          chargingProfileKind: 'Relative',
          chargingSchedule: schedule,
        },
      },
    };
  }
  // 2.0.1 / 2.1 K01: TxProfile with the transactionId (K01.FR.03) on the EVSE (K01.FR.16: > 0).
  return {
    action: 'SetChargingProfile',
    payload: {
      evseId: share.evseId,
      chargingProfile: {
        id,
        stackLevel: PROFILE_STACK_LEVEL,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        transactionId: share.transactionId,
        chargingSchedule: [{ id: 1, ...schedule }],
      },
    },
  };
}
