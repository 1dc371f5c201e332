/**
 * Sites (load management, docs/load-management.md): stations behind one grid connection, a limit
 * in A per phase or W, optional time-of-use windows. Every change is recomputed at once (the
 * shares go out as TxProfiles); GET .../allocation shows each active EVSE's limit and why.
 */
import { z } from 'zod';
import { floor1 } from '../../shared/domain/allocation.js';
import {
  isTimeZone,
  limitAt,
  minimumInUnit,
  overlappingWindows,
  type Site,
  type SiteLimit,
} from '../../shared/domain/sites.js';
import {
  SiteChangedError,
  SiteConflictError,
  SiteExistsError,
  type SiteAllocation,
} from '../../shared/store/sites.js';
import { BadRequestError, ConflictError, HttpError, NotFoundError } from './errors.js';
import { json, noContent, operation, type ApiDeps } from './http.js';
import { StationIdParam } from './path-ids.js';

// ---- schemas ---------------------------------------------------------------------------------

export const SiteIdParam = StationIdParam;
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (00:00 to 23:59)');
/** Rates carry one decimal (ChargingSchedulePeriod.limit, K01). */
const Rate = z
  .number()
  .positive()
  .max(10_000_000)
  .refine((v) => floor1(v) === v, 'at most one decimal');

const SiteLimitSchema = z
  .strictObject({
    value: Rate.describe('A: per phase (K01.FR.51); W: in total.'),
    unit: z.enum(['A', 'W']),
    phases: z
      .union([z.literal(1), z.literal(3)])
      .optional()
      .describe('Phases of the grid connection; default 3. Sent as numberPhases when given.'),
  })
  .meta({ id: 'SiteLimit' });

const ScheduleSchema = z
  .strictObject({
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Paris')
      .describe('The time zone the windows are in.'),
    windows: z
      .array(
        z
          .strictObject({
            from: HHMM.describe('Start, inclusive.'),
            to: HHMM.describe('End, exclusive; before `from`: past midnight.'),
            value: Rate.describe("The limit during the window, in the site's unit."),
          })
          .refine((w) => w.from !== w.to, { message: 'from and to must differ', path: ['to'] }),
      )
      .min(1)
      .max(24),
  })
  .superRefine((s, ctx) => {
    const pair = overlappingWindows(s.windows);
    if (pair)
      ctx.addIssue({ code: 'custom', path: ['windows', pair[1]], message: `overlaps window ${pair[0]}` });
  })
  .meta({
    id: 'SiteSchedule',
    description: 'Time-of-use limits: each window replaces the site limit while it lasts.',
  });

const StationIds = z
  .array(StationIdParam)
  .max(500)
  .superRefine((ids, ctx) => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: `${id} is listed twice` });
      seen.add(id);
    });
  });

const Policy = z
  .enum(['minimum', 'wait'])
  .describe(
    'When the minimums of all sessions do not fit: minimum (default), a new session gets its minimum ' +
      'and the longest-charging ones wait; wait, a new session waits for room.',
  );
const Priorities = z
  .record(z.string().min(1).max(36), z.number().int().min(0).max(9))
  .describe('Priority (0-9, higher first) by id-token group id, or by id token; others 0.');

export const CreateSiteRequest = z
  .strictObject({
    id: SiteIdParam,
    name: z.string().min(1).max(100),
    limit: SiteLimitSchema,
    schedule: ScheduleSchema.optional(),
    stationIds: StationIds,
    minimumPolicy: Policy.default('minimum'),
    priorities: Priorities.optional(),
  })
  .meta({ id: 'CreateSiteRequest' });

export const UpdateSiteRequest = z
  .strictObject({
    name: z.string().min(1).max(100).optional(),
    limit: SiteLimitSchema.optional(),
    schedule: ScheduleSchema.nullable().optional().describe('null removes it.'),
    stationIds: StationIds.optional(),
    minimumPolicy: Policy.optional(),
    priorities: Priorities.nullable().optional().describe('null removes them.'),
  })
  .meta({ id: 'UpdateSiteRequest' });

