/** Stations: provisioning, settings and the station view (registry, boot data, connection, EVSEs). */
import { z } from 'zod';
import { hashSecret } from '../../shared/auth/secrets.js';
import { PROTOCOLS } from '../../shared/ocpp/versions.js';
import type { ConnectorItem } from '../../shared/store/connectors.js';
import type { StationItem } from '../../shared/store/stations.js';
import { STATION_ID } from '../../shared/contract.js';
import { ConflictError, NotFoundError } from './errors.js';
import { json, operation, page, pageQuery, type ApiDeps } from './http.js';
import { StationPath } from './path-ids.js';
import { signedPage } from './cursors.js';

// ---- schemas ---------------------------------------------------------------------------------

export const Protocol = z
  .enum(PROTOCOLS)
  .meta({ id: 'Protocol', description: 'An OCPP version (WebSocket subprotocol).' });

export const StationId = z
  .string()
  .regex(STATION_ID, 'must be 1 to 48 characters from A-Z a-z 0-9 * - _ = + | @ .')
  .describe('The station identity: the last path segment of its OCPP URL and its Basic auth username.');

/**
 * 2.0.1 A00.FR.205: a passwordString (a-z A-Z 0-9 * - _ = : + | @ .) of 16 to 40 characters.
 * 1.6 security profile 1/2 AuthorizationKey (up to 40 hex digits) fits within it.
 */
export const StationPassword = z
  .string()
  .min(16, 'must be at least 16 characters')
  .max(40, 'must be at most 40 characters')
  .regex(/^[A-Za-z0-9*\-_=:+|@.]*$/, 'may contain only A-Z a-z 0-9 * - _ = : + | @ .')
  .describe(
    'HTTP Basic password of the station (2.0.1 BasicAuthPassword, 1.6 AuthorizationKey). Stored only as a hash.',
  );

/** 2.0.1 A00 / 1.6 security whitepaper §2: how the station authenticates itself at the handshake. */
export const SecurityProfile = z.union([z.literal(1), z.literal(2), z.literal(3)]).meta({
  id: 'SecurityProfile',
  description:
    '1: HTTP Basic password over ws:// or wss:// (the default, what every station had before profiles); ' +
    '2: HTTP Basic password over TLS only (wss://); 3: TLS client certificate whose subject CN is the ' +
    'station identity, issued by a trusted CA and not revoked; no password.',
});

export const CreateStationRequest = z
  .strictObject({
    id: StationId,
    password: StationPassword.optional().describe(
      'HTTP Basic password (2.0.1 BasicAuthPassword, 1.6 AuthorizationKey), required for security ' +
        'profiles 1 and 2, optional for 3 (kept for a later switch back). Stored only as a hash.',
    ),
    freeCharging: z.boolean().default(false).describe('Accept unknown id tokens at this station.'),
    protocol: Protocol.optional().describe('Accept only this OCPP version at the handshake.'),
    securityProfile: SecurityProfile.default(1),
  })
  .refine((body) => body.securityProfile === 3 || body.password !== undefined, {
    message: 'password is required for security profiles 1 and 2',
    path: ['password'],
  })
  .meta({ id: 'CreateStationRequest' });

export const UpdateStationRequest = z
  .strictObject({
    enabled: z
      .boolean()
      .optional()
      .describe('false: refuse the station at its next connection and answer its BootNotification Rejected.'),
    freeCharging: z.boolean().optional(),
    protocol: Protocol.nullable().optional().describe('Pin to one OCPP version; null accepts every version.'),
    securityProfile: SecurityProfile.optional().describe(
      'Switch the security profile (A05: 2 → 3 once the station has its certificate); applies at its next connection.',
    ),
  })
  .meta({ id: 'UpdateStationRequest' });

