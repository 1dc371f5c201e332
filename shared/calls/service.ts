/**
 * The one command path (docs/adr/0005-command-path.md): a command is a stored item plus, when its
 * turn comes, a PostToConnection of the CALL. At most one CALL per station is outstanding (OCPP-J
 * 2.0.1 part 4 §4.1.1 SHALL, 1.6 §4.1.1 SHOULD): the outstanding-call lock on the station item is
 * taken by a conditional write, so concurrent submits, responses and sweeps (concurrent Lambdas)
 * never send two. The others wait in the station's FIFO queue and go out one by one as each
 * answer (or time-out) frees the lock. Nothing else sends to a station.
 *
 * This class is the command path's face (CommandService and what the functions call); the work is
 * split by concern: submit.ts (validation, queue), delivery.ts (the lock, sending), answers.ts
 * (responses and the call modules), completion.ts (final states, events), sweep.ts (time-outs and
 * deadlines). What each action means is in its call module (shared/calls/spec.ts).
 */
import type { OcppProtocol } from '../ocpp/versions.js';
import { toCommand } from '../store/commands.js';
import type { CallDeadline } from './deadlines.js';
import type { Command, CommandPage, CommandService, SubmitCommand } from './types.js';
import { ANSWER_FIRST_MS, sleep, type CommandPathDeps, type ResponseFrame } from './path.js';
import { Answers } from './answers.js';
import { Completion } from './completion.js';
import { Delivery } from './delivery.js';
import { Submission } from './submit.js';
import { Sweeper } from './sweep.js';

export { ANSWER_FIRST_MS, type CommandPathDeps } from './path.js';

export class CommandPath implements CommandService {
  readonly #d: CommandPathDeps;
  readonly #delivery: Delivery;
  readonly #submission: Submission;
  readonly #answers: Answers;
  readonly #sweeper: Sweeper;

  constructor(deps: CommandPathDeps) {
    this.#d = deps;
    const completion = new Completion(deps, (stationId) => this.#delivery.pump(stationId));
    this.#delivery = new Delivery(deps, completion);
    this.#submission = new Submission(deps, completion, this.#delivery);
    this.#answers = new Answers(deps, completion, this.#delivery);
    this.#sweeper = new Sweeper(deps, completion, this.#delivery);
  }

  // ---- the contract ----------------------------------------------------------------------------

  async submit(input: SubmitCommand, now: Date): Promise<Command> {
    return this.#submission.create(input, now);
  }

  async rotatePassword(stationId: string, newPassword: string, now: Date): Promise<Command> {
    return this.#submission.rotatePassword(stationId, newPassword, now);
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
   * The station's connection closed: a repeatable CALL it had not answered goes back to the queue
   * (sent again on the next connection); any other waits for its deadline (its answer may still be
   * on the way) and then times out.
   */
  async onDisconnected(stationId: string, connectionId: string): Promise<void> {
    const { store } = this.#d;
    const lock = (await store.stations.get(stationId))?.outstandingCall;
    if (!lock || lock.connectionId !== connectionId) return;
    const command = await store.commands.get(lock.commandId);
    if (
      command?.status === 'sent' &&
      command.messageId === lock.messageId &&
      this.#delivery.resendable(command)
    ) {
      await this.#delivery.requeue(command, lock.messageId);
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
        await this.#delivery.connectionLost(command, lock.messageId, false);
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
    if (head) await this.#delivery.pump(stationId);
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
    await this.#delivery.pump(stationId);
  }

  /** Whether a station that is not Accepted may send `action` because the CSMS asked for it. */
  async allowedBeforeAccepted(stationId: string, action: string, now: Date): Promise<boolean> {
    return this.#d.store.bootGate.isAllowed(stationId, action, now);
  }

  // ---- delegated -------------------------------------------------------------------------------

  /** Sends the station's next queued command if it can (Delivery.pump). Never throws. */
  async pump(stationId: string): Promise<void> {
    return this.#delivery.pump(stationId);
  }

  /** A CALLRESULT / CALLERROR from the station (DispatchDeps.onResponse). */
  async handleResponse(frame: ResponseFrame, station: { readonly stationId: string }): Promise<boolean> {
    return this.#answers.handleResponse(frame, station);
  }

  async sweep(now: Date, limit = 500): Promise<{ looked: number; finished: number }> {
    return this.#sweeper.sweep(now, limit);
  }

  async expireCall(call: CallDeadline): Promise<void> {
    return this.#sweeper.expireCall(call);
  }
}

export type { OcppProtocol };
