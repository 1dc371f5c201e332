/**
 * 1.6 §5.16 SetChargingProfile. Stored when Accepted: the profile, under its connector (1.6
 * connector N is EVSE N; 0 is the station), for GET /v1/stations/{id}/charging-profiles.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { safeInt, storableObject } from '../../../../shared/calls/json.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const setChargingProfile: CallOf<Methods, 'SetChargingProfile'> = {
  repeatable: true, // installs the same profile id again
  async onResult({ store, stationId, commandId, now }, request, response) {
    const profile = request.csChargingProfiles;
    const id = safeInt(profile.chargingProfileId);
    if (response.status !== 'Accepted' || id === undefined) return [];
    await store.chargingProfiles.put(stationId, {
      id,
      evseId: safeInt(request.connectorId) ?? 0,
      stackLevel: safeInt(profile.stackLevel) ?? 0,
      purpose: profile.chargingProfilePurpose,
      profile: storableObject({ ...profile }),
      source: 'SetChargingProfile',
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
