/**
 * Answers: a CALLRESULT / CALLERROR completes the station's outstanding command. A schema-valid
 * response goes to the action's call module (success rule, stored effects, events); the command
 * is then finished.
 */
import type { DomainEvent } from '../events/catalog.js';
import { loadValidators, schemaViolation } from '../ocpp/validation.js';
import type { CommandItem } from '../store/commands.js';
import type { StationItem } from '../store/stations.js';
import { outcomeOf } from './spec.js';
import { bounded } from './json.js';
import {
  allowsOf,
  MAX_RESPONSE_BYTES,
  specOf,
  type CommandPathDeps,
  type Outcome,
  type ResponseFrame,
} from './path.js';
import type { Completion } from './completion.js';
import type { Delivery } from './delivery.js';

export class Answers {
  constructor(
    private readonly d: CommandPathDeps,
    private readonly completion: Completion,
    private readonly delivery: Delivery,
  ) {}

  /**
   * A CALLRESULT / CALLERROR from the station (DispatchDeps.onResponse). False when it answers no
   * outstanding CALL of this station (the dispatcher logs and drops it).
   */
  async handleResponse(frame: ResponseFrame, station: { readonly stationId: string }): Promise<boolean> {
    const { store, log } = this.d;
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
        await this.delivery.pump(stationId);
        return true;
      }
      await loadValidators(command.protocol);
      const outcome = this.#outcome(command, frame);
      const events = await this.#effects(command, outcome, item);
      await this.completion.finish(command, { status: 'sent', messageId: frame.id }, outcome, events);
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
    const spec = specOf(this.d, command.protocol, command.action);
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
      await this.withdrawAllowances(command, station);
      return [];
    }
    const { store } = this.d;
    const response = outcome.valid ?? outcome.response ?? {};
    const spec = specOf(this.d, command.protocol, command.action);
    try {
      if (command.pendingPasswordHash && spec?.password?.accepted(response)) {
        // A01.FR.03: the old credentials are no longer accepted; the new ones at the next connection.
        await store.stations.replacePasswordHash(command.stationId, command.pendingPasswordHash);
        this.d.log.info('Station password changed', { stationId: command.stationId, commandId: command.id });
      }
      if (response.status !== undefined && response.status !== 'Accepted') {
        await this.withdrawAllowances(command, station);
      }
      if (!spec?.onResult) return [];
      return [
        ...(await spec.onResult(
          {
            store,
            stationId: command.stationId,
            protocol: command.protocol,
            commandId: command.id,
            now: this.d.clock(),
          },
          command.payload,
          response,
        )),
      ];
    } catch (error) {
      this.d.log.error('Storing what a command changed failed', {
        stationId: command.stationId,
        commandId: command.id,
        error: error as Error,
      });
      return [];
    }
  }

  async withdrawAllowances(command: CommandItem, station: StationItem | undefined): Promise<void> {
    if (station?.registrationStatus === 'Accepted') return;
    for (const message of allowsOf(this.d, command)) {
      await this.d.store.bootGate.withdraw(command.stationId, message, command.id);
    }
  }
}
