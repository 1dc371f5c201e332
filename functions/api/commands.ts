/**
 * Remote commands: the command view, the raw command routes, and what every command route shares
 * (submit through the one command path, `wait`, `queue`, `Idempotency-Key`, the 202 answer).
 * The command path itself (validation against the station's version, queueing, sending, time
 * outs) is shared/calls; this module only asks it and reports.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import {
  CommandValidationError,
  FINAL_STATUSES,
  ProtocolUnknownError,
  StationNotFoundError,
  type Command,
  type CommandStatus as CommandStatusValue,
} from '../../shared/calls/types.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import { commandProtocol } from '../../shared/calls/actions.js';
import { CALLS } from '../ocpp/calls.js';
import { requestFingerprint } from '../../shared/calls/json.js';
import { passwordField } from './command-mapping/configuration.js';
import type { Outgoing } from './command-mapping/outgoing.js';
import { BadRequestError, commandValidationError, NotFoundError } from './errors.js';
import { booleanQuery, json, operation, page, pageQuery, type ApiDeps, type ApiResult } from './http.js';
import { Protocol } from './stations.js';
import { CommandIdParam, StationPath } from './path-ids.js';
import { signedPage } from './cursors.js';

// ---- schemas ---------------------------------------------------------------------------------

export const CommandStatus = z.enum(['queued', 'sent', 'completed', 'rejected', 'failed', 'timeout']).meta({
  id: 'CommandStatus',
  description:
    'queued: waiting for the station (offline, or another command outstanding); sent: the CALL went out; ' +
    'completed: a valid answer whose status (if any) is a success; rejected: a valid answer that says no ' +
    '(Rejected, NotSupported, ...); failed: a CALLERROR, an invalid answer, or the CALL could not be sent; ' +
    'timeout: no answer in time, or the station stayed offline past the queue deadline. ' +
    'The last four are final.',
});

export const CommandErrorView = z
  .object({
    code: z
      .string()
      .describe("An OCPP error code of the station's CALLERROR, or InvalidResponse, SendFailed, Timeout."),
    description: z.string(),
    details: z.unknown().describe('As the station sent them; null when none.'),
  })
  .meta({ id: 'CommandError' });

export const CommandResultView = z
  .object({
    action: z.string(),
    payload: z.record(z.string(), z.unknown()),
    receivedAt: z.string(),
  })
  .meta({
    id: 'CommandResult',
    description:
      'A station message tied to the command by its requestId (NotifyReport to GetBaseReport, ...).',
  });

export const CommandView = z
  .object({
    id: z.string(),
    stationId: z.string(),
    protocol: Protocol.describe('The OCPP version the command was validated against.'),
    action: z.string().describe('The OCPP action sent.'),
    status: CommandStatus,
    request: z
      .record(z.string(), z.unknown())
      .describe('The OCPP payload sent (a station password shows as ***).'),
    response: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("The station's CALLRESULT payload; null until it answered."),
    error: CommandErrorView.nullable(),
    createdAt: z.string(),
    sentAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    messageId: z.string().nullable().describe('The OCPP message id of the CALL, once sent.'),
    idempotencyKey: z.string().nullable(),
    requestId: z.number().int().nullable().describe('requestId of the payload, when the action has one.'),
    results: z.array(CommandResultView).describe('The first results (at most 100).'),
    resultCount: z.number().int().describe('How many results arrived in all.'),
  })
  .meta({ id: 'CommandView' });
export type CommandView = z.output<typeof CommandView>;

export const CommandList = z
  .object({ commands: z.array(CommandView).describe('In the order they go to the station.') })
  .meta({ id: 'CommandList' });
export type CommandList = z.output<typeof CommandList>;

export const CommandPage = page(CommandView).meta({ id: 'CommandPage' });

export const SubmitCommandRequest = z
  .strictObject({
    action: z
      .string()
      .regex(/^[A-Za-z0-9]{1,64}$/, 'must be an OCPP action name (letters and digits)')
      .describe("A CSMS-to-station action of the station's OCPP version: Reset, GetVariables, ..."),
    payload: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("The request payload as the official schema of the station's version defines it."),
  })
  .meta({ id: 'SubmitCommandRequest' });

/** API Gateway HTTP APIs end a request after 30 s; the function has 29. */
export const MAX_WAIT_SECONDS = 25;

