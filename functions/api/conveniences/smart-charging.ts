/** Smart charging: install and clear charging profiles, ask for the composite schedule. */
import { z } from 'zod';
import {
  clearChargingProfile,
  getCompositeSchedule,
  PROFILE_PURPOSES,
  setChargingProfile,
} from '../command-mapping/smart-charging.js';
import { commandQuery } from '../commands.js';
import { StationIdParam } from '../path-ids.js';
import { convenience, CommandQuery, EvseId } from './common.js';

export const SetChargingProfileRequest = z
  .strictObject({
    evseId: EvseId.describe(
      '0: the station (ChargePointMaxProfile / ChargingStationMaxProfile, TxDefaultProfile for all EVSEs).',
    ),
    profile: z
      .record(z.string(), z.unknown())
      .describe(
        "A ChargingProfile in the station's version's schema (1.6 csChargingProfiles, 2.x chargingProfile).",
      ),
  })
  .meta({ id: 'SetChargingProfileRequest' });

const ProfilePath = z.object({ id: StationIdParam, profileId: z.coerce.number().int() });
const ClearProfilesQuery = z.strictObject({
  evseId: z.coerce.number().int().min(0).optional(),
  purpose: z
    .enum(PROFILE_PURPOSES)
    .optional()
    .describe('ChargePointMaxProfile and ChargingStationMaxProfile are the same.'),
  stackLevel: z.coerce.number().int().min(0).optional(),
  ...commandQuery,
});
const CompositeScheduleQuery = z.strictObject({
  evseId: z.coerce.number().int().min(0).describe('0: the grid connection of the whole station.'),
  duration: z.coerce.number().int().min(1).describe('Length of the schedule in seconds.'),
  unit: z.enum(['A', 'W']).optional(),
  ...commandQuery,
});

// ---- operations ------------------------------------------------------------------------------

export const setStationChargingProfile = convenience({
  id: 'setChargingProfile',
  summary: 'Install a charging profile (SetChargingProfile)',
  query: CommandQuery,
  body: SetChargingProfileRequest,
  build: (p, { body }) => setChargingProfile(p, body),
});

export const clearStationChargingProfile = convenience({
  id: 'clearChargingProfile',
  summary: 'Remove one charging profile by id (ClearChargingProfile)',
  params: ProfilePath,
  query: CommandQuery,
  build: (p, { params }) => clearChargingProfile(p, { profileId: params.profileId }),
});

export const clearStationChargingProfiles = convenience({
  id: 'clearChargingProfiles',
  summary: 'Remove the charging profiles that match every filter given (ClearChargingProfile)',
  query: ClearProfilesQuery,
  build: (p, { query: { evseId, purpose, stackLevel } }) =>
    clearChargingProfile(p, { evseId, purpose, stackLevel }),
});

export const getStationCompositeSchedule = convenience({
  id: 'getCompositeSchedule',
  summary: 'Ask the station for the schedule its charging profiles add up to (GetCompositeSchedule)',
  query: CompositeScheduleQuery,
  build: (p, { query: { evseId, duration, unit } }) => getCompositeSchedule(p, { evseId, duration, unit }),
});
