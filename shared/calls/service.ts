/**
 * The one command path (docs/adr/0005-command-path.md): a command is a stored item plus, when its
 * turn comes, a PostToConnection of the CALL. At most one CALL per station is outstanding (OCPP-J
 * 2.0.1 part 4 §4.1.1 SHALL, 1.6 §4.1.1 SHOULD): the outstanding-call lock on the station item is
 * taken by a conditional write, so concurrent submits, responses and sweeps (concurrent Lambdas)
 * never send two. The others wait in the station's FIFO queue and go out one by one as each
 * answer (or time-out) frees the lock. Nothing else sends to a station.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../aws/config.js';
import type { Log } from '../aws/observability.js';
import { hashSecret } from '../auth/secrets.js';
import type { DomainEvent } from '../events/catalog.js';
import type { EventSink } from '../events/publisher.js';
import { encodeCall, MAX_MESSAGE_BYTES, type InboundFrame } from '../ocpp/frames.js';
import { schemaViolation } from '../ocpp/validation.js';
import type { OcppProtocol } from '../ocpp/versions.js';
import {
  queueKeyOf,
  toCommand,
  type CommandItem,
  type OutstandingCall,
  type QueueEntry,
} from '../store/commands.js';
import type { Store } from '../store/index.js';
import type { StationItem } from '../store/stations.js';
import { commandProtocol, PASSWORD, requestIdOf } from './actions.js';
import { outcomeOf, type AnyCall, type CallCatalog } from './spec.js';
import { bounded, requestFingerprint, storableObject } from './json.js';
import type { CallDeadline, DeadlineTimer } from './deadlines.js';
import type { StationSender } from './sender.js';
import {
  CommandValidationError,
  FINAL_STATUSES,
  IdempotencyKeyReusedError,
  ProtocolUnknownError,
  StationNotFoundError,
  StationOfflineError,
  UnknownActionError,
  type Command,
  type CommandError,
  type CommandPage,
  type CommandService,
  type CommandStatus,
  type SubmitCommand,
} from './types.js';

/** An idempotency key answers with its first command for this long. */
const IDEMPOTENCY_TTL_SECONDS = 86_400;
/** requestId pointers (results arrive minutes to hours later: uploads, firmware) live this long. */
const REF_TTL_SECONDS = 7 * 86_400;
/** A CALL that could not be posted (not Gone: throttled, 5xx) is tried again after this long. */
const RETRY_SECONDS = 30;
/** A boot-gate allowance lasts this long (2.0.1 B02.FR.09: only what the CSMS asked for). */
const ALLOWANCE_SECONDS = 300;
/**
 * A CALL posted while the function that handles a station's BootNotification (or $connect) still
 * runs reaches the station before that function's answer (API Gateway sends the route response when
 * the function returns). Queued commands go out this long after the boot / connection at the
 * earliest, so the station gets its Boot answer (its open connection) first.
 */
export const ANSWER_FIRST_MS = 1000;
/** Responses and results kept with a command are capped (an item holds at most 400 KB). */
const MAX_RESPONSE_BYTES = 64 * 1024;

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
}

type ResponseFrame = Extract<InboundFrame, { type: 3 | 4 | 5 }>;
type Final = Exclude<CommandStatus, 'queued' | 'sent'>;
interface Outcome {
  readonly status: Final;
  /** As stored: redacted, bounded. */
  readonly response?: Record<string, unknown>;
  readonly error?: CommandError;
  /** The schema-valid response as the station sent it, for the call module (never stored). */
  readonly valid?: Record<string, unknown>;
}

