/**
 * What the parts of the command path share (docs/adr/0005-command-path.md): its dependencies, its
 * time limits, the outcome of a call, and how it finds an action's call module.
 */
import type { Config } from '../aws/config.js';
import type { Log } from '../aws/observability.js';
import type { EventSink } from '../events/publisher.js';
import type { InboundFrame } from '../ocpp/frames.js';
import type { OcppProtocol } from '../ocpp/versions.js';
import type { CommandItem } from '../store/commands.js';
import type { Store } from '../store/index.js';
import type { AnyCall, CallCatalog } from './spec.js';
import type { DeadlineTimer } from './deadlines.js';
import type { StationSender } from './sender.js';
import { FINAL_STATUSES, type CommandError, type CommandStatus } from './types.js';

/** An idempotency key answers with its first command for this long. */
export const IDEMPOTENCY_TTL_SECONDS = 86_400;
/** requestId pointers (results arrive minutes to hours later: uploads, firmware) live this long. */
export const REF_TTL_SECONDS = 7 * 86_400;
/** A CALL that could not be posted (not Gone: throttled, 5xx) is tried again after this long. */
export const RETRY_SECONDS = 30;
/** A boot-gate allowance lasts this long (2.0.1 B02.FR.09: only what the CSMS asked for). */
export const ALLOWANCE_SECONDS = 300;
/**
 * A CALL posted while the function that handles a station's BootNotification (or $connect) still
 * runs reaches the station before that function's answer (API Gateway sends the route response when
 * the function returns). Queued commands go out this long after the boot / connection at the
 * earliest, so the station gets its Boot answer (its open connection) first.
 */
export const ANSWER_FIRST_MS = 1000;
/** Responses and results kept with a command are capped (an item holds at most 400 KB). */
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface CommandPathDeps {
  readonly store: Store;
  /** What each CSMS-initiated action of each version means (functions/ocpp/calls.ts). */
  readonly calls: CallCatalog;
  readonly events: EventSink;
  /** Undefined when there is no @connections endpoint: commands stay queued. */
  readonly sender: StationSender | undefined;
  readonly config: Pick<Config, 'callTimeoutSeconds' | 'queueTtlSeconds'>;
  /** Times each CALL out at its deadline; undefined: only the sweep does (once a minute on AWS). */
  readonly deadlines?: DeadlineTimer | undefined;
  readonly log: Log;
  readonly clock: () => Date;
  /**
   * How long a command carrying a password waits for its turn in the submitting process (the
   * password is never stored, so no other process can send it). @default 10 000
   */
  readonly secretHoldMs?: number;
  /**
   * Told each time a command becomes final, with its final status (the functions count them as
   * metrics).
   * @default - nothing
   */
  readonly onFinished?: (status: Exclude<CommandStatus, 'queued' | 'sent'>) => void;
}

export type ResponseFrame = Extract<InboundFrame, { type: 3 | 4 | 5 }>;
export type Final = Exclude<CommandStatus, 'queued' | 'sent'>;
export interface Outcome {
  readonly status: Final;
  /** As stored: redacted, bounded. */
  readonly response?: Record<string, unknown>;
  readonly error?: CommandError;
  /** The schema-valid response as the station sent it, for the call module (never stored). */
  readonly valid?: Record<string, unknown>;
}

export const isFinal = (status: CommandStatus) => FINAL_STATUSES.includes(status);
export const iso = (ms: number) => new Date(ms).toISOString();
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The call module of `action` in `protocol`, or undefined when the CSMS does not send it. */
export function specOf(d: CommandPathDeps, protocol: OcppProtocol, action: string): AnyCall | undefined {
  const table = d.calls[protocol];
  return Object.hasOwn(table, action) ? table[action] : undefined;
}

/** The station messages a command lets a station that is not Accepted send (B02.FR.09). */
export function allowsOf(d: CommandPathDeps, command: CommandItem): readonly string[] {
  return specOf(d, command.protocol, command.action)?.allows?.(command.payload, command.protocol) ?? [];
}

/** A password command that could not be sent at once (it cannot wait in the queue). */
export function sendFailedOutcome(): Outcome {
  return {
    status: 'failed',
    error: {
      code: 'SendFailed',
      description:
        'The station was offline or busy: a password is never stored in clear, so its command cannot wait in the queue. Try again.',
    },
  };
}
