/**
 * 2.0.1 K09 ReportChargingProfiles: the charging profiles a station reports after a
 * GetChargingProfiles (K09.FR.03: tied to it by requestId; tbc while more follow). Each profile is
 * stored as the station's (source ReportChargingProfiles); the message is a result of the command.
 */
import { recordCommandResult } from '../../../shared/calls/results.js';
import { storableObject } from '../../../shared/calls/json.js';
import type {
  ReportChargingProfilesRequest,
  ReportChargingProfilesResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { ReportChargingProfilesRequest as ReportChargingProfilesRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const reportChargingProfiles: Route<
  ReportChargingProfilesRequest | ReportChargingProfilesRequest21,
  ReportChargingProfilesResponse,
  'chargingProfiles' | 'commands'
> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId, evseId: req.evseId });
    const at = ctx.now.toISOString();
    for (const { customData: _c, ...profile } of req.chargingProfile) {
      requireInt32({ 'chargingProfile.id': profile.id, 'chargingProfile.stackLevel': profile.stackLevel });
      await ctx.store.chargingProfiles.put(ctx.stationId, {
        id: profile.id,
        evseId: req.evseId,
        stackLevel: profile.stackLevel,
        purpose: profile.chargingProfilePurpose,
        profile: storableObject({ ...profile }),
        source: 'ReportChargingProfiles',
        chargingLimitSource: req.chargingLimitSource,
        at,
      });
    }
    await recordCommandResult(ctx, req.requestId, 'ReportChargingProfiles', {
      requestId: req.requestId,
      chargingLimitSource: req.chargingLimitSource,
      evseId: req.evseId,
      tbc: req.tbc ?? false,
      chargingProfileIds: req.chargingProfile.map((p) => p.id),
    });
    return {};
  },
};
