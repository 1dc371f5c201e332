/**
 * 1.6 §5.16 SetChargingProfile. Stored when Accepted: the profile, under its connector (1.6
 * connector N is EVSE N; 0 is the station), for GET /v1/stations/{id}/charging-profiles.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { recordInstalledProfile } from '../../call-effects.js';

export const setChargingProfile: CallOf<Methods, 'SetChargingProfile', 'chargingProfiles'> = {
  repeatable: true, // installs the same profile id again
  onResult: (ctx, request, response) =>
    recordInstalledProfile(ctx, response.status, {
      id: request.csChargingProfiles.chargingProfileId,
      evseId: request.connectorId,
      profile: request.csChargingProfiles,
    }),
};
