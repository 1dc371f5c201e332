/** 2.0.1 K10 ClearChargingProfile. When Accepted, the stored profiles that match are removed. */
import { safeInt } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const clearChargingProfile: V2CallOf<'ClearChargingProfile', 'chargingProfiles'> = {
  repeatable: true, // clearing twice clears the same
  async onResult({ store, stationId }, request, response) {
    if (response.status !== 'Accepted') return [];
    const criteria = request.chargingProfileCriteria;
    const id = safeInt(request.chargingProfileId);
    const evseId = safeInt(criteria?.evseId);
    const stackLevel = safeInt(criteria?.stackLevel);
    await store.chargingProfiles.clear(stationId, {
      ...(id !== undefined ? { id } : {}),
      ...(evseId !== undefined ? { evseId } : {}),
      ...(criteria?.chargingProfilePurpose !== undefined ? { purpose: criteria.chargingProfilePurpose } : {}),
      ...(stackLevel !== undefined ? { stackLevel } : {}),
    });
    return [];
  },
};
