/**
 * The sweep and the call deadlines: times out CALLs past their deadline and commands queued past
 * theirs, and sends what is due (after a reconnect or a failed post).
 */
import type { CommandItem, OutstandingCall, QueueEntry } from '../store/commands.js';
import type { StationItem } from '../store/stations.js';
import type { CallDeadline } from './deadlines.js';
import { isFinal, sendFailedOutcome, sleep, type CommandPathDeps } from './path.js';
import type { Completion } from './completion.js';
import type { Delivery } from './delivery.js';

export class Sweeper {
  constructor(
    private readonly d: CommandPathDeps,
    private readonly completion: Completion,
    private readonly delivery: Delivery,
  ) {}

  /**
   * Times out CALLs past their deadline and commands queued past theirs, and sends what is due
   * (after a reconnect or a failed post). Query only: the CMDDUE index lists the due entries.
   */
  async sweep(now: Date, limit = 500): Promise<{ looked: number; finished: number }> {
    const { store } = this.d;
    const due = await store.commands.due(now, limit);
    let finished = 0;
    for (const key of due) {
      try {
        const entry = await store.commands.entry(key);
        if (!entry || entry.dueAt > now.toISOString()) continue;
        if (await this.#sweepEntry(entry, now)) finished++;
      } catch (error) {
        this.d.log.error('Sweeping a command failed', { key, error: error as Error });
      }
    }
    return { looked: due.length, finished };
  }

  async #sweepEntry(entry: QueueEntry, now: Date): Promise<boolean> {
    const { store } = this.d;
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
      await this.delivery.pump(entry.stationId);
      return false;
    }
    if (command.status === 'queued') {
      if (command.queueDeadline <= nowIso) {
        await this.completion.finish(
          command,
          { status: 'queued' },
          command.secret
            ? sendFailedOutcome()
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
        await this.delivery.pump(entry.stationId);
      }
      return false;
    }
    // Sent: the lock is held for it (else the first branch or a response handled it).
    const current = (await store.stations.get(entry.stationId))?.outstandingCall;
    if (!current || current.messageId !== command.messageId) {
      await this.completion.finish(
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
    const { store } = this.d;
    const overdue = known ?? (await store.commands.get(lock.commandId));
    if (overdue?.status === 'sent' && overdue.messageId === lock.messageId) {
      const lost = !station.connected || station.connectionId !== lock.connectionId;
      await this.completion.finish(
        overdue,
        { status: 'sent', messageId: lock.messageId },
        {
          status: 'timeout',
          error: lost
            ? { code: 'ConnectionLost', description: 'The station went offline without answering' }
            : { code: 'Timeout', description: `No answer within ${this.d.config.callTimeoutSeconds} s` },
        },
      );
    } else {
      await store.commands.releaseLock(station.id, lock.messageId);
      await this.delivery.pump(station.id);
    }
  }

  /**
   * A CALL's deadline came (the deadline queue): if the station has not answered it, it times out
   * and the next command goes out at once. Nothing happens if it was answered or already finished.
   */
  async expireCall(call: CallDeadline): Promise<void> {
    const { store } = this.d;
    const station = await store.stations.get(call.stationId);
    const lock = station?.outstandingCall;
    if (!station || !lock || lock.messageId !== call.messageId) return; // answered or settled
    const now = this.d.clock();
    const left = Date.parse(lock.deadline) - now.getTime();
    if (left > 2000) {
      // A deadline beyond the queue's longest delay (900 s): wait again.
      await this.delivery.scheduleDeadline({ ...call, deadline: lock.deadline }, now);
      return;
    }
    if (left > 0) await sleep(left); // whole-second delays, clocks a little apart: never early
    await this.#timeOutCall(station, lock);
  }
}