/** Query parameters of every route that sends a command. */
export const commandQuery = {
  wait: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(0)
    .describe(
      `Seconds (0 to ${MAX_WAIT_SECONDS}) to wait for the outcome: 200 with the final command, ` +
        'or 202 if it is still pending when the time is up. Default 0: answer 202 at once.',
    ),
  queue: booleanQuery(
    'false: answer 409 station_offline instead of queueing the command while the station is not connected. Default true.',
  ),
};

export const CommandHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,64}$/, 'must be 1 to 64 visible ASCII characters')
    .optional()
    .describe('A retried request with the same key returns the first command(s) instead of sending again.'),
});

const CommandPath = z.object({ id: CommandIdParam });
const WaitQuery = z.strictObject({ wait: commandQuery.wait });
const SubmitQuery = z.strictObject(commandQuery);
const ListQuery = z.strictObject(pageQuery);

export type CommandQuery = z.output<typeof SubmitQuery>;
export type CommandHeaders = z.output<typeof CommandHeaders>;

// ---- views -----------------------------------------------------------------------------------

export function commandView(c: Command): CommandView {
  return {
    id: c.id,
    stationId: c.stationId,
    protocol: c.protocol,
    action: c.action,
    status: c.status,
    // Stored redacted already; redacted again so that no path shows a password.
    request: CALLS[c.protocol][c.action]?.password?.redact(c.payload) ?? c.payload,
    response: c.response ?? null,
    error: c.error
      ? { code: c.error.code, description: c.error.description, details: c.error.details ?? null }
      : null,
    createdAt: c.createdAt,
    sentAt: c.sentAt ?? null,
    completedAt: c.completedAt ?? null,
    messageId: c.messageId ?? null,
    idempotencyKey: c.idempotencyKey ?? null,
    requestId: c.requestId ?? null,
    results: (c.results ?? []).map((r) => ({
      action: r.action,
      payload: r.payload,
      receivedAt: r.receivedAt,
    })),
    resultCount: c.resultCount ?? c.results?.length ?? 0,
  };
}

export const isFinal = (status: CommandStatusValue): boolean => FINAL_STATUSES.includes(status);

// ---- the command path ------------------------------------------------------------------------

/** The OCPP version a station's commands are built for, by the command path's own rule. */
export async function stationProtocol(stationId: string, deps: ApiDeps): Promise<OcppProtocol> {
  const station = await deps.store.stations.get(stationId);
  if (!station) throw new StationNotFoundError(stationId);
  const protocol = commandProtocol(station);
  if (!protocol) throw new ProtocolUnknownError(stationId);
  return protocol;
}

export interface SubmitOptions {
  readonly queue?: boolean | undefined;
  readonly idempotencyKey?: string | undefined;
  /** requestOf(...) of the HTTP request: the same Idempotency-Key for another request is a 422. */
  readonly request?: string | undefined;
}

/**
 * The fingerprint of a request an Idempotency-Key stands for: the operation (method and route),
 * its path parameters, body and the query parameters that shape the command (not `wait` or
 * `queue`, which only say how to answer). A retry is the same request even if its remoteStartId
 * or requestId (chosen by the CSMS) would differ.
 */
export function requestOf(
  operationId: string,
  request: { readonly params?: unknown; readonly query?: unknown; readonly body?: unknown },
): string {
  const { wait: _wait, queue: _queue, ...shaping } = (request.query ?? {}) as Record<string, unknown>;
  return requestFingerprint({ operationId, params: request.params, query: shaping, body: request.body });
}

/** Runs a submission; a payload the station's version refuses is a 400 naming the request field. */
export async function commandValidationErrorFor<T>(
  run: () => Promise<T>,
  toField: ((ocppPath: string) => string) | undefined,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof CommandValidationError) throw commandValidationError(error, toField);
    throw error;
  }
}

/** Submits one command through the command path. */
export async function submit(
  stationId: string,
  outgoing: Outgoing,
  options: SubmitOptions,
  deps: ApiDeps,
): Promise<Command> {
  return commandValidationErrorFor(
    () =>
      deps.commands.submit(
        {
          stationId,
          action: outgoing.action,
          payload: outgoing.payload,
          ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
          ...(options.idempotencyKey !== undefined && options.request !== undefined
            ? { requestFingerprint: options.request }
            : {}),
          ...(options.queue === false ? { queueIfOffline: false } : {}),
        },
        deps.clock(),
      ),
    outgoing.toField,
  );
}

const POLL_FIRST_MS = 100;
const POLL_MS = 250;

