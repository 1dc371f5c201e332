/**
 * Firmware rollouts (functions/rollout): start one over many stations, watch its waves and
 * per-station results, pause, resume or abort it. The state machine does the work; these routes
 * validate, store and start it (docs/adr/0012-firmware-rollouts.md).
 */
import { z } from 'zod';
import { base64Problem, pemCertificateProblem } from '../../shared/pki/pem.js';
import type { Rollout, RolloutStation } from '../../shared/domain/rollouts.js';
import {
  abortRollout,
  counts,
  createRollout,
  pauseRollout,
  resumeRollout,
  RolloutConflictError,
  RolloutInputError,
  RolloutNotFoundError,
  RolloutStateError,
  type RolloutDeps,
} from '../rollout/service.js';
import { signedPage } from './cursors.js';
import { BadRequestError, ConflictError, HttpError, NotFoundError } from './errors.js';
import { json, operation, page, pageQuery, type ApiDeps } from './http.js';
import { CommandIdParam, StationIdParam } from './path-ids.js';

// ---- schemas ---------------------------------------------------------------------------------

const isoDateTime = z.iso.datetime({ offset: true });

/** 2.0.1 FirmwareType.location is string[512]; 1.6 location is a URI. */
const FirmwareLocation = z
  .string()
  .max(512, 'must be at most 512 characters')
  .refine((v) => {
    try {
      return ['http:', 'https:', 'ftp:', 'ftps:', 'sftp:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s), ftp(s) or sftp URL');

export const RolloutFirmware = z
  .strictObject({
    location: FirmwareLocation.describe('Where stations download the image.'),
    version: z
      .string()
      .min(1)
      .max(50)
      .describe('The version the image installs (BootNotification firmwareVersion after it).'),
    retrieveAt: isoDateTime.optional().describe('When stations download; default: at once.'),
    installAt: isoDateTime.optional().describe('2.0.1 / signed 1.6 installDateTime.'),
    signature: z
      .string()
      .min(1)
      .max(800)
      .optional()
      .describe('Base64 signature of the image: 1.6 stations get SignedUpdateFirmware.'),
    signingCertificate: z.string().min(1).max(5500).optional().describe('PEM; required with a signature.'),
  })
  .superRefine((f, ctx) => {
    // Issue 11: a signature or certificate the station could not parse is refused here, by field.
    const signatureProblem = f.signature === undefined ? undefined : base64Problem(f.signature);
    if (signatureProblem) ctx.addIssue({ code: 'custom', path: ['signature'], message: signatureProblem });
    const certificateProblem =
      f.signingCertificate === undefined ? undefined : pemCertificateProblem(f.signingCertificate);
    if (certificateProblem) {
      ctx.addIssue({ code: 'custom', path: ['signingCertificate'], message: certificateProblem });
    }
    if (f.signature !== undefined && f.signingCertificate === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['signingCertificate'],
        message: 'Required with a signature (the station checks the signature against it)',
      });
    }
  })
  .meta({ id: 'RolloutFirmware' });

export const RolloutTarget = z
  .strictObject({
    stationIds: z
      .array(StationIdParam)
      .min(1)
      .max(5000)
      .optional()
      .describe('These stations (with a filter: those of them that match it).'),
    filter: z
      .strictObject({
        vendor: z.string().min(1).max(50).optional(),
        model: z.string().min(1).max(50).optional(),
        firmwareVersion: z.string().min(1).max(50).optional(),
      })
      .optional()
      .describe('Stations whose last BootNotification matches every field given.'),
  })
  .superRefine((t, ctx) => {
    if (t.stationIds === undefined && t.filter === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'Give stationIds, a filter, or both' });
    }
    const seen = new Set<string>();
    t.stationIds?.forEach((id, i) => {
      if (seen.has(id))
        ctx.addIssue({ code: 'custom', path: ['stationIds', i], message: `${id} is listed twice` });
      seen.add(id);
    });
  })
  .meta({ id: 'RolloutTarget' });

