/**
 * Completion: makes a command final (only from the state seen: the first to finish wins),
 * publishes command.completed.v1 with the events of its answer, frees the station's lock, leaves
 * the queue and sends the next command.
 */
import type { DomainEvent } from '../events/catalog.js';
import { queueKeyOf, type CommandItem } from '../store/commands.js';
import { isFinal, type CommandPathDeps, type Outcome } from './path.js';

export class Completion {
  constructor(
    private readonly d: CommandPathDeps,
    /** Sends the station's next command (Delivery.pump). */
    private readonly next: (stationId: string) => Promise<void>,
  ) {}

  /**
   * Makes a command final (only from the state seen: the first to finish wins), publishes
   * command.completed.v1 with `events`, frees the lock, leaves the queue and sends the next one.
   */
  async finish(
    command: CommandItem,
    from: { readonly status: 'queued' } | { readonly status: 'sent'; readonly messageId: string },
    outcome: Outcome,
    events: readonly DomainEvent[] = [],
    pump = true,
  ): Promise<void> {
    const { store, log } = this.d;
    const completedAt = this.d.clock().toISOString();
    let final: CommandItem | undefined;
    try {
      final = await store.commands.finalize(command.id, from, { ...outcome, completedAt });
      if (final) {
        this.d.onFinished?.(outcome.status);
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
    if (pump) await this.next(command.stationId);
  }

  async #publishCompleted(
    command: CommandItem,
    outcome: Outcome,
    completedAt: string,
    events: readonly DomainEvent[],
  ): Promise<void> {
    const responseStatus = outcome.response?.status;
    try {
      await this.d.events.publish([
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
      this.d.log.error('command.completed.v1 not published', {
        commandId: command.id,
        error: error as Error,
      });
    }
  }
}
