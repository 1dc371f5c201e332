/**
 * Delivery: sends a station's next queued command when it is connected and has no CALL
 * outstanding. At most one CALL per station is outstanding (OCPP-J 2.0.1 part 4 §4.1.1 SHALL, 1.6
 * §4.1.1 SHOULD): the lock on the station item is taken by a conditional write, so concurrent
 * submits, responses and sweeps never send two. A CALL whose connection closed is sent again
 * (repeatable calls) or times out.
 */
import { randomUUID } from 'node:crypto';
import { encodeCall } from '../ocpp/frames.js';
import { loadValidators, schemaViolation } from '../ocpp/validation.js';
import { queueKeyOf, type CommandItem, type OutstandingCall } from '../store/commands.js';
import type { CallDeadline } from './deadlines.js';
import {
  allowsOf,
  ALLOWANCE_SECONDS,
  isFinal,
  iso,
  RETRY_SECONDS,
  specOf,
  type CommandPathDeps,
} from './path.js';
import type { Completion } from './completion.js';

export class Delivery {
  constructor(
    private readonly d: CommandPathDeps,
    private readonly completion: Completion,
  ) {}

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
      this.d.log.error('Sending the next command failed; the sweep retries', {
        stationId,
        error: error as Error,
      });
    }
  }

  async #pump(
    stationId: string,
    secret?: { commandId: string; payload: Record<string, unknown> },
  ): Promise<void> {
    const { store, sender } = this.d;
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
          await this.connectionLost(again, again.messageId ?? '', false);
        }
        continue;
      }
      if (command.secret && secret?.commandId !== command.id) return; // only its submitter can send it
      if (command.protocol !== station.protocol) {
        await this.completion.finish(
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
      await loadValidators(command.protocol);
      const invalid = schemaViolation(command.protocol, command.action, 'Request', payload);
      if (invalid) {
        // Never send a payload that breaks the schema (it was checked at submit: this is a bug).
        this.d.log.error('Queued command payload invalid; not sent', {
          commandId: command.id,
          reason: invalid.message,
        });
        await this.completion.finish(
          command,
          { status: 'queued' },
          { status: 'failed', error: { code: 'SendFailed', description: invalid.message } },
          [],
          false,
        );
        continue;
      }

      const now = this.d.clock();
      const call: OutstandingCall = {
        commandId: command.id,
        messageId: randomUUID(),
        connectionId: station.connectionId,
        sentAt: now.toISOString(),
        deadline: iso(now.getTime() + this.d.config.callTimeoutSeconds * 1000),
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
        for (const message of allowsOf(this.d, command)) {
          await store.bootGate.allow(stationId, message, until, command.id);
        }
      }
      let delivered: 'sent' | 'gone' | 'failed';
      try {
        delivered = await sender.send(call.connectionId, encodeCall(call.messageId, command.action, payload));
      } catch (error) {
        this.d.log.error('PostToConnection failed; the command stays queued', {
          stationId,
          commandId: command.id,
          error: error as Error,
        });
        delivered = 'failed';
      }
      if (delivered === 'sent') {
        this.d.log.info('CALL sent', {
          stationId,
          commandId: command.id,
          action: command.action,
          messageId: call.messageId,
        });
        await this.scheduleDeadline(
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

  resendable(command: CommandItem): boolean {
    return specOf(this.d, command.protocol, command.action)?.repeatable === true && !command.secret;
  }

  async requeue(command: CommandItem, messageId: string): Promise<void> {
    const { store } = this.d;
    if (await store.commands.requeue(command.id, messageId)) {
      await store.commands.setDue(
        { ...queueKeyOf(command), stationId: command.stationId, commandId: command.id },
        command.queueDeadline,
      );
      await store.commands.releaseLock(command.stationId, messageId);
      this.d.log.info('Command will be sent again on the next connection', {
        stationId: command.stationId,
        commandId: command.id,
        action: command.action,
      });
    }
  }

  /** The connection a CALL went out on is gone: send it again, or time it out (never a second Reset). */
  async connectionLost(command: CommandItem, messageId: string, pump = true): Promise<void> {
    if (this.resendable(command)) {
      await this.requeue(command, messageId);
      if (pump) await this.pump(command.stationId);
      return;
    }
    await this.completion.finish(
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

  async scheduleDeadline(call: CallDeadline, now: Date): Promise<void> {
    if (!this.d.deadlines) return;
    try {
      await this.d.deadlines.schedule(call, now);
    } catch (error) {
      // The sweep times the CALL out instead, up to a minute late.
      this.d.log.error('Scheduling the call deadline failed; the sweep times it out', {
        stationId: call.stationId,
        commandId: call.commandId,
        error: error as Error,
      });
    }
  }
}