export const ConnectorView = z
  .object({
    id: z.number().int(),
    status: z.string().describe("The station's own word: Available, Occupied, Charging, Faulted, ..."),
    statusAt: z.string().describe('When the station says the status began.'),
    errorCode: z.string().nullable().describe('1.6 errorCode other than NoError; else null.'),
  })
  .meta({ id: 'ConnectorView' });

export const EvseView = z
  .object({ id: z.number().int().min(1), connectors: z.array(ConnectorView) })
  .meta({ id: 'EvseView', description: 'An EVSE (a 1.6 connector is an EVSE with connector 1).' });

export const StationStatusView = z
  .object({ status: z.string(), statusAt: z.string(), errorCode: z.string().nullable() })
  .meta({
    id: 'StationStatusView',
    description: 'Status of the station as a whole (1.6 connectorId 0, 2.0.1 EVSE 0).',
  });

export const StationView = z
  .object({
    id: z.string(),
    provisioned: z
      .boolean()
      .describe('false: the station connected unprovisioned and was admitted as Pending.'),
    enabled: z.boolean(),
    freeCharging: z.boolean(),
    pinnedProtocol: Protocol.nullable(),
    securityProfile: SecurityProfile,
    connected: z.boolean(),
    protocol: Protocol.nullable().describe('OCPP version of the current or last connection.'),
    registrationStatus: z
      .enum(['Accepted', 'Pending', 'Rejected'])
      .nullable()
      .describe('Answer to its last BootNotification.'),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    serialNumber: z.string().nullable(),
    firmwareVersion: z.string().nullable(),
    createdAt: z.string(),
    lastSeenAt: z
      .string()
      .nullable()
      .describe(
        'When the CSMS last heard from the station: now while it is connected (a connection idle for ' +
          '10 minutes is closed), otherwise when it connected, booted or disconnected last.',
      ),
    stationStatus: StationStatusView.nullable(),
    evses: z.array(EvseView),
  })
  .meta({ id: 'StationView' });
export type StationView = z.output<typeof StationView>;

export const StationPage = page(StationView).meta({ id: 'StationPage' });

const ListStationsQuery = z.strictObject(pageQuery);

// ---- views -----------------------------------------------------------------------------------

export function stationView(
  station: StationItem,
  connectors: readonly ConnectorItem[],
  now: Date,
): StationView {
  const evses = new Map<number, z.output<typeof ConnectorView>[]>();
  let stationStatus: z.output<typeof StationStatusView> | null = null;
  // ConnectorStore.list is ordered by (evseId, connectorId).
  for (const c of connectors) {
    if (c.evseId === 0) {
      // 1.6 connectorId 0 / 2.0.1 EVSE 0: the station itself, not an EVSE.
      stationStatus ??= { status: c.status, statusAt: c.statusAt, errorCode: c.errorCode ?? null };
      continue;
    }
    const list = evses.get(c.evseId) ?? [];
    list.push({ id: c.connectorId, status: c.status, statusAt: c.statusAt, errorCode: c.errorCode ?? null });
    evses.set(c.evseId, list);
  }
  return {
    id: station.id,
    provisioned: station.provisioned,
    enabled: station.enabled,
    freeCharging: station.freeCharging ?? false,
    pinnedProtocol: station.pinnedProtocol ?? null,
    securityProfile: station.securityProfile ?? 1,
    connected: station.connected ?? false,
    protocol: station.protocol ?? null,
    registrationStatus: station.registrationStatus ?? null,
    vendor: station.vendor ?? null,
    model: station.model ?? null,
    serialNumber: station.serialNumber ?? null,
    firmwareVersion: station.firmwareVersion ?? null,
    createdAt: station.createdAt,
    // Heartbeats write nothing (issue 14): a connected station was seen just now.
    lastSeenAt: station.connected ? now.toISOString() : (station.lastSeenAt ?? null),
    stationStatus,
    evses: [...evses].map(([id, list]) => ({ id, connectors: list })),
  };
}

