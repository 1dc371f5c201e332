/** Smart charging: SetChargingProfile, ClearChargingProfile, GetCompositeSchedule. */
import type * as v16 from '../../../shared/ocpp/generated/v16/types.js';
import type * as v201 from '../../../shared/ocpp/generated/v201/types.js';
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import { is16, refuse, renameFields, type Outgoing } from './outgoing.js';

/** 1.6 §5.16 SetChargingProfile (connectorId, csChargingProfiles); 2.0.1 K01 (evseId, chargingProfile). */
export function setChargingProfile(
  protocol: OcppProtocol,
  input: { evseId: number; profile: Record<string, unknown> },
): Outgoing {
  if (is16(protocol)) {
    return {
      action: 'SetChargingProfile',
      payload: { connectorId: input.evseId, csChargingProfiles: input.profile },
      toField: renameFields({ connectorId: 'evseId', csChargingProfiles: 'profile' }),
    };
  }
  return {
    action: 'SetChargingProfile',
    payload: { evseId: input.evseId, chargingProfile: input.profile },
    toField: renameFields({ chargingProfile: 'profile' }),
  };
}

export const PROFILE_PURPOSES = [
  'ChargePointMaxProfile',
  'ChargingStationMaxProfile',
  'ChargingStationExternalConstraints',
  'TxDefaultProfile',
  'TxProfile',
] as const;
export type ProfilePurpose = (typeof PROFILE_PURPOSES)[number];

export interface ClearProfilesInput {
  readonly profileId?: number | undefined;
  readonly evseId?: number | undefined;
  readonly purpose?: ProfilePurpose | undefined;
  readonly stackLevel?: number | undefined;
}

/**
 * 1.6 §5.5 ClearChargingProfile (id, connectorId, purpose, stackLevel); 2.0.1 K10
 * (chargingProfileId, chargingProfileCriteria). The station-wide maximum is ChargePointMaxProfile
 * in 1.6 and ChargingStationMaxProfile in 2.x: either name is taken for both.
 */
export function clearChargingProfile(protocol: OcppProtocol, input: ClearProfilesInput): Outgoing {
  const max = input.purpose === 'ChargePointMaxProfile' || input.purpose === 'ChargingStationMaxProfile';
  if (is16(protocol)) {
    if (input.purpose === 'ChargingStationExternalConstraints') {
      refuse('purpose', 'OCPP 1.6 has no ChargingStationExternalConstraints profiles');
    }
    const purpose = max ? 'ChargePointMaxProfile' : input.purpose;
    const payload = {
      ...(input.profileId !== undefined ? { id: input.profileId } : {}),
      ...(input.evseId !== undefined ? { connectorId: input.evseId } : {}),
      ...(purpose !== undefined ? { chargingProfilePurpose: purpose } : {}),
      ...(input.stackLevel !== undefined ? { stackLevel: input.stackLevel } : {}),
    } satisfies v16.ClearChargingProfileRequest;
    return {
      action: 'ClearChargingProfile',
      payload,
      toField: renameFields({ id: 'profileId', connectorId: 'evseId', chargingProfilePurpose: 'purpose' }),
    };
  }
  const purpose = max ? 'ChargingStationMaxProfile' : input.purpose;
  const criteria = {
    ...(input.evseId !== undefined ? { evseId: input.evseId } : {}),
    ...(purpose !== undefined ? { chargingProfilePurpose: purpose } : {}),
    ...(input.stackLevel !== undefined ? { stackLevel: input.stackLevel } : {}),
  } satisfies v201.ClearChargingProfileType;
  const payload = {
    ...(input.profileId !== undefined ? { chargingProfileId: input.profileId } : {}),
    ...(Object.keys(criteria).length > 0 ? { chargingProfileCriteria: criteria } : {}),
  } satisfies v201.ClearChargingProfileRequest;
  return {
    action: 'ClearChargingProfile',
    payload,
    toField: renameFields({
      chargingProfileId: 'profileId',
      'chargingProfileCriteria.evseId': 'evseId',
      'chargingProfileCriteria.chargingProfilePurpose': 'purpose',
      'chargingProfileCriteria.stackLevel': 'stackLevel',
    }),
  };
}

/** 1.6 §5.7 GetCompositeSchedule (connectorId); 2.0.1 K08 (evseId). 0 is the grid connection. */
export function getCompositeSchedule(
  protocol: OcppProtocol,
  input: { evseId: number; duration: number; unit?: 'A' | 'W' | undefined },
): Outgoing {
  const unit = input.unit !== undefined ? { chargingRateUnit: input.unit } : {};
  if (is16(protocol)) {
    const payload = {
      connectorId: input.evseId,
      duration: input.duration,
      ...unit,
    } satisfies v16.GetCompositeScheduleRequest;
    return {
      action: 'GetCompositeSchedule',
      payload,
      toField: renameFields({ connectorId: 'evseId', chargingRateUnit: 'unit' }),
    };
  }
  const payload = {
    evseId: input.evseId,
    duration: input.duration,
    ...unit,
  } satisfies v201.GetCompositeScheduleRequest;
  return { action: 'GetCompositeSchedule', payload, toField: renameFields({ chargingRateUnit: 'unit' }) };
}