export const RolloutPolicy = z
  .strictObject({
    canary: z.number().int().min(1).max(1000).describe('Stations of the first wave.'),
    batchSize: z.number().int().min(1).max(1000).describe('Stations of each later wave.'),
    maxFailurePercent: z
      .number()
      .min(0)
      .max(100)
      .describe('A wave whose failed share is above this trips the health gate.'),
    onThreshold: z.enum(['pause', 'abort']).default('pause'),
    stationTimeoutSeconds: z
      .number()
      .int()
      .min(1)
      .max(7 * 86_400)
      .default(3600)
      .describe('A station not final this long after its wave started is skipped (never reached) or failed.'),
    pollSeconds: z.number().int().min(1).max(3600).default(30).describe('How often a wave is checked.'),
  })
  .meta({ id: 'RolloutPolicy' });

export const CreateRolloutRequest = z
  .strictObject({ firmware: RolloutFirmware, target: RolloutTarget, policy: RolloutPolicy })
  .meta({ id: 'CreateRolloutRequest' });

const RolloutStateView = z.enum(['running', 'paused', 'completed', 'aborted', 'failed']).meta({
  id: 'RolloutState',
  description:
    'completed: ran through all its waves, whatever its failures (see counts); failed: could not run.',
});

const RolloutCounts = z.object({
  total: z.number().int(),
  pending: z.number().int(),
  inProgress: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

const WaveView = z.object({
  index: z.number().int().describe('0 is the canary.'),
  size: z.number().int(),
  state: z.enum(['pending', 'running', 'done']),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  succeeded: z.number().int().nullable(),
  failed: z.number().int().nullable(),
  skipped: z.number().int().nullable(),
  failurePercent: z.number().nullable(),
});

const RolloutStationView = z.object({
  stationId: z.string(),
  wave: z.number().int().describe('-1: already on the target version, never sent.'),
  status: z.enum(['pending', 'in-progress', 'succeeded', 'failed', 'skipped']),
  firmwareStatus: z.string().nullable().describe('The latest firmware status the station reported for it.'),
  reason: z.string().nullable(),
  commandId: z.string().nullable().describe('The firmware command (GET /v1/commands/{id}).'),
  updatedAt: z.string(),
});

const RolloutSummary = z.object({
  id: z.string(),
  state: RolloutStateView,
  reason: z.string().nullable().describe('Why it paused, aborted or failed.'),
  firmware: z.object({ location: z.string(), version: z.string() }).passthrough(),
  policy: z.object(RolloutPolicy.shape),
  waves: z.array(WaveView),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const RolloutView = RolloutSummary.extend({
  counts: RolloutCounts,
  stations: z.array(RolloutStationView),
}).meta({ id: 'Rollout' });

export const RolloutPage = page(RolloutSummary).meta({ id: 'RolloutPage' });
const RolloutAccepted = z.object({ id: z.string(), state: RolloutStateView }).meta({ id: 'RolloutAccepted' });

const RolloutPath = z.object({ id: CommandIdParam });

// ---- views -----------------------------------------------------------------------------------

function summary(r: Rollout): z.output<typeof RolloutSummary> {
  return {
    id: r.id,
    state: r.state,
    reason: r.reason ?? null,
    firmware: { ...r.firmware },
    policy: r.policy,
    waves: r.waves.map((w) => ({
      index: w.index,
      size: w.size,
      state: w.state,
      startedAt: w.startedAt ?? null,
      completedAt: w.completedAt ?? null,
      succeeded: w.succeeded ?? null,
      failed: w.failed ?? null,
      skipped: w.skipped ?? null,
      failurePercent: w.failurePercent ?? null,
    })),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

function view(r: Rollout, stations: readonly RolloutStation[]): z.output<typeof RolloutView> {
  return {
    ...summary(r),
    counts: counts(stations),
    stations: stations.map((s) => ({
      stationId: s.stationId,
      wave: s.wave,
      status: s.status,
      firmwareStatus: s.firmwareStatus ?? null,
      reason: s.reason ?? null,
      commandId: s.commandId ?? null,
      updatedAt: s.updatedAt,
    })),
  };
}

// ---- operations ------------------------------------------------------------------------------

function rolloutDeps(deps: ApiDeps): RolloutDeps {
  if (!deps.rollouts) throw new HttpError(500, 'internal', 'Firmware rollouts are not configured');
  return { store: deps.store, commands: deps.commands, clock: deps.clock, ...deps.rollouts };
}

/** The rollout service's errors as HTTP errors. */
async function answer<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof RolloutInputError) {
      throw new BadRequestError(error.message, [{ path: error.field, message: error.message }]);
    }
    if (error instanceof RolloutConflictError || error instanceof RolloutStateError) {
      throw new ConflictError(error.message);
    }
    if (error instanceof RolloutNotFoundError) throw new NotFoundError(error.message);
    throw error;
  }
}

export const startRollout = operation({
  id: 'startRollout',
  summary: 'Start a firmware rollout: a canary wave, then batches, each behind a health gate',
  description:
    'Resolves the target stations (those already on `firmware.version` are skipped), plans the waves and ' +
    'starts the rollout state machine. 400 names the field: no matching station, an invalid URL, a ' +
    'signature without signingCertificate, canary or batchSize below 1, maxFailurePercent outside 0-100.',
  body: CreateRolloutRequest,
  responses: { 202: RolloutAccepted },
  conflicts: 'A target station is in another active (running or paused) rollout: the message names both.',
  async handle({ body }, deps) {
    const rollout = await answer(() => createRollout(body, rolloutDeps(deps)));
    return json(
      202,
      { id: rollout.id, state: rollout.state },
      { location: `/v1/firmware/rollouts/${rollout.id}` },
    );
  },
});

export const getRollout = operation({
  id: 'getRollout',
  summary: 'A rollout: state, waves, counts and the result of every station',
  params: RolloutPath,
  responses: { 200: RolloutView },
  async handle({ params }, deps) {
    const r = await deps.store.rollouts.get(params.id);
    if (!r) throw new NotFoundError(`No rollout ${params.id}`);
    return json(200, view(r, await deps.store.rollouts.stations(r.id)));
  },
});

export const listRollouts = operation({
  id: 'listRollouts',
  summary: 'Rollouts, oldest first, a page at a time (without their stations)',
  query: z.strictObject(pageQuery),
  responses: { 200: RolloutPage },
  async handle({ query }, deps) {
    const result = await signedPage(deps.cursors, 'rollouts', query.cursor, (cursor) =>
      deps.store.rollouts.list(query.limit, cursor),
    );
    return json(200, { items: result.items.map(summary), nextCursor: result.nextCursor });
  },
});

function control(
  id: string,
  summaryText: string,
  states: string,
  run: (rolloutId: string, deps: RolloutDeps) => Promise<Rollout>,
) {
  return operation({
    id,
    summary: summaryText,
    params: RolloutPath,
    responses: { 200: RolloutAccepted },
    conflicts: `The rollout is not ${states}.`,
    async handle({ params }, deps) {
      const r = await answer(() => run(params.id, rolloutDeps(deps)));
      return json(200, { id: r.id, state: r.state });
    },
  });
}

export const pauseRolloutOp = control(
  'pauseRollout',
  'Pause a running rollout: the wave under way finishes, no new wave starts',
  'running',
  pauseRollout,
);
export const resumeRolloutOp = control(
  'resumeRollout',
  'Resume a paused rollout from its next wave',
  'paused',
  resumeRollout,
);
export const abortRolloutOp = control(
  'abortRollout',
  'Abort a running or paused rollout for good: stations not done are skipped and freed',
  'running or paused',
  abortRollout,
);
