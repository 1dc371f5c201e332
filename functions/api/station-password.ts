/**
 * Station password rotation (OCPP 1.6 security whitepaper A01, 2.0.1 A01): the command path sets
 * the new password on the station (1.6 ChangeConfiguration AuthorizationKey, 2.x SetVariables
 * SecurityCtrlr.BasicAuthPassword) and switches the stored hash only once the station accepts
 * (A01.FR.03); until then, and if it refuses, the old password keeps working (A01.FR.04).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { StationOfflineError } from '../../shared/calls/types.js';
import {
  COMMAND_CONFLICTS,
  commandQuery,
  commandValidationErrorFor,
  CommandView,
  commandView,
  isFinal,
  waitForOutcome,
} from './commands.js';
import { NotFoundError } from './errors.js';
import { json, operation } from './http.js';
import { StationPassword } from './stations.js';
import { StationPath } from './path-ids.js';

/**
 * A00.FR.205 of the 1.6 security whitepaper: at least 16 bytes, randomly generated, as up to 40
 * hexadecimal digits; 40 hex digits are also a 2.0.1 passwordString (A01.FR.07: random).
 */
export function generatePassword(): string {
  return randomBytes(20).toString('hex');
}

export const RotatePasswordRequest = z
  .strictObject({
    password: StationPassword.optional().describe(
      'The new password; when absent the CSMS generates one (40 hexadecimal digits, 160 random bits).',
    ),
  })
  .meta({ id: 'RotatePasswordRequest' });

export const PasswordRotation = z
  .object({
    password: z
      .string()
      .nullable()
      .describe(
        'The generated password, shown in this answer only (never stored, never logged); null when the request gave one.',
      ),
    command: CommandView,
  })
  .meta({ id: 'PasswordRotation' });

const WaitQuery = z.strictObject({ wait: commandQuery.wait });

export const rotateStationPassword = operation({
  id: 'rotateStationPassword',
  summary: 'Set a new HTTP Basic password on the station; the CSMS switches once the station accepts',
  description:
    'The station must be connected: a password is never queued. Answers 202 with the command ' +
    '(ChangeConfiguration AuthorizationKey / SetVariables BasicAuthPassword, the value shown as ***) ' +
    'and the generated password. When the command completes, only the new password opens a ' +
    'connection; when it is rejected, fails or times out, the old one still does. Then the station ' +
    'reconnects with the new password (2.0.1 A01 step 3).',
  params: StationPath,
  query: WaitQuery,
  body: RotatePasswordRequest,
  bodyOptional: true,
  responses: { 200: PasswordRotation, 202: PasswordRotation },
  conflicts: COMMAND_CONFLICTS,
  async handle({ params, query, body }, deps) {
    const station = await deps.store.stations.get(params.id);
    if (!station) throw new NotFoundError(`No station ${params.id}`);
    if (!station.connected) throw new StationOfflineError(params.id);
    const password = body.password ?? generatePassword();
    const submitted = await commandValidationErrorFor(
      () => deps.commands.rotatePassword(params.id, password, deps.clock()),
      () => 'password',
    );
    const [command = submitted] =
      query.wait > 0 ? await waitForOutcome([submitted], query.wait, deps) : [submitted];
    const answer: z.output<typeof PasswordRotation> = {
      password: body.password === undefined ? password : null,
      command: commandView(command),
    };
    return isFinal(command.status)
      ? json(200, answer)
      : json(202, answer, { location: `/v1/commands/${encodeURIComponent(command.id)}` });
  },
});
