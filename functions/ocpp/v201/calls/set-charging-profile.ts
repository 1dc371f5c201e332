/**
 * 2.0.1 K01 SetChargingProfile. Sent again after a reconnect: installing the same profile id
 * replaces it (K01.FR.05), so a second delivery does no harm. Success: the default rule (Accepted).
 * Stored when Accepted: the profile under its EVSE (0: the station), for
 * GET /v1/stations/{id}/charging-profiles; command.completed.v1 is the event.
 */
import { safeInt, storableObject } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const setChargingProfile: V2CallOf<'SetChargingProfile'> = {
  repeatable: true,
  async onResult({ store, stationId, commandId, now }, request, response) {
    const profile = request.chargingProfile;
    const id = safeInt(profile.id);
    if (response.status !== 'Accepted' || id === undefined) return [];
    await store.chargingProfiles.put(stationId, {
      id,
      evseId: safeInt(request.evseId) ?? 0,
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