const SiteView = z
  .object({
    id: z.string(),
    name: z.string(),
    limit: SiteLimitSchema,
    schedule: ScheduleSchema.nullable(),
    stationIds: z.array(z.string()),
    minimumPolicy: z.enum(['minimum', 'wait']),
    priorities: z.record(z.string(), z.number()).nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Site' });

const EvseAllocationView = z.object({
  stationId: z.string(),
  evseId: z.number().int(),
  transactionId: z.string(),
  value: z.number().describe('The limit of its TxProfile, in the unit of the allocation (0: waiting).'),
  reason: z
    .enum(['fair-share', 'minimum', 'maximum', 'waiting'])
    .describe(
      'fair-share: an equal part of what its priority got; minimum: only its minimum fits; waiting: not ' +
        'admitted (the minimums of the sessions ranked before it use the limit).',
    ),
  minimum: z.number().describe('Its minimum charging rate (reported by the station, else 6 A).'),
  priority: z.number().int(),
  profile: z.object({
    state: z
      .enum(['pending', 'applied', 'rejected', 'none'])
      .describe(
        'rejected: the station refused it, once more after a retry; not sent again until the share changes.',
      ),
    commandId: z.string().nullable().describe('The last SetChargingProfile (GET /v1/commands/{id}).'),
    attempts: z.number().int(),
    error: z.string().nullable().describe("The station's status or error code when rejected."),
  }),
});

const AllocationView = z
  .object({
    siteId: z.string(),
    limit: z.number().describe('The limit in force (a window value inside one).'),
    unit: z.enum(['A', 'W']),
    phases: z.number().int().nullable(),
    window: z.string().nullable().describe('HH:MM-HH:MM of the time-of-use window in force.'),
    computedAt: z
      .string()
      .nullable()
      .describe('null: not computed yet (no session since the site was created).'),
    evses: z.array(EvseAllocationView),
  })
  .meta({ id: 'SiteAllocation' });

const SiteList = z.object({ items: z.array(SiteView) }).meta({ id: 'SiteList' });
const SitePath = z.object({ id: SiteIdParam });

// ---- views -----------------------------------------------------------------------------------

function view(site: Site): z.output<typeof SiteView> {
  return {
    id: site.id,
    name: site.name,
    limit: site.limit,
    schedule: site.schedule
      ? { timeZone: site.schedule.timeZone, windows: [...site.schedule.windows] }
      : null,
    stationIds: [...site.stationIds],
    minimumPolicy: site.minimumPolicy,
    priorities: site.priorities ? { ...site.priorities } : null,
    createdAt: site.createdAt,
    updatedAt: site.updatedAt,
  };
}

function allocationView(
  site: Site,
  a: SiteAllocation | undefined,
  now: Date,
): z.output<typeof AllocationView> {
  const current = limitAt(site, now);
  return {
    siteId: site.id,
    limit: a?.limit ?? current.value,
    unit: a?.unit ?? site.limit.unit,
    phases: a?.phases ?? site.limit.phases ?? null,
    window: a ? (a.window ?? null) : current.window ? `${current.window.from}-${current.window.to}` : null,
    computedAt: a?.computedAt ?? null,
    evses: (a?.evses ?? []).map((e) => ({
      stationId: e.stationId,
      evseId: e.evseId,
      transactionId: e.transactionId,
      value: e.value,
      reason: e.reason,
      minimum: e.minimum,
      priority: e.priority,
      profile: {
        state: e.profileState,
        commandId: e.commandId ?? null,
        attempts: e.attempts,
        error: e.profileError ?? null,
      },
    })),
  };
}

// ---- checks ----------------------------------------------------------------------------------

function sitesDeps(deps: ApiDeps): NonNullable<ApiDeps['sites']> {
  if (!deps.sites) throw new HttpError(500, 'internal', 'Load management is not configured');
  return deps.sites;
}

const fmt = (value: number, limit: SiteLimit): string => `${Math.round(value * 10) / 10} ${limit.unit}`;

/**
 * Every station exists, and every limit the site can have (its limit, each window's) holds the
 * stations' minimum rates (one session per station): else a 400 with the numbers.
 */
async function check(site: Site, deps: ApiDeps): Promise<void> {
  const minimums: { stationId: string; value: number }[] = [];
  for (const stationId of site.stationIds) {
    const station = await deps.store.stations.get(stationId);
    if (!station) {
      const message = `No station ${stationId}: provision it first (POST /v1/stations)`;
      throw new BadRequestError(message, [{ path: 'stationIds', message }]);
    }
    const amps = await sitesDeps(deps).minimumAmps(stationId, station.protocol ?? station.pinnedProtocol);
    minimums.push({ stationId, value: minimumInUnit(amps, site.limit) });
  }
  const total = minimums.reduce((sum, m) => sum + m.value, 0);
  const limits = [
    { path: 'limit.value', value: site.limit.value, what: 'The site limit' },
    ...(site.schedule?.windows.map((w, i) => ({
      path: `schedule.windows.${i}.value`,
      value: w.value,
      what: `The limit of window ${w.from}-${w.to}`,
    })) ?? []),
  ];
  for (const l of limits) {
    if (l.value + 1e-9 < total) {
      const each = minimums.map((m) => `${m.stationId} ${fmt(m.value, site.limit)}`).join(', ');
      const message =
        `${l.what}, ${fmt(l.value, site.limit)}, is below the sum of the stations' minimum charging rates, ` +
        `${fmt(total, site.limit)} (${each})`;
      throw new BadRequestError(message, [{ path: l.path, message }]);
    }
  }
}

/**
 * The change is stored: a recompute that fails now (a station table read, the bus) is logged, not
 * a failed request; the site's next transaction event or profile answer recomputes it.
 */
async function recomputeNow(siteId: string, deps: ApiDeps): Promise<void> {
  try {
    await sitesDeps(deps).recompute(siteId);
  } catch (error) {
    deps.log.error('Site recompute after a change failed', { error: error as Error, siteId });
  }
}

async function write<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (
      error instanceof SiteConflictError ||
      error instanceof SiteExistsError ||
      error instanceof SiteChangedError
    ) {
      throw new ConflictError(error.message);
    }
    throw error;
  }
}

