/** 1.6 §5.5 ClearChargingProfile. When Accepted, the stored profiles that match are removed. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { safeInt } from '../../../../shared/calls/json.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const clearChargingProfile: CallOf<Methods, 'ClearChargingProfile', 'chargingProfiles'> = {
  repeatable: true, // clearing twice clears the same
  async onResult({ store, stationId }, request, response) {
    if (response.status !== 'Accepted') return [];
    const id = safeInt(request.id);
    const evseId = safeInt(request.connectorId);
    const stackLevel = safeInt(request.stackLevel);
    await store.chargingProfiles.clear(stationId, {
      ...(id !== undefined ? { id } : {}),
      ...(evseId !== undefined ? { evseId } : {}),
      ...(request.chargingProfilePurpose !== undefined ? { purpose: request.chargingProfilePurpose } : {}),
      ...(stackLevel !== undefined ? { stackLevel } : {}),
    });
    return [];
  },
};
