/**
 * Rollout control, shared by the HTTP API (create, pause, resume, abort) and the state machine's
 * tasks (./tasks.ts): every state change is a conditional write on the stored rollout, so the
 * API and a running execution never both win (docs/adr/0012-firmware-rollouts.md).
 */
import { randomUUID } from 'node:crypto';
import type { CommandService } from '../../shared/calls/types.js';
import type { EventSink } from '../../shared/events/publisher.js';
import type { Store } from '../../shared/store/index.js';
import {
  FINAL_STATION_STATUSES,
  planWaves,
  type Rollout,
  type RolloutFirmware,
  type RolloutPolicy,
  type RolloutStation,
  type RolloutState,
} from '../../shared/domain/rollouts.js';
import type { RolloutExecutions } from './executions.js';
import { RolloutInputError } from './errors.js';
import { resolveTargets, type RolloutTarget } from './targets.js';

export { RolloutInputError };

export interface RolloutDeps {
  readonly store: Store;
  readonly commands: CommandService;
  readonly events: EventSink;
  readonly executions: RolloutExecutions;
  readonly clock: () => Date;
}

/** A station of the request is in another active rollout. */
export class RolloutConflictError extends Error {
  constructor(
    readonly stationId: string,
    readonly rolloutId: string,
  ) {
    super(`station ${stationId} is in active rollout ${rolloutId}`);
    this.name = 'RolloutConflictError';
  }
}

/** Pause / resume / abort in a state that does not allow it. */
export class RolloutStateError extends Error {
  constructor(rolloutId: string, state: RolloutState, action: string) {
    super(`rollout ${rolloutId} is ${state}: it cannot be ${action}`);
    this.name = 'RolloutStateError';
  }
}

export class RolloutNotFoundError extends Error {
  constructor(readonly rolloutId: string) {
    super(`No rollout ${rolloutId}`);
    this.name = 'RolloutNotFoundError';
  }
}

export interface CreateRollout {
  readonly firmware: RolloutFirmware;
  readonly target: RolloutTarget;
  readonly policy: RolloutPolicy;
}

