/**
 * The contract of the one command path (CSMS-initiated OCPP calls). Implemented in this folder;
 * used by the HTTP API (functions/api) and, later, the firmware rollouts. Nothing else sends to a
 * station.
 *
 * Lifecycle: queued → sent → completed | rejected | failed | timeout
 *   queued     accepted by the CSMS, waiting for the station (offline, or another call outstanding)
 *   sent       the CALL went out; waiting for the CALLRESULT / CALLERROR
 *   completed  a valid CALLRESULT whose status (if it has one) is a success
 *   rejected   a valid CALLRESULT whose status says no (Rejected, NotSupported, ...)
 *   failed     a CALLERROR, or a CALLRESULT that breaks the response schema, or the CALL could not be sent
 *   timeout    no answer in time, or the station stayed offline past the queue deadline
 */
import type { OcppProtocol } from '../ocpp/versions.js';

// The command as stored and as shown: storage defines it (shared/store/commands.ts), the command
// path serves it.
export type { Command, CommandError, CommandResult, CommandStatus } from '../store/commands.js';
import type { Command, CommandStatus } from '../store/commands.js';

export const FINAL_STATUSES: readonly CommandStatus[] = ['completed', 'rejected', 'failed', 'timeout'];

export interface SubmitCommand {
  readonly stationId: string;
  readonly action: string;
  readonly payload: Record<string, unknown>;
  /** A retried submit with the same key returns the first command instead of sending twice. */
  readonly idempotencyKey?: string;
  /**
   * What the request that carries `idempotencyKey` was (method, route, canonical body: a hash).
   * The same key with another fingerprint is refused (IdempotencyKeyReusedError). Default: a hash
   * of action and payload.
   */
  readonly requestFingerprint?: string;
  /** false: refuse (StationOfflineError) instead of queueing when the station is not connected. */
  readonly queueIfOffline?: boolean;
}

export interface CommandPage {
  readonly items: Command[];
  readonly nextCursor: string | null;
}

export interface CommandService {
  /** Validates against the station's version schema, stores, and sends (or queues). */
  submit(input: SubmitCommand, now: Date): Promise<Command>;
  get(id: string): Promise<Command | undefined>;
  listForStation(stationId: string, limit: number, cursor?: string): Promise<CommandPage>;
  /**
   * Sets a new HTTP Basic password on the station (1.6 security ChangeConfiguration
   * AuthorizationKey, 2.0.1 SetVariables SecurityCtrlr.BasicAuthPassword). Once the station
   * accepts, only the new password opens a connection; until then (and if it refuses) the old
   * one does. The password is never stored: the command keeps `***` and a hash. Because of that it
   * cannot wait in the queue: when the station stays busy or offline for a few seconds the command
   * ends `failed` (SendFailed). Throws CommandValidationError (path 'password') for a password
   * that is not 16 to 40 of A-Z a-z 0-9 * - _ = : + | @ .
   */
  rotatePassword(stationId: string, newPassword: string, now: Date): Promise<Command>;
}

export class StationNotFoundError extends Error {
  constructor(readonly stationId: string) {
    super(`station ${stationId} does not exist`);
    this.name = 'StationNotFoundError';
  }
}

/** The station's OCPP version is unknown (never connected, not pinned). */
export class ProtocolUnknownError extends Error {
  constructor(readonly stationId: string) {
    super(
      `station ${stationId} has never connected and is not pinned to a version: its OCPP version is unknown`,
    );
    this.name = 'ProtocolUnknownError';
  }
}

export class StationOfflineError extends Error {
  constructor(readonly stationId: string) {
    super(`station ${stationId} is not connected`);
    this.name = 'StationOfflineError';
  }
}

/** The action is not one a CSMS sends in the station's OCPP version. */
export class UnknownActionError extends Error {
  constructor(
    readonly action: string,
    readonly protocol: OcppProtocol,
  ) {
    super(`${action} is not a CSMS-initiated ${protocol} message`);
    this.name = 'UnknownActionError';
  }
}

/** The payload breaks the action's request schema for the station's version. */
/** An idempotency key already used for a different request (IETF Idempotency-Key draft: 422). */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(
      `Idempotency-Key '${key}' was already used for a different request; use a new key for a new request`,
    );
    this.name = 'IdempotencyKeyReusedError';
  }
}

export class CommandValidationError extends Error {
  constructor(
    message: string,
    readonly fields: readonly { readonly path: string; readonly message: string }[],
  ) {
    super(message);
    this.name = 'CommandValidationError';
  }
}
