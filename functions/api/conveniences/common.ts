/**
 * Version-neutral commands: one request for every OCPP version, turned into the message of the
 * station's version by ../command-mapping/ and sent through the command path. Each answers like
 * the raw route: 202 with the command, `wait`, `queue=false`, `Idempotency-Key`. One module per
 * family of commands (station control, transactions, configuration, authorization, reservations,
 * smart charging); this one holds the schemas and operation fields they share.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import type { Outgoing } from '../command-mapping/outgoing.js';
import {
  COMMAND_CONFLICTS,
  CommandHeaders,
  commandQuery,
  commandResponses,
  requestOf,
  sendCommand,
  type CommandQuery as CommandQueryFields,
} from '../commands.js';
import { operation, type Operation } from '../http.js';
import { StationPath } from '../path-ids.js';

/** A positive int32 for the ids the CSMS chooses (remoteStartId, reservation id, requestId). */
export const newId = (): number => randomInt(1, 2 ** 31 - 1);

export const EvseId = z
  .number()
  .int()
  .min(0)
  .describe('EVSE id (in OCPP 1.6: the connectorId; 0 is the station).');
export const PositiveEvseId = z.number().int().min(1).describe('EVSE id (in OCPP 1.6: the connectorId).');
export const ConnectorId = z
  .number()
  .int()
  .min(1)
  .describe('Connector of the EVSE (2.x); in OCPP 1.6 every EVSE has connector 1 only.');
export const IdTokenValue = z
  .string()
  .min(1)
  .max(36)
  .describe('The id token (2.0.1 idToken; a 1.6 idTag: at most 20).');
export const Int32 = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

export const CommandQuery = z.strictObject(commandQuery);

/** The fields every convenience operation shares: the station path, headers and answers. */
const common = {
  params: StationPath,
  headers: CommandHeaders,
  responses: commandResponses,
  conflicts: COMMAND_CONFLICTS,
} as const;

/**
 * A convenience operation: `build` turns the validated request into the message of the station's
 * version (../command-mapping/), which is sent like a raw command (202 with the command, `wait`,
 * `queue=false`, `Idempotency-Key`; the whole request is the idempotency fingerprint).
 */
export function convenience<
  Q extends CommandQueryFields,
  B = undefined,
  P extends { readonly id: string } = { readonly id: string },
>(op: {
  readonly id: string;
  readonly summary: string;
  readonly description?: string;
  readonly params?: z.ZodType<P>;
  readonly query: z.ZodType<Q>;
  readonly body?: z.ZodType<B>;
  readonly build: (
    protocol: OcppProtocol,
    request: { readonly params: P; readonly query: Q; readonly body: B },
  ) => Outgoing;
}): Operation<P, Q, B, CommandHeaders> {
  const { build, ...described } = op;
  return operation<P, Q, B, CommandHeaders>({
    ...common,
    params: StationPath as unknown as z.ZodType<P>,
    ...described,
    async handle({ params, query, body, headers }, deps) {
      const request = { params, query, body };
      return sendCommand(
        params.id,
        (p) => build(p, request),
        query,
        headers,
        deps,
        requestOf(op.id, request),
      );
    },
  });
}