async function loadView(id: string, deps: ApiDeps): Promise<StationView> {
  const [station, connectors] = await Promise.all([
    deps.store.stations.get(id),
    deps.store.connectors.list(id),
  ]);
  if (!station) throw new NotFoundError(`No station ${id}`);
  return stationView(station, connectors, deps.clock());
}

// ---- operations ------------------------------------------------------------------------------

export const createStation = operation({
  id: 'createStation',
  summary: 'Provision a station (or take over one admitted unprovisioned)',
  body: CreateStationRequest,
  responses: { 201: StationView },
  conflicts: 'conflict: a provisioned station with this id exists',
  async handle({ body }, deps) {
    await deps.store.stations.create({
      id: body.id,
      ...(body.password !== undefined ? { passwordHash: await hashSecret(body.password) } : {}),
      now: deps.clock(),
      freeCharging: body.freeCharging,
      ...(body.protocol ? { pinnedProtocol: body.protocol } : {}),
      securityProfile: body.securityProfile,
    });
    return json(201, await loadView(body.id, deps));
  },
});

export const getStation = operation({
  id: 'getStation',
  summary: 'A station with its EVSEs and connectors',
  params: StationPath,
  responses: { 200: StationView },
  async handle({ params }, deps) {
    return json(200, await loadView(params.id, deps));
  },
});

export const listStations = operation({
  id: 'listStations',
  summary: 'Stations by id, a page at a time, with their EVSEs',
  query: ListStationsQuery,
  responses: { 200: StationPage },
  async handle({ query }, deps) {
    const result = await signedPage(deps.cursors, 'stations', query.cursor, (cursor) =>
      deps.store.stations.list(query.limit, cursor),
    );
    // One Query per station, in parallel: at most 100 (the page size limit).
    const connectors = await Promise.all(result.items.map((s) => deps.store.connectors.list(s.id)));
    const body: z.output<typeof StationPage> = {
      items: result.items.map((s, i) => stationView(s, connectors[i] ?? [], deps.clock())),
      nextCursor: result.nextCursor,
    };
    return json(200, body);
  },
});

export const DeleteStationQuery = z
  .object({
    force: z
      .enum(['true', 'false'])
      .optional()
      .transform((v) => v === 'true')
      .describe('also when connected: its connection is closed'),
  })
  .strict();

export const deleteStation = operation({
  id: 'deleteStation',
  summary:
    'Remove a station and its live state; its transactions, security events and commands are kept. A connected station only with ?force=true (its connection is closed).',
  params: StationPath,
  query: DeleteStationQuery,
  responses: { 204: z.undefined() },
  conflicts: 'conflict: the station is connected (use ?force=true)',
  async handle({ params, query }, deps) {
    const result = await deps.store.stations.delete(params.id, { force: query.force });
    if (result.outcome !== 'deleted') {
      if (result.outcome === 'not-found') throw new NotFoundError(`No station ${params.id}`);
      throw new ConflictError(`Station ${params.id} is connected; disable it first or use ?force=true`);
    }
    if (result.connectionId) await deps.connections.close(result.connectionId);
    return { status: 204 };
  },
});

export const updateStation = operation({
  id: 'updateStation',
  summary:
    'Enable or disable a station, set free charging, pin or unpin its OCPP version, set its security profile',
  params: StationPath,
  body: UpdateStationRequest,
  responses: { 200: StationView },
  async handle({ params, body }, deps) {
    const updated = await deps.store.stations.updateSettings(params.id, {
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      ...(body.freeCharging !== undefined ? { freeCharging: body.freeCharging } : {}),
      ...(body.protocol !== undefined ? { pinnedProtocol: body.protocol } : {}),
      ...(body.securityProfile !== undefined ? { securityProfile: body.securityProfile } : {}),
    });
    if (!updated) throw new NotFoundError(`No station ${params.id}`);
    return json(200, stationView(updated, await deps.store.connectors.list(params.id), deps.clock()));
  },
});