// ---- operations ------------------------------------------------------------------------------

export const createSite = operation({
  id: 'createSite',
  summary: 'Create a site: stations behind one grid connection, sharing its limit',
  description:
    "400 names the field: an unknown station, overlapping windows, a limit (or a window's) below the sum " +
    "of the stations' minimum charging rates (the message gives the numbers). The stations' active " +
    'sessions get their shares at once.',
  body: CreateSiteRequest,
  responses: { 201: SiteView },
  conflicts: 'The site id exists, or a station is already in another site (a station is in one site only).',
  async handle({ body }, deps) {
    const now = deps.clock().toISOString();
    const site: Site = {
      id: body.id,
      name: body.name,
      limit: body.limit,
      ...(body.schedule ? { schedule: body.schedule } : {}),
      stationIds: body.stationIds,
      minimumPolicy: body.minimumPolicy,
      ...(body.priorities ? { priorities: body.priorities } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await check(site, deps);
    await write(() => deps.store.sites.create(site));
    await recomputeNow(site.id, deps);
    return json(201, view(site), { location: `/v1/sites/${encodeURIComponent(site.id)}` });
  },
});

export const listSites = operation({
  id: 'listSites',
  summary: 'Every site, by id',
  responses: { 200: SiteList },
  async handle(_input, deps) {
    return json(200, { items: (await deps.store.sites.list()).map(view) });
  },
});

async function found(id: string, deps: ApiDeps): Promise<Site> {
  const site = await deps.store.sites.get(id);
  if (!site) throw new NotFoundError(`No site ${id}`);
  return site;
}

export const getSite = operation({
  id: 'getSite',
  summary: 'A site',
  params: SitePath,
  responses: { 200: SiteView },
  async handle({ params }, deps) {
    return json(200, view(await found(params.id, deps)));
  },
});

export const updateSite = operation({
  id: 'updateSite',
  summary: "Change a site's name, limit, schedule, stations, policy or priorities; recomputed at once",
  description: 'The same checks as createSite on the site as it would become.',
  params: SitePath,
  body: UpdateSiteRequest,
  responses: { 200: SiteView },
  conflicts: 'An added station is in another site, or the site changed meanwhile (read it again).',
  async handle({ params, body }, deps) {
    const before = await found(params.id, deps);
    const { schedule, priorities } = body;
    const { schedule: _s, priorities: _p, ...base } = before;
    const nextSchedule = schedule === undefined ? before.schedule : (schedule ?? undefined);
    const nextPriorities = priorities === undefined ? before.priorities : (priorities ?? undefined);
    let updatedAt = deps.clock().toISOString();
    if (updatedAt <= before.updatedAt) updatedAt = new Date(Date.parse(before.updatedAt) + 1).toISOString();
    const after: Site = {
      ...base,
      name: body.name ?? before.name,
      limit: body.limit ?? before.limit,
      stationIds: body.stationIds ?? before.stationIds,
      minimumPolicy: body.minimumPolicy ?? before.minimumPolicy,
      ...(nextSchedule ? { schedule: nextSchedule } : {}),
      ...(nextPriorities ? { priorities: nextPriorities } : {}),
      updatedAt,
    };
    await check(after, deps);
    await write(() => deps.store.sites.update(before, after));
    await recomputeNow(after.id, deps);
    return json(200, view(after));
  },
});

export const deleteSite = operation({
  id: 'deleteSite',
  summary: 'Delete a site: its stations are free again (profiles already sent last until their sessions end)',
  params: SitePath,
  responses: { 204: null },
  async handle({ params }, deps) {
    await deps.store.sites.delete(await found(params.id, deps));
    return noContent;
  },
});

export const getSiteAllocation = operation({
  id: 'getSiteAllocation',
  summary: "Each active EVSE's limit now and why (fair share, minimum, waiting; its profile's state)",
  params: SitePath,
  responses: { 200: AllocationView },
  async handle({ params }, deps) {
    const site = await found(params.id, deps);
    return json(200, allocationView(site, await deps.store.sites.allocation(site.id), deps.clock()));
  },
});
