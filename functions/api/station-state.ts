/**
 * What the command path recorded about a station from the answers it got (shared/calls): its 1.6
 * configuration keys, its reservations and its charging profiles, as the CSMS last knew them.
 * Nothing here asks the station: the command routes do (GET .../configuration, ...).
 */
import { z } from 'zod';
import type { ChargingProfileItem } from '../../shared/store/charging-profiles.js';
import type { ConfigurationKeyItem } from '../../shared/store/configuration.js';
import type { ReservationItem } from '../../shared/store/reservations.js';
import { NotFoundError } from './errors.js';
import { json, operation, type ApiDeps } from './http.js';
import { StationPath } from './path-ids.js';

// ---- schemas ---------------------------------------------------------------------------------

export const ConfigurationKeyView = z
  .object({
    key: z.string(),
    value: z.string().nullable(),
    readonly: z.boolean().nullable(),
    unknown: z.boolean().describe('GetConfiguration named the key in unknownKey.'),
    rebootRequired: z
      .boolean()
      .describe('ChangeConfiguration answered RebootRequired: applies after a reboot.'),
    source: z.enum(['GetConfiguration', 'ChangeConfiguration']),
    at: z.string(),
    commandId: z.string(),
  })
  .meta({ id: 'ConfigurationKeyView' });

export const ReservationView = z
  .object({
    reservationId: z.number().int(),
    evseId: z.number().int().nullable(),
    connectorType: z.string().nullable(),
    idToken: z.string(),
    idTokenType: z.string().nullable(),
    groupId: z.string().nullable(),
    expiresAt: z.string(),
    status: z.enum(['active', 'cancelled', 'expired', 'removed']),
    updatedAt: z.string(),
    commandId: z.string().nullable(),
  })
  .meta({ id: 'ReservationView' });

export const ChargingProfileView = z
  .object({
    id: z.number().int(),
    evseId: z.number().int().describe('0: the whole station.'),
    stackLevel: z.number().int(),
    purpose: z.string(),
    profile: z
      .record(z.string(), z.unknown())
      .describe('As sent or reported (1.6 csChargingProfiles, 2.x ChargingProfileType).'),
    source: z.enum(['SetChargingProfile', 'ReportChargingProfiles']),
    chargingLimitSource: z.string().nullable(),
    at: z.string(),
    commandId: z.string().nullable(),
  })
  .meta({ id: 'ChargingProfileView' });

const list = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item).describe('Every one stored (not paged).') });

export const ConfigurationKeyList = list(ConfigurationKeyView).meta({ id: 'ConfigurationKeyList' });
export const ReservationList = list(ReservationView).meta({ id: 'ReservationList' });
export const ChargingProfileList = list(ChargingProfileView).meta({ id: 'ChargingProfileList' });

// ---- views -----------------------------------------------------------------------------------

export function configurationKeyView(k: ConfigurationKeyItem): z.output<typeof ConfigurationKeyView> {
  return {
    key: k.key,
    value: k.value ?? null,
    readonly: k.readonly ?? null,
    unknown: k.unknown ?? false,
    rebootRequired: k.rebootRequired ?? false,
    source: k.source,
    at: k.at,
    commandId: k.commandId,
  };
}

export function reservationView(r: ReservationItem): z.output<typeof ReservationView> {
  return {
    reservationId: r.reservationId,
    evseId: r.evseId ?? null,
    connectorType: r.connectorType ?? null,
    idToken: r.idToken,
    idTokenType: r.idTokenType ?? null,
    groupId: r.groupIdToken ?? null,
    expiresAt: r.expiryDateTime,
    status: r.status,
    updatedAt: r.updatedAt,
    commandId: r.commandId ?? null,
  };
}

export function chargingProfileView(p: ChargingProfileItem): z.output<typeof ChargingProfileView> {
  return {
    id: p.id,
    evseId: p.evseId,
    stackLevel: p.stackLevel,
    purpose: p.purpose,
    profile: p.profile,
    source: p.source,
    chargingLimitSource: p.chargingLimitSource ?? null,
    at: p.at,
    commandId: p.commandId ?? null,
  };
}

async function requireStation(id: string, deps: ApiDeps): Promise<void> {
  if (!(await deps.store.stations.get(id))) throw new NotFoundError(`No station ${id}`);
}

// ---- operations ------------------------------------------------------------------------------

export const getStoredConfiguration = operation({
  id: 'getStoredConfiguration',
  summary: 'The 1.6 configuration keys as the station last reported or accepted them',
  description:
    'Recorded from GetConfiguration answers and accepted ChangeConfiguration commands. A 2.x ' +
    "station's configuration is its device model (GET /v1/stations/{id}/device-model).",
  params: StationPath,
  responses: { 200: ConfigurationKeyList },
  async handle({ params }, deps) {
    await requireStation(params.id, deps);
    const items = await deps.store.configuration.list(params.id);
    return json(200, { items: items.map(configurationKeyView) });
  },
});

export const listReservations = operation({
  id: 'listReservations',
  summary: 'Reservations the station accepted, newest id first, with their state',
  params: StationPath,
  responses: { 200: ReservationList },
  async handle({ params }, deps) {
    await requireStation(params.id, deps);
    const items = await deps.store.reservations.list(params.id, deps.clock());
    return json(200, { items: items.map(reservationView) });
  },
});

export const listChargingProfiles = operation({
  id: 'listChargingProfiles',
  summary: 'Charging profiles installed on the station, as the CSMS knows them',
  params: StationPath,
  responses: { 200: ChargingProfileList },
  async handle({ params }, deps) {
    await requireStation(params.id, deps);
    const items = await deps.store.chargingProfiles.list(params.id);
    return json(200, { items: items.map(chargingProfileView) });
  },
});