/** Reads the commands again until each is final or `seconds` have passed. */
export async function waitForOutcome(
  commands: readonly Command[],
  seconds: number,
  deps: ApiDeps,
): Promise<Command[]> {
  const current = [...commands];
  const deadline = Date.now() + seconds * 1000;
  for (let round = 0; current.some((c) => !isFinal(c.status)); round++) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await sleep(Math.min(left, round < 3 ? POLL_FIRST_MS : POLL_MS));
    for (const [i, c] of current.entries()) {
      if (isFinal(c.status)) continue;
      current[i] = (await deps.commands.get(c.id)) ?? c;
    }
  }
  return current;
}

/** 202 with the command (Location: its URL), or 200 once it is final (after `wait`). */
export async function answerCommand(command: Command, wait: number, deps: ApiDeps): Promise<ApiResult> {
  const [latest = command] = wait > 0 ? await waitForOutcome([command], wait, deps) : [command];
  return isFinal(latest.status)
    ? json(200, commandView(latest))
    : json(202, commandView(latest), { location: `/v1/commands/${encodeURIComponent(latest.id)}` });
}

/** Submits one command built for the station's version and answers as every command route does. */
export async function sendCommand(
  stationId: string,
  build: (protocol: OcppProtocol) => Outgoing,
  query: CommandQuery,
  headers: CommandHeaders | undefined,
  deps: ApiDeps,
  request: string,
): Promise<ApiResult> {
  const outgoing = build(await stationProtocol(stationId, deps));
  const command = await submit(
    stationId,
    outgoing,
    { queue: query.queue, idempotencyKey: headers?.['idempotency-key'], request },
    deps,
  );
  return answerCommand(command, query.wait, deps);
}

/** Every route that sends one command documents the same answers. */
export const commandResponses = { 200: CommandView, 202: CommandView } as const;
export const COMMAND_CONFLICTS =
  'station_offline: the station is not connected and queue=false; protocol_unknown: it never connected and is not pinned to a version, so no payload can be built or validated';

// ---- operations ------------------------------------------------------------------------------

export const submitCommand = operation({
  id: 'submitCommand',
  summary: "Send any CSMS-initiated OCPP message of the station's version (raw)",
  description:
    "The payload is validated against the official schema of the station's OCPP version before " +
    'anything is sent: 400 names the field (`payload.type`). The station password is set only ' +
    'through POST /v1/stations/{id}/password.',
  params: StationPath,
  query: SubmitQuery,
  body: SubmitCommandRequest,
  headers: CommandHeaders,
  responses: commandResponses,
  conflicts: COMMAND_CONFLICTS,
  async handle({ params, query, body, headers }, deps) {
    const password = passwordField(body.action, body.payload);
    if (password !== undefined) {
      throw new BadRequestError('The station password changes only through POST /v1/stations/{id}/password', [
        { path: `payload.${password}`, message: 'use POST /v1/stations/{id}/password' },
      ]);
    }
    const command = await submit(
      params.id,
      {
        action: body.action,
        payload: body.payload,
        toField: (path) => (path === '' ? 'payload' : `payload.${path}`),
      },
      {
        queue: query.queue,
        idempotencyKey: headers['idempotency-key'],
        request: requestOf('submitCommand', { params, query, body }),
      },
      deps,
    );
    return answerCommand(command, query.wait, deps);
  },
});

export const getCommand = operation({
  id: 'getCommand',
  summary: 'A command: status, request, response or error, timestamps',
  description: 'With `wait`, answers as soon as the command is final or the time is up; always 200.',
  params: CommandPath,
  query: WaitQuery,
  responses: { 200: CommandView },
  async handle({ params, query }, deps) {
    const command = await deps.commands.get(params.id);
    if (!command) throw new NotFoundError(`No command ${params.id}`);
    const [latest = command] = query.wait > 0 ? await waitForOutcome([command], query.wait, deps) : [command];
    return json(200, commandView(latest));
  },
});

export const listStationCommands = operation({
  id: 'listStationCommands',
  summary: "A station's commands, a page at a time",
  params: StationPath,
  query: ListQuery,
  responses: { 200: CommandPage },
  async handle({ params, query }, deps) {
    if (!(await deps.store.stations.get(params.id))) throw new NotFoundError(`No station ${params.id}`);
    const result = await signedPage(deps.cursors, `commands:${params.id}`, query.cursor, (cursor) =>
      deps.commands.listForStation(params.id, query.limit, cursor),
    );
    const body: z.output<typeof CommandPage> = {
      items: result.items.map(commandView),
      nextCursor: result.nextCursor,
    };
    return json(200, body);
  },
});
