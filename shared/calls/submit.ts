/**
 * Submission: validates a command against the station's version (its call module, the schema, the
 * message size, passwords), honours idempotency keys, stores and enqueues it, and sends it if the
 * station is free. A password command is sent by its submitter alone (the password is never stored).
 */
import { randomUUID } from 'node:crypto';
import { hashSecret } from '../auth/secrets.js';
import { encodeCall, MAX_MESSAGE_BYTES } from '../ocpp/frames.js';
import { chargingProfileViolations } from '../domain/charging-profile-rules.js';
import { loadValidators, schemaViolation } from '../ocpp/validation.js';
import { toCommand, type CommandItem } from '../store/commands.js';
import type { StationItem } from '../store/stations.js';
import { commandProtocol, PASSWORD, requestIdOf } from './actions.js';
import type { AnyCall } from './spec.js';
import { requestFingerprint, storableObject } from './json.js';
import {
  CommandValidationError,
  IdempotencyKeyReusedError,
  ProtocolUnknownError,
  StationNotFoundError,
  StationOfflineError,
  UnknownActionError,
  type Command,
  type SubmitCommand,
} from './types.js';
import {
  IDEMPOTENCY_TTL_SECONDS,
  iso,
  REF_TTL_SECONDS,
  sendFailedOutcome,
  sleep,
  specOf,
  type CommandPathDeps,
} from './path.js';
import type { Completion } from './completion.js';
import type { Delivery } from './delivery.js';

export class Submission {
  constructor(
    private readonly d: CommandPathDeps,
    private readonly completion: Completion,
    private readonly delivery: Delivery,
  ) {}

  /** createdAt is strictly increasing within a process: commands submitted in one burst keep their order. */
  #lastCreated = 0;

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
    const station = await this.d.store.stations.get(stationId);
    if (!station) throw new StationNotFoundError(stationId);
    const protocol = commandProtocol(station);
    if (!protocol) throw new ProtocolUnknownError(stationId);
    const entry = Object.entries(this.d.calls[protocol]).find(([, spec]) => spec?.password?.request);
    if (!entry?.[1]?.password?.request) throw new Error(`no ${protocol} call sets a station password`);
    const [action, spec] = entry as [string, AnyCall & { password: { request: (p: string) => object } }];
    const payload = spec.password.request(newPassword) as Record<string, unknown>;
    return this.create({ stationId, action, payload }, now, station);
  }

  async create(input: SubmitCommand, now: Date, known?: StationItem): Promise<Command> {
    const { store } = this.d;
    const station = known ?? (await store.stations.get(input.stationId));
    if (!station) throw new StationNotFoundError(input.stationId);
    const protocol = commandProtocol(station);
    if (!protocol) throw new ProtocolUnknownError(input.stationId);
    const spec = specOf(this.d, protocol, input.action);
    if (!spec) throw new UnknownActionError(input.action, protocol);
    await loadValidators(protocol);
    const violation = schemaViolation(protocol, input.action, 'Request', input.payload);
    if (violation) {
      throw new CommandValidationError(`${input.action}Request ${violation.message}`, [
        { path: violation.field, message: violation.message },
      ]);
    }
    // K01 rules beyond the schema (shared/domain/charging-profile-rules.ts): a 400 naming the rule.
    const broken = chargingProfileViolations(protocol, input.action, input.payload);
    if (broken.length > 0) {
      const fields = broken.map((v) => ({ path: v.path, message: `${v.rule}: ${v.message}` }));
      throw new CommandValidationError(`${input.action}Request breaks ${fields[0]!.message}`, fields);
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
    const holdMs = this.d.secretHoldMs ?? 10_000;
    const queueDeadline = iso(
      // A password command cannot wait in the queue: the sweep fails it soon after its submitter gave up.
      secret ? created + holdMs + 5_000 : created + this.d.config.queueTtlSeconds * 1000,
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
    this.d.log.info('Command submitted', {
      stationId: input.stationId,
      commandId: id,
      action: input.action,
    });
    if (secret) await this.#sendSecret(item, input.payload, holdMs);
    else await this.delivery.pump(input.stationId);
    return toCommand((await store.commands.get(id)) ?? item);
  }

  /** A concurrent submit with the same idempotency key stores its command a moment later. */
  async #awaitStored(id: string): Promise<Command> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const item = await this.d.store.commands.get(id);
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
      await this.delivery.pump(item.stationId, { commandId: item.id, payload });
      const current = await this.d.store.commands.get(item.id);
      if (!current || current.status !== 'queued') return;
      if (performance.now() >= until) {
        await this.completion.finish(current, { status: 'queued' }, sendFailedOutcome());
        return;
      }
      await sleep(wait);
    }
  }
}
