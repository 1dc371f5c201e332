/** The command item as stored (shared/store/commands.ts), and the contract's view of it (shared/calls/types.ts re-exports it). */
import type { OcppProtocol } from '../ocpp/versions.js';

/** The CALL a station has not answered yet (at most one per station, OCPP-J §4.1.1). */
export interface OutstandingCall {
  readonly commandId: string;
  readonly messageId: string;
  readonly connectionId: string;
  readonly sentAt: string;
  /** ISO 8601: after it the sweep times the call out. */
  readonly deadline: string;
}

export type CommandStatus = 'queued' | 'sent' | 'completed' | 'rejected' | 'failed' | 'timeout';

export interface CommandError {
  /**
   * An OCPP error code from the station's CALLERROR, or 'InvalidResponse' / 'SendFailed' /
   * 'Timeout' / 'ConnectionLost' (the connection closed before the answer, and the action is not
   * one to send twice).
   */
  readonly code: string;
  readonly description: string;
  readonly details?: unknown;
}

/** A station message tied back to the command by requestId (NotifyReport to GetBaseReport, ...). */
export interface CommandResult {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  readonly receivedAt: string;
}

export interface Command {
  readonly id: string;
  readonly stationId: string;
  readonly protocol: OcppProtocol;
  readonly action: string;
  readonly payload: Record<string, unknown>;
  readonly status: CommandStatus;
  readonly createdAt: string;
  readonly sentAt?: string;
  readonly completedAt?: string;
  /** The OCPP message id of the CALL, once sent. */
  readonly messageId?: string;
  readonly response?: Record<string, unknown>;
  readonly error?: CommandError;
  readonly idempotencyKey?: string;
  /** requestId of the payload, when the action has one (results arrive later as station messages). */
  readonly requestId?: number;
  /** The first results (at most 100; a large message is kept as a summary). */
  readonly results?: readonly CommandResult[];
  /** How many results arrived in all (more than `results` holds when it is full). */
  readonly resultCount?: number;
}

/** A command as stored: the contract's fields plus what only the command path reads. */
export interface CommandItem extends Command {
  /** The connection the CALL went out on. */
  readonly connectionId?: string;
  /** ISO 8601: a command still queued then times out. */
  readonly queueDeadline: string;
  /** The payload carries a password: the stored copy is redacted, only its submitter can send it. */
  readonly secret?: boolean;
  /** scrypt hash of the password the command sets; becomes the station's once it is accepted. */
  readonly pendingPasswordHash?: string;
  /** Keys of the results appended so far (a station's retry of a message is not appended twice). */
  readonly resultKeys?: ReadonlySet<string>;
}

export interface QueueEntry {
  readonly pk: string;
  readonly sk: string;
  readonly stationId: string;
  readonly commandId: string;
  readonly dueAt: string;
}

/** Fields of a command item that are not part of the Command the contract shows. */
const INTERNAL = new Set([
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'connectionId',
  'queueDeadline',
  'secret',
  'pendingPasswordHash',
  'resultKeys',
]);

/** The contract's view of a stored command. */
export function toCommand(item: CommandItem | Record<string, unknown>): Command {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !INTERNAL.has(k))) as unknown as Command;
}
