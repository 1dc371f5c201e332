/**
 * 2.0.1 K01 SetChargingProfile. Sent again after a reconnect: installing the same profile id
 * replaces it (K01.FR.05), so a second delivery does no harm. Success: the default rule (Accepted).
 * Stored when Accepted: the profile under its EVSE (0: the station), for
 * GET /v1/stations/{id}/charging-profiles; command.completed.v1 is the event.
 */
import { recordInstalledProfile } from '../../call-effects.js';
import type { V2CallOf } from './v2.js';

export const setChargingProfile: V2CallOf<'SetChargingProfile', 'chargingProfiles'> = {
  repeatable: true,
  onResult: (ctx, request, response) =>
    recordInstalledProfile(ctx, response.status, {
      id: request.chargingProfile.id,
      evseId: request.evseId,
      profile: request.chargingProfile,
    }),
};