/** A new execution name per run of the machine over a rollout (start, resume, restart). */
export function newExecutionName(rolloutId: string): string {
  return `${rolloutId}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

export function counts(stations: readonly RolloutStation[]) {
  const c = { total: stations.length, pending: 0, inProgress: 0, succeeded: 0, failed: 0, skipped: 0 };
  for (const s of stations) {
    if (s.status === 'in-progress') c.inProgress++;
    else c[s.status]++;
  }
  return c;
}

const base = (r: Pick<Rollout, 'id' | 'firmware'>, now: Date) => ({
  rolloutId: r.id,
  occurredAt: now.toISOString(),
  firmwareVersion: r.firmware.version,
});

/** Resolves the targets, claims them, stores the rollout and starts its execution. */
export async function createRollout(input: CreateRollout, deps: RolloutDeps): Promise<Rollout> {
  const now = deps.clock();
  const { toUpdate, alreadyOnVersion } = await resolveTargets(
    deps.store,
    input.target,
    input.firmware.version,
  );
  const id = randomUUID();
  const conflict = await deps.store.rollouts.claim(toUpdate, id);
  if (conflict) throw new RolloutConflictError(conflict.stationId, conflict.rolloutId);
  const waves = planWaves(toUpdate, input.policy);
  const at = now.toISOString();
  const rollout: Rollout = {
    id,
    state: 'running',
    firmware: input.firmware,
    policy: input.policy,
    target: { ...input.target },
    waves: waves.map((w, index) => ({ index, size: w.length, state: 'pending' })),
    execution: newExecutionName(id),
    createdAt: at,
    updatedAt: at,
  };
  const stations: RolloutStation[] = [
    ...alreadyOnVersion.map((stationId): RolloutStation => ({
      rolloutId: id,
      stationId,
      wave: -1,
      status: 'skipped',
      reason: 'already on the target version',
      updatedAt: at,
    })),
    ...waves.flatMap((w, wave) =>
      w.map((stationId): RolloutStation => ({
        rolloutId: id,
        stationId,
        wave,
        status: 'pending',
        updatedAt: at,
      })),
    ),
  ];
  try {
    await deps.store.rollouts.create(rollout, stations);
  } catch (error) {
    await deps.store.rollouts.release(toUpdate, id);
    throw error;
  }
  // Stored as running: it must get its execution, or be failed (never running without one).
  try {
    await deps.events.publish([
      {
        type: 'rollout.started.v1',
        detail: { ...base(rollout, now), stations: toUpdate.length, waves: waves.length },
      },
    ]);
    await deps.executions.start({ rolloutId: id, execution: rollout.execution });
  } catch (error) {
    await failRollout(rollout, rollout.execution, `could not start: ${(error as Error).message}`, deps);
    throw error;
  }
  return rollout;
}

async function mustGet(id: string, deps: RolloutDeps): Promise<Rollout> {
  const r = await deps.store.rollouts.get(id);
  if (!r) throw new RolloutNotFoundError(id);
  return r;
}

export async function pauseRollout(id: string, deps: RolloutDeps): Promise<Rollout> {
  const now = deps.clock();
  if (!(await deps.store.rollouts.transition(id, ['running'], 'paused', now, { reason: 'operator' }))) {
    const r = await mustGet(id, deps);
    throw new RolloutStateError(id, r.state, 'paused');
  }
  const r = await mustGet(id, deps);
  await deps.events.publish([{ type: 'rollout.paused.v1', detail: { ...base(r, now), reason: 'operator' } }]);
  return r;
}

/** A paused rollout runs again: a new execution continues from the stored progress. */
export async function resumeRollout(id: string, deps: RolloutDeps): Promise<Rollout> {
  const now = deps.clock();
  const execution = newExecutionName(id);
  if (
    !(await deps.store.rollouts.transition(id, ['paused'], 'running', now, { reason: 'resumed', execution }))
  ) {
    const r = await mustGet(id, deps);
    throw new RolloutStateError(id, r.state, 'resumed');
  }
  const r = await mustGet(id, deps);
  await deps.events.publish([{ type: 'rollout.resumed.v1', detail: base(r, now) }]);
  await restartExecution(r, deps);
  return r;
}

/** Starts the execution the stored rollout names; a rollout that cannot run is failed. */
export async function restartExecution(r: Rollout, deps: RolloutDeps): Promise<void> {
  try {
    await deps.executions.start({ rolloutId: r.id, execution: r.execution });
  } catch (error) {
    await failRollout(r, r.execution, `could not start: ${(error as Error).message}`, deps);
    throw error;
  }
}

export async function abortRollout(id: string, deps: RolloutDeps): Promise<Rollout> {
  const now = deps.clock();
  const before = await mustGet(id, deps);
  if (
    !(await deps.store.rollouts.transition(id, ['running', 'paused'], 'aborted', now, { reason: 'operator' }))
  ) {
    const r = await mustGet(id, deps);
    throw new RolloutStateError(id, r.state, 'aborted');
  }
  await deps.executions.stop(before.execution);
  await settle(before, 'aborted', deps);
  await deps.events.publish([
    { type: 'rollout.aborted.v1', detail: { ...base(before, now), reason: 'operator' } },
  ]);
  return mustGet(id, deps);
}

/**
 * A rollout that ended early (aborted, failed): stations never started or not final are skipped
 * (never counted as success) and the stations are given back to other rollouts.
 */
export async function settle(r: Rollout, why: string, deps: RolloutDeps): Promise<void> {
  const now = deps.clock().toISOString();
  const stations = await deps.store.rollouts.stations(r.id);
  for (const s of stations) {
    if (FINAL_STATION_STATUSES.includes(s.status)) continue;
    await deps.store.rollouts.putStation({ ...s, status: 'skipped', reason: why, updatedAt: now });
  }
  await deps.store.rollouts.release(
    stations.map((s) => s.stationId),
    r.id,
  );
}

/** The machine could not run the rollout: failed, stations given back, and said so. */
export async function failRollout(
  r: Rollout,
  execution: string,
  error: string,
  deps: RolloutDeps,
): Promise<void> {
  const now = deps.clock();
  if (
    !(await deps.store.rollouts.transition(
      r.id,
      ['running', 'paused'],
      'failed',
      now,
      { reason: error },
      execution,
    ))
  )
    return;
  await settle(r, 'rollout failed', deps);
  await deps.events.publish([{ type: 'rollout.failed.v1', detail: { ...base(r, now), error } }]);
}