const isFinal = (status: CommandStatus) => FINAL_STATUSES.includes(status);
const iso = (ms: number) => new Date(ms).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CommandPath implements CommandService {
  readonly #d: CommandPathDeps;
  /** createdAt is strictly increasing within a process: commands submitted in one burst keep their order. */
  #lastCreated = 0;

  constructor(deps: CommandPathDeps) {
    this.#d = deps;
  }

  // ---- the contract ----------------------------------------------------------------------------

  async submit(input: SubmitCommand, now: Date): Promise<Command> {
    return this.#create(input, now);
  }

  async get(id: string): Promise<Command | undefined> {
    const item = await this.#d.store.commands.get(id);
    return item ? toCommand(item) : undefined;
  }

  async listForStation(stationId: string, limit: number, cursor?: string): Promise<CommandPage> {
    const page = await this.#d.store.commands.listForStation(stationId, limit, cursor);
    return { items: page.items.map(toCommand), nextCursor: page.nextCursor };
  }

  /**
   * Sets a new HTTP Basic password on the station (1.6 security / 2.0.1 A01): ChangeConfiguration
   * AuthorizationKey or SetVariables SecurityCtrlr.BasicAuthPassword. Once the station accepts,
   * only the new password opens a connection (A01.FR.03); until then, and if it refuses, the old
   * one does (A01.FR.04). Only the scrypt hash of the new password is stored.
   */
  async rotatePassword(stationId: string, newPassword: string, now: Date): Promise<Command> {
    if (!PASSWORD.test(newPassword)) {
      const message = 'must be 16 to 40 characters from A-Z a-z 0-9 * - _ = : + | @ .';
      throw new CommandValidationError(`password ${message}`, [{ path: 'password', message }]);
    }
    const station = await this.#d.store.stations.get(stationId);
    if (!station) throw new StationNotFoundError(stationId);
    const protocol = commandProtocol(station);
    if (!protocol) throw new ProtocolUnknownError(stationId);
    const entry = Object.entries(this.#d.calls[protocol]).find(([, spec]) => spec?.password?.request);
    if (!entry?.[1]?.password?.request) throw new Error(`no ${protocol} call sets a station password`);
    const [action, spec] = entry as [string, AnyCall & { password: { request: (p: string) => object } }];
    const payload = spec.password.request(newPassword) as Record<string, unknown>;
    return this.#create({ stationId, action, payload }, now, station);
  }

  // ---- submit ----------------------------------------------------------------------------------

  async #create(input: SubmitCommand, now: Date, known?: StationItem): Promise<Command> {
    const { store } = this.#d;
    const station = known ?? (await store.stations.get(input.stationId));
    if (!station) throw new StationNotFoundError(input.stationId);
    const protocol = commandProtocol(station);
    if (!protocol) throw new ProtocolUnknownError(input.stationId);
    const spec = this.#spec(protocol, input.action);
    if (!spec) throw new UnknownActionError(input.action, protocol);
    const violation = schemaViolation(protocol, input.action, 'Request', input.payload);
    if (violation) {
      throw new CommandValidationError(`${input.action}Request ${violation.message}`, [
        { path: violation.field, message: violation.message },
      ]);
    }
    // API Gateway refuses messages over 128 KB: such a CALL could never be delivered.
    const bytes = Buffer.byteLength(encodeCall(randomUUID(), input.action, input.payload));
    if (bytes > MAX_MESSAGE_BYTES) {
      const message = `the CALL would be ${bytes} bytes; a WebSocket message may have at most ${MAX_MESSAGE_BYTES}`;
      throw new CommandValidationError(message, [{ path: '', message }]);
    }
    const password = spec.password?.find(input.payload);
    if (spec.password && password !== undefined && !PASSWORD.test(password)) {
      const message = 'a station password must be 16 to 40 characters from A-Z a-z 0-9 * - _ = : + | @ .';
      throw new CommandValidationError(message, [{ path: spec.password.path, message }]);
    }
    // What is stored and fingerprinted instead of a payload that carries a password.
    const redacted = password !== undefined ? spec.password?.redact(input.payload) : undefined;
    if (input.queueIfOffline === false && !station.connected) {
      throw new StationOfflineError(input.stationId);
    }

    const id = randomUUID();
    if (input.idempotencyKey !== undefined) {
      const fingerprint =
        input.requestFingerprint ??
        requestFingerprint({
          action: input.action,
          // Never a hash of a password: it is not stored, not even hashed this quickly.
          payload: redacted ?? input.payload,
        });
      const first = await store.commands.claimIdempotencyKey(
        input.stationId,
        input.idempotencyKey,
        { commandId: id, fingerprint },
        now,
        IDEMPOTENCY_TTL_SECONDS,
      );
      if (first !== undefined) {
        // Same key, another request: refused, never answered with the other request's command.
        if (first.fingerprint !== undefined && first.fingerprint !== fingerprint) {
          throw new IdempotencyKeyReusedError(input.idempotencyKey);
        }
        return this.#awaitStored(first.commandId);
      }
    }

    const created = Math.max(now.getTime(), this.#lastCreated + 1);
    this.#lastCreated = created;
    const secret = password !== undefined;
    const holdMs = this.#d.secretHoldMs ?? 10_000;
    const queueDeadline = iso(
      // A password command cannot wait in the queue: the sweep fails it soon after its submitter gave up.
      secret ? created + holdMs + 5_000 : created + this.#d.config.queueTtlSeconds * 1000,
    );
    const requestId = requestIdOf(input.payload);
    const item: CommandItem = {
      id,
      stationId: input.stationId,
      protocol,
      action: input.action,
      payload: redacted ?? storableObject(input.payload),
      status: 'queued',
      createdAt: iso(created),
      queueDeadline,
      ...(input.idempotencyKey !== undefined ? { idempotencyKey: input.idempotencyKey } : {}),
      ...(requestId !== undefined ? { requestId } : {}),
      ...(secret ? { secret: true, pendingPasswordHash: await hashSecret(password) } : {}),
    };
    await store.commands.put(item);
    if (requestId !== undefined) {
      await store.commands.putRef(input.stationId, requestId, id, now, REF_TTL_SECONDS);
    }
    if (spec.tieToLatest) {
      // No requestId (1.6 GetDiagnostics, UpdateFirmware): their status notifications go to the latest one.
      await store.commands.putRef(input.stationId, input.action, id, now, REF_TTL_SECONDS);
    }
    await store.commands.enqueue({
      stationId: input.stationId,
      commandId: id,
      createdAt: item.createdAt,
      dueAt: queueDeadline,
    });
    this.#d.log.info('Command submitted', {
      stationId: input.stationId,
      commandId: id,
      action: input.action,
    });
    if (secret) await this.#sendSecret(item, input.payload, holdMs);
    else await this.pump(input.stationId);
    return toCommand((await store.commands.get(id)) ?? item);
  }

  /** The call module of `action` in `protocol`, or undefined when the CSMS does not send it. */
  #spec(protocol: OcppProtocol, action: string): AnyCall | undefined {
    return Object.hasOwn(this.#d.calls[protocol], action) ? this.#d.calls[protocol][action] : undefined;
  }

  /** The boot-gate allowances of a command (B02.FR.09). */
  #allows(command: CommandItem): readonly string[] {
    return this.#spec(command.protocol, command.action)?.allows?.(command.payload, command.protocol) ?? [];
  }

  /** A concurrent submit with the same idempotency key stores its command a moment later. */
  async #awaitStored(id: string): Promise<Command> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const item = await this.#d.store.commands.get(id);
      if (item) return toCommand(item);
      await sleep(100);
    }
    throw new Error(`idempotency key points at command ${id}, which was never stored`);
  }

  /** Waits (in this process, which alone knows the password) until the command can be sent. */
  async #sendSecret(item: CommandItem, payload: Record<string, unknown>, holdMs: number): Promise<void> {
    // Time spent waiting in this process (not the injected clock, which dates facts).
    const until = performance.now() + holdMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
      await this.pump(item.stationId, { commandId: item.id, payload });
      const current = await this.#d.store.commands.get(item.id);
      if (!current || current.status !== 'queued') return;
      if (performance.now() >= until) {
        await this.#finish(current, { status: 'queued' }, this.#sendFailedOutcome());
        return;
      }
      await sleep(wait);
    }
  }

  #sendFailedOutcome(): Outcome {
    return {
      status: 'failed',
      error: {
        code: 'SendFailed',
        description:
          'The station was offline or busy: a password is never stored in clear, so its command cannot wait in the queue. Try again.',
      },
    };
  }

  // ---- sending -------------------------------------------------------------------------------

  /**
   * Sends the station's next queued command if it is connected and has no CALL outstanding. Safe
   * to call from anywhere at any time (concurrent callers race for the lock; one wins). Never
   * throws: a failure leaves the command queued for the sweep.
   */
  async pump(
    stationId: string,
    secret?: { commandId: string; payload: Record<string, unknown> },
  ): Promise<void> {
    try {
      await this.#pump(stationId, secret);
    } catch (error) {
      this.#d.log.error('Sending the next command failed; the sweep retries', {
        stationId,
        error: error as Error,
      });
    }
  }

  async #pump(
    stationId: string,
    secret?: { commandId: string; payload: Record<string, unknown> },
  ): Promise<void> {
    const { store, sender } = this.#d;
    if (!sender) return;
    for (let round = 0; round < 25; round++) {
      const station = await store.stations.get(stationId);
      if (!station?.connected || !station.connectionId || !station.protocol) return;
      if (station.outstandingCall) return; // its answer (or time-out) sends the next
      // 2.0.1 B03.FR.03 (and 1.6 §4.2 Rejected): the CSMS does not initiate messages to a Rejected station.
      if (station.registrationStatus === 'Rejected') return;
      const [head] = await store.commands.queue(stationId, 1);
      if (!head) return;
      const command = await store.commands.get(head.commandId);
      if (!command || isFinal(command.status)) {
        await store.commands.dequeue(head);
        continue;
      }
      if (command.status === 'sent') {
        // Sent after this station was read (the lock is taken before a command is marked sent,
        // and released only after it left 'sent'): whoever holds the lock sends the next one.
        if ((await store.stations.get(stationId))?.outstandingCall) return;
        const again = await store.commands.get(command.id);
        if (again?.status === 'sent' && again.messageId === command.messageId) {
          // Still marked sent with no CALL outstanding: a process stopped between two writes.
          await this.#connectionLost(again, again.messageId ?? '', false);
        }
        continue;
      }
      if (command.secret && secret?.commandId !== command.id) return; // only its submitter can send it
      if (command.protocol !== station.protocol) {
        await this.#finish(
          command,
          { status: 'queued' },
          {
            status: 'failed',
            error: {
              code: 'SendFailed',
              description: `The command is for ${command.protocol}; the station now speaks ${station.protocol}`,
            },
          },
          [],
          false,
        );
        continue;
      }
      const payload = command.secret && secret ? secret.payload : command.payload;
      const invalid = schemaViolation(command.protocol, command.action, 'Request', payload);
      if (invalid) {
        // Never send a payload that breaks the schema (it was checked at submit: this is a bug).
        this.#d.log.error('Queued command payload invalid; not sent', {
          commandId: command.id,
          reason: invalid.message,
        });
        await this.#finish(
          command,
          { status: 'queued' },
          { status: 'failed', error: { code: 'SendFailed', description: invalid.message } },
          [],
          false,
        );
        continue;
      }

      const now = this.#d.clock();
      const call: OutstandingCall = {
        commandId: command.id,
        messageId: randomUUID(),
        connectionId: station.connectionId,
        sentAt: now.toISOString(),
        deadline: iso(now.getTime() + this.#d.config.callTimeoutSeconds * 1000),
      };
      // Due first: if this process stops after taking the lock, the sweep finds it at the deadline.
      await store.commands.setDue(head, call.deadline);
      if (!(await store.commands.acquireLock(stationId, call))) return; // another process sends
      if (!(await store.commands.markSent(command.id, call))) {
        await store.commands.releaseLock(stationId, call.messageId);
        continue;
      }
      if (station.registrationStatus !== 'Accepted') {
        // B02.FR.09: what this command asks for may pass the boot gate. Recorded before the CALL
        // goes out: the triggered message may be handled before the CALLRESULT is.
        const until = new Date(now.getTime() + ALLOWANCE_SECONDS * 1000);
        for (const message of this.#allows(command)) {
          await store.bootGate.allow(stationId, message, until, command.id);
        }
      }
      let delivered: 'sent' | 'gone' | 'failed';
      try {
        delivered = await sender.send(call.connectionId, encodeCall(call.messageId, command.action, payload));
      } catch (error) {
        this.#d.log.error('PostToConnection failed; the command stays queued', {
          stationId,
          commandId: command.id,
          error: error as Error,
        });
        delivered = 'failed';
      }
      if (delivered === 'sent') {
        this.#d.log.info('CALL sent', {
          stationId,
          commandId: command.id,
          action: command.action,
          messageId: call.messageId,
        });
        await this.#scheduleDeadline(
          { stationId, commandId: command.id, messageId: call.messageId, deadline: call.deadline },
          now,
        );
        return;
      }
      // Not delivered: back to the head of the queue. Gone: the station is offline, its next
      // connection sends it; anything else: the sweep tries again shortly. (The lock goes last:
      // until then no one else sends, so no one else sets the due time.)
      await store.commands.requeue(command.id, call.messageId);
      await store.commands.setDue(
        head,
        delivered === 'gone'
          ? command.queueDeadline
          : iso(Math.min(now.getTime() + RETRY_SECONDS * 1000, Date.parse(command.queueDeadline))),
      );
      await store.commands.releaseLock(stationId, call.messageId);
      return;
    }
  }

  // ---- answers -------------------------------------------------------------------------------

  /**
   * A CALLRESULT / CALLERROR from the station (DispatchDeps.onResponse). False when it answers no
   * outstanding CALL of this station (the dispatcher logs and drops it).
   */
  async handleResponse(frame: ResponseFrame, station: { readonly stationId: string }): Promise<boolean> {
    const { store, log } = this.#d;
    const { stationId } = station;
    if (frame.type === 5) {
      // 2.1 CALLRESULTERROR: the station found a CALLRESULT of ours invalid. Nothing to complete.
      log.warn('CALLRESULTERROR from the station: it refused a CALLRESULT of the CSMS', {
        stationId,
        messageId: frame.id,
        code: frame.code,
        reason: frame.description,
      });
      return true;
    }
    try {
      const item = await store.stations.get(stationId);
      const lock = item?.outstandingCall;
      if (!lock || lock.messageId !== frame.id) return false;
      const command = await store.commands.get(lock.commandId);
      if (!command || command.status !== 'sent' || command.messageId !== frame.id) {
        await store.commands.releaseLock(stationId, lock.messageId);
        await this.pump(stationId);
        return true;
      }
      const outcome = this.#outcome(command, frame);
      const events = await this.#effects(command, outcome, item);
      await this.#finish(command, { status: 'sent', messageId: frame.id }, outcome, events);
      return true;
    } catch (error) {
      log.error('Completing a command failed', { stationId, messageId: frame.id, error: error as Error });
      return true;
    }
  }

  #outcome(command: CommandItem, frame: ResponseFrame): Outcome {
    if (frame.type !== 3) {
      return {
        status: 'failed',
        error: {
          code: frame.code,
          description: frame.description,
          ...(Object.keys(frame.details).length > 0 ? { details: bounded(frame.details, 4096) } : {}),
        },
      };
    }
    const spec = this.#spec(command.protocol, command.action);
    const invalid = schemaViolation(command.protocol, command.action, 'Response', frame.payload);
    // Only a schema-valid response is handed to the call module (its types are the schema's).
    const redact = !invalid && spec?.redactResponse ? spec.redactResponse : (r: Record<string, unknown>) => r;
    const response = bounded(redact(frame.payload), MAX_RESPONSE_BYTES);
    if (invalid || !spec) {
      return {
        status: 'failed',
        response,
        error: invalid
          ? { code: 'InvalidResponse', description: invalid.message, details: { field: invalid.field } }
          : { code: 'InvalidResponse', description: `${command.action} is not a ${command.protocol} call` },
      };
    }
    return { status: outcomeOf(spec, frame.payload), response, valid: frame.payload };
  }

  /** Effects of a valid response; a failure to store them is logged and noted on the command. */
  async #effects(
    command: CommandItem,
    outcome: Outcome,
    station: StationItem | undefined,
  ): Promise<DomainEvent[]> {
    if (outcome.status !== 'completed' && outcome.status !== 'rejected') {
      await this.#withdrawAllowances(command, station);
      return [];
    }
    const { store } = this.#d;
    const response = outcome.valid ?? outcome.response ?? {};
    const spec = this.#spec(command.protocol, command.action);
    try {
      if (command.pendingPasswordHash && spec?.password?.accepted(response)) {
        // A01.FR.03: the old credentials are no longer accepted; the new ones at the next connection.
        await store.stations.replacePasswordHash(command.stationId, command.pendingPasswordHash);
        this.#d.log.info('Station password changed', { stationId: command.stationId, commandId: command.id });
      }
      if (response.status !== undefined && response.status !== 'Accepted') {
        await this.#withdrawAllowances(command, station);
      }
      if (!spec?.onResult) return [];
      return [
        ...(await spec.onResult(
          {
            store,
            stationId: command.stationId,
            protocol: command.protocol,
            commandId: command.id,
            now: this.#d.clock(),
          },
          command.payload,
          response,
        )),
      ];
    } catch (error) {
      this.#d.log.error('Storing what a command changed failed', {
        stationId: command.stationId,
        commandId: command.id,
        error: error as Error,
      });
      return [];
    }
  }

  async #withdrawAllowances(command: CommandItem, station: StationItem | undefined): Promise<void> {
    if (station?.registrationStatus === 'Accepted') return;
    for (const message of this.#allows(command)) {
      await this.#d.store.bootGate.withdraw(command.stationId, message, command.id);
    }
  }

  /**
   * Makes a command final (only from the state seen: the first to finish wins), publishes
   * command.completed.v1 with `events`, frees the lock, leaves the queue and sends the next one.
   */
  async #finish(
    command: CommandItem,
    from: { readonly status: 'queued' } | { readonly status: 'sent'; readonly messageId: string },
    outcome: Outcome,
    events: readonly DomainEvent[] = [],
    pump = true,
  ): Promise<void> {
    const { store, log } = this.#d;
    const completedAt = this.#d.clock().toISOString();
    let final: CommandItem | undefined;
    try {
      final = await store.commands.finalize(command.id, from, { ...outcome, completedAt });
      if (final) {
        log.info('Command finished', {
          stationId: command.stationId,
          commandId: command.id,
          action: command.action,
          status: outcome.status,
          errorCode: outcome.error?.code,
        });
        await this.#publishCompleted(command, outcome, completedAt, events);
      }
    } finally {
      if (from.status === 'sent') await store.commands.releaseLock(command.stationId, from.messageId);
    }
    // Lost the race: leave the queue only if someone else made it final (not if it was requeued).
    const current = final ?? (await store.commands.get(command.id));
    if (!current || isFinal(current.status)) await store.commands.dequeue(queueKeyOf(command));
    if (pump) await this.pump(command.stationId);
  }

  async #publishCompleted(
    command: CommandItem,
    outcome: Outcome,
    completedAt: string,
    events: readonly DomainEvent[],
  ): Promise<void> {
    const responseStatus = outcome.response?.status;
    try {
      await this.#d.events.publish([
        ...events,
        {
          type: 'command.completed.v1',
          detail: {
            stationId: command.stationId,
            occurredAt: completedAt,
            commandId: command.id,
            protocol: command.protocol,
            action: command.action,
            status: outcome.status,
            ...(outcome.error ? { errorCode: outcome.error.code } : {}),
            ...(typeof responseStatus === 'string' ? { responseStatus } : {}),
          },
        },
      ]);
    } catch (error) {
      // The station will not answer again: the outcome stays stored even if the event is lost.
      this.#d.log.error('command.completed.v1 not published', {
        commandId: command.id,
        error: error as Error,
      });
    }
  }

  // ---- connections ---------------------------------------------------------------------------

  /**
   * The station's connection closed: a repeatable CALL it had not answered goes back to the queue
   * (sent again on the next connection); any other waits for its deadline (its answer may still be
   * on the way) and then times out.
   */
  async onDisconnected(stationId: string, connectionId: string): Promise<void> {
    const { store } = this.#d;
    const lock = (await store.stations.get(stationId))?.outstandingCall;
    if (!lock || lock.connectionId !== connectionId) return;
    const command = await store.commands.get(lock.commandId);
    if (command?.status === 'sent' && command.messageId === lock.messageId && this.#resendable(command)) {
      await this.#requeue(command, lock.messageId);
    }
  }

  /**
   * A new connection was recorded ($connect, before it is open: nothing is posted here). A CALL
   * still outstanding on an older connection can no longer be answered: repeatable ones go back
   * to the queue, the others time out (ConnectionLost). The queue's head becomes due now, so the
   * sweep sends it if the station's first message does not.
   */
  async onConnected(stationId: string, connectionId: string): Promise<void> {
    const { store } = this.#d;
    const lock = (await store.stations.get(stationId))?.outstandingCall;
    if (lock && lock.connectionId !== connectionId) {
      const command = await store.commands.get(lock.commandId);
      if (command?.status === 'sent' && command.messageId === lock.messageId) {
        await this.#connectionLost(command, lock.messageId, false);
      } else {
        await store.commands.releaseLock(stationId, lock.messageId);
      }
    }
    const [head] = await store.commands.queue(stationId, 1);
    if (head) await store.commands.setDue(head, this.#d.clock().toISOString());
  }

  /** The first message of a connection: send what waited for the station. */
  async wake(stationId: string): Promise<void> {
    const [head] = await this.#d.store.commands.queue(stationId, 1);
    if (head) await this.pump(stationId);
  }

  #resendable(command: CommandItem): boolean {
    return this.#spec(command.protocol, command.action)?.repeatable === true && !command.secret;
  }

  async #requeue(command: CommandItem, messageId: string): Promise<void> {
    const { store } = this.#d;
    if (await store.commands.requeue(command.id, messageId)) {
      await store.commands.setDue(
        { ...queueKeyOf(command), stationId: command.stationId, commandId: command.id },
        command.queueDeadline,
      );
      await store.commands.releaseLock(command.stationId, messageId);
      this.#d.log.info('Command will be sent again on the next connection', {
        stationId: command.stationId,
        commandId: command.id,
        action: command.action,
      });
    }
  }

  /** The connection a CALL went out on is gone: send it again, or time it out (never a second Reset). */
  async #connectionLost(command: CommandItem, messageId: string, pump = true): Promise<void> {
    if (this.#resendable(command)) {
      await this.#requeue(command, messageId);
      if (pump) await this.pump(command.stationId);
      return;
    }
    await this.#finish(
      command,
      { status: 'sent', messageId },
      {
        status: 'timeout',
        error: {
          code: 'ConnectionLost',
          description: `The connection closed before the station answered; a ${command.action} is not sent twice`,
        },
      },
      [],
      pump,
    );
  }

  // ---- the sweep -----------------------------------------------------------------------------

  /**
   * Times out CALLs past their deadline and commands queued past theirs, and sends what is due
   * (after a reconnect or a failed post). Query only: the CMDDUE index lists the due entries.
   */
  async sweep(now: Date, limit = 500): Promise<{ looked: number; finished: number }> {
    const { store } = this.#d;
    const due = await store.commands.due(now, limit);
    let finished = 0;
    for (const key of due) {
      try {
        const entry = await store.commands.entry(key);
        if (!entry || entry.dueAt > now.toISOString()) continue;
        if (await this.#sweepEntry(entry, now)) finished++;
      } catch (error) {
        this.#d.log.error('Sweeping a command failed', { key, error: error as Error });
      }
    }
    return { looked: due.length, finished };
  }

  async #sweepEntry(entry: QueueEntry, now: Date): Promise<boolean> {
    const { store } = this.#d;
    const nowIso = now.toISOString();
    let command = await store.commands.get(entry.commandId);
    const station = await store.stations.get(entry.stationId);
    const lock = station?.outstandingCall;
    if (lock && lock.deadline <= nowIso) {
      // The station's outstanding CALL is overdue, whichever command it is.
      await this.#timeOutCall(station, lock, lock.commandId === command?.id ? command : undefined);
      command = await store.commands.get(entry.commandId);
    }
    if (!command || isFinal(command.status)) {
      await store.commands.dequeue(entry);
      await this.pump(entry.stationId);
      return false;
    }
    if (command.status === 'queued') {
      if (command.queueDeadline <= nowIso) {
        await this.#finish(
          command,
          { status: 'queued' },
          command.secret
            ? this.#sendFailedOutcome()
            : {
                status: 'timeout',
                error: {
                  code: 'Timeout',
                  description: station?.connected
                    ? 'Not sent before the queue deadline: earlier commands kept the station busy'
                    : 'Not sent before the queue deadline: the station stayed offline',
                },
              },
        );
        return true;
      }
      // A wake-up (reconnect, failed post): try now, else wait for the queue deadline. Only if
      // no one sent it meanwhile (a sender sets the call deadline as the due time first).
      if (await store.commands.setDue(entry, command.queueDeadline, entry.dueAt)) {
        await this.pump(entry.stationId);
      }
      return false;
    }
    // Sent: the lock is held for it (else the first branch or a response handled it).
    const current = (await store.stations.get(entry.stationId))?.outstandingCall;
    if (!current || current.messageId !== command.messageId) {
      await this.#finish(
        command,
        { status: 'sent', messageId: command.messageId ?? '' },
        {
          status: 'timeout',
          error: { code: 'Timeout', description: 'The CALL was lost track of' },
        },
      );
      return true;
    }
    await store.commands.setDue(entry, current.deadline);
    return false;
  }

  /**
   * The station's outstanding CALL is past its deadline (and unanswered): time it out, release the
   * station's queue and send the next command.
   */
  async #timeOutCall(station: StationItem, lock: OutstandingCall, known?: CommandItem): Promise<void> {
    const { store } = this.#d;
    const overdue = known ?? (await store.commands.get(lock.commandId));
    if (overdue?.status === 'sent' && overdue.messageId === lock.messageId) {
      const lost = !station.connected || station.connectionId !== lock.connectionId;
      await this.#finish(
        overdue,
        { status: 'sent', messageId: lock.messageId },
        {
          status: 'timeout',
          error: lost
            ? { code: 'ConnectionLost', description: 'The station went offline without answering' }
            : { code: 'Timeout', description: `No answer within ${this.#d.config.callTimeoutSeconds} s` },
        },
      );
    } else {
      await store.commands.releaseLock(station.id, lock.messageId);
      await this.pump(station.id);
    }
  }

  // ---- deadlines -----------------------------------------------------------------------------

  async #scheduleDeadline(call: CallDeadline, now: Date): Promise<void> {
    if (!this.#d.deadlines) return;
    try {
      await this.#d.deadlines.schedule(call, now);
    } catch (error) {
      // The sweep times the CALL out instead, up to a minute late.
      this.#d.log.error('Scheduling the call deadline failed; the sweep times it out', {
        stationId: call.stationId,
        commandId: call.commandId,
        error: error as Error,
      });
    }
  }

  /**
   * A CALL's deadline came (the deadline queue): if the station has not answered it, it times out
   * and the next command goes out at once. Nothing happens if it was answered or already finished.
   */
  async expireCall(call: CallDeadline): Promise<void> {
    const { store } = this.#d;
    const station = await store.stations.get(call.stationId);
    const lock = station?.outstandingCall;
    if (!station || !lock || lock.messageId !== call.messageId) return; // answered or settled
    const now = this.#d.clock();
    const left = Date.parse(lock.deadline) - now.getTime();
    if (left > 2000) {
      // A deadline beyond the queue's longest delay (900 s): wait again.
      await this.#scheduleDeadline({ ...call, deadline: lock.deadline }, now);
      return;
    }
    if (left > 0) await sleep(left); // whole-second delays, clocks a little apart: never early
    await this.#timeOutCall(station, lock);
  }

  /**
   * The station booted or connected (an event of the bus, topology EVENT_RULES): send what was
   * queued for it now, not at its next message. Not before ANSWER_FIRST_MS after `since`: the
   * Boot answer (the connection's opening) must reach the station before any CALL.
   */
  async pumpAfter(stationId: string, since: Date): Promise<void> {
    const [head] = await this.#d.store.commands.queue(stationId, 1);
    if (!head) return; // the usual case: nothing waited
    const wait = since.getTime() + ANSWER_FIRST_MS - this.#d.clock().getTime();
    if (wait > 0) await sleep(Math.min(wait, ANSWER_FIRST_MS));
    await this.pump(stationId);
  }

  // ---- boot gate -----------------------------------------------------------------------------

  /** Whether a station that is not Accepted may send `action` because the CSMS asked for it. */
  async allowedBeforeAccepted(stationId: string, action: string, now: Date): Promise<boolean> {
    return this.#d.store.bootGate.isAllowed(stationId, action, now);
  }
}

export type { OcppProtocol };
