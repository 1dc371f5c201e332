/**
 * The tasks of the rollout state machine (./definition.ts). Each reads the stored rollout first
 * and does nothing for an execution the rollout no longer names (a resumed or restarted rollout
 * has a new one), so an old execution still polling cannot act twice.
 *
 *   next: start the first wave not started (submit its commands), or go on polling a started one,
 *         or complete the rollout; a paused or ended rollout ends the execution.
 *   poll: ONE read of all the stations of the current wave; when all are final, the health gate.
 *   fail: the machine could not run the rollout (a task failed past its retries).
 */
import { randomInt } from 'node:crypto';
import { commandProtocol } from '../../shared/calls/actions.js';
import {
  evaluate,
  failurePercent,
  FINAL_STATION_STATUSES,
  overThreshold,
  type Rollout,
  type RolloutStation,
  type Wave,
} from '../../shared/domain/rollouts.js';
import { firmwareCommand } from './firmware-command.js';
import { counts, failRollout, settle, type RolloutDeps } from './service.js';

export interface TaskInput {
  readonly task: 'next' | 'poll' | 'fail';
  readonly rolloutId: string;
  readonly execution: string;
  /** fail: the error Step Functions caught. */
  readonly error?: unknown;
}

/** What the Choice states read: `action`; the Wait reads `pollSeconds`. */
export interface TaskOutput {
  readonly rolloutId: string;
  readonly execution: string;
  readonly action: 'poll' | 'next' | 'end';
  readonly pollSeconds: number;
}

/** Submissions in flight at once while a wave starts. */
const SUBMIT_CONCURRENCY = 8;

export async function runTask(input: TaskInput, deps: RolloutDeps): Promise<TaskOutput> {
  const r = await deps.store.rollouts.get(input.rolloutId);
  const out = (action: TaskOutput['action']): TaskOutput => ({
    rolloutId: input.rolloutId,
    execution: input.execution,
    action,
    pollSeconds: r?.policy.pollSeconds ?? 1,
  });
  if (!r || r.execution !== input.execution) return out('end');
  switch (input.task) {
    case 'next':
      return out(await next(r, deps));
    case 'poll':
      return out(await poll(r, deps));
    case 'fail':
      await failRollout(r, input.execution, describe(input.error), deps);
      return out('end');
  }
}

function describe(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { Error?: unknown; Cause?: unknown };
    const name = typeof e.Error === 'string' ? e.Error : 'Error';
    const cause = typeof e.Cause === 'string' ? e.Cause : JSON.stringify(e.Cause ?? '');
    return `${name}: ${cause.slice(0, 500)}`;
  }
  return String(error);
}

async function next(r: Rollout, deps: RolloutDeps): Promise<TaskOutput['action']> {
  if (r.state !== 'running') return 'end'; // paused: resume starts a new execution
  const wave = r.waves.find((w) => w.state !== 'done');
  if (!wave) {
    const now = deps.clock();
    if (!(await deps.store.rollouts.transition(r.id, ['running'], 'completed', now, {}, r.execution)))
      return 'end';
    const stations = await deps.store.rollouts.stations(r.id);
    await deps.store.rollouts.release(
      stations.map((s) => s.stationId),
      r.id,
    );
    await deps.events.publish([
      {
        type: 'rollout.completed.v1',
        detail: {
          rolloutId: r.id,
          occurredAt: now.toISOString(),
          firmwareVersion: r.firmware.version,
          counts: counts(stations),
        },
      },
    ]);
    return 'end';
  }
  if (wave.state === 'pending') await startWave(r, wave, deps);
  return 'poll';
}

function withWave(r: Rollout, wave: Wave): Wave[] {
  return r.waves.map((w) => (w.index === wave.index ? wave : w));
}

async function startWave(r: Rollout, wave: Wave, deps: RolloutDeps): Promise<void> {
  const now = deps.clock();
  const started: Wave = { ...wave, state: 'running', startedAt: now.toISOString() };
  if (!(await deps.store.rollouts.putWaves(r.id, withWave(r, started), r.execution, now))) return;
  const stations = (await deps.store.rollouts.stations(r.id, wave.index)).filter(
    (s) => s.status === 'pending',
  );
  for (let i = 0; i < stations.length; i += SUBMIT_CONCURRENCY) {
    await Promise.all(stations.slice(i, i + SUBMIT_CONCURRENCY).map((s) => submit(r, s, deps)));
  }
}

/** One station's firmware command through the one command path (queued while it is offline). */
async function submit(r: Rollout, s: RolloutStation, deps: RolloutDeps): Promise<void> {
  const now = deps.clock();
  const at = now.toISOString();
  try {
    const station = await deps.store.stations.get(s.stationId, false);
    const protocol = station ? commandProtocol(station) : undefined;
    if (!station || !protocol) {
      await deps.store.rollouts.putStation({
        ...s,
        status: 'skipped',
        reason: station ? 'OCPP version unknown' : 'station deleted',
        updatedAt: at,
      });
      return;
    }
    const { action, payload } = firmwareCommand(protocol, r.firmware, randomInt(1, 2 ** 31 - 1), now);
    // The same key and fingerprint on a retried task return the first command: sent once.
    const command = await deps.commands.submit(
      {
        stationId: s.stationId,
        action,
        payload,
        idempotencyKey: `rollout-${r.id}`,
        requestFingerprint: `rollout:${r.id}`,
      },
      now,
    );
    await deps.store.rollouts.putStation({
      ...s,
      status: 'in-progress',
      commandId: command.id,
      updatedAt: at,
    });
  } catch (error) {
    // Refused before sending (the version's schema, a deleted station): this station failed.
    await deps.store.rollouts.putStation({
      ...s,
      status: 'failed',
      reason: `not sent: ${(error as Error).message}`.slice(0, 300),
      updatedAt: at,
    });
  }
}

async function poll(r: Rollout, deps: RolloutDeps): Promise<TaskOutput['action']> {
  if (r.state !== 'running' && r.state !== 'paused') return 'end';
  const wave = r.waves.find((w) => w.state === 'running');
  if (!wave) return 'next';
  const now = deps.clock();
  const stations = await deps.store.rollouts.stations(r.id, wave.index);
  const current: RolloutStation[] = [];
  for (const s of stations) {
    if (FINAL_STATION_STATUSES.includes(s.status) || s.commandId === undefined) {
      current.push(s);
      continue;
    }
    const [command, station] = await Promise.all([
      deps.commands.get(s.commandId),
      deps.store.stations.get(s.stationId, false),
    ]);
    const o = evaluate({
      command,
      station,
      targetVersion: r.firmware.version,
      waveStartedAt: wave.startedAt ?? r.updatedAt,
      timeoutSeconds: r.policy.stationTimeoutSeconds,
      now,
    });
    if (o.status !== s.status || o.firmwareStatus !== s.firmwareStatus || o.reason !== s.reason) {
      const { reason: _r, firmwareStatus: _f, ...rest } = s;
      const updated: RolloutStation = { ...rest, ...o, updatedAt: now.toISOString() };
      await deps.store.rollouts.putStation(updated);
      current.push(updated);
    } else current.push(s);
  }
  if (!current.every((s) => FINAL_STATION_STATUSES.includes(s.status))) return 'poll';
  return gate(r, wave, current, deps);
}

/** The wave is over: record it, say so, and hold the rollout if it failed too much. */
async function gate(
  r: Rollout,
  wave: Wave,
  stations: readonly RolloutStation[],
  deps: RolloutDeps,
): Promise<TaskOutput['action']> {
  const now = deps.clock();
  const c = counts(stations);
  const tripped = overThreshold(c.failed, wave.size, r.policy);
  const done: Wave = {
    ...wave,
    state: 'done',
    completedAt: now.toISOString(),
    succeeded: c.succeeded,
    failed: c.failed,
    skipped: c.skipped,
    failurePercent: failurePercent(c.failed, wave.size),
  };
  if (!(await deps.store.rollouts.putWaves(r.id, withWave(r, done), r.execution, now))) return 'end';
  const base = { rolloutId: r.id, occurredAt: now.toISOString(), firmwareVersion: r.firmware.version };
  await deps.events.publish([
    {
      type: 'rollout.wave-completed.v1',
      detail: {
        ...base,
        wave: wave.index,
        size: wave.size,
        succeeded: c.succeeded,
        failed: c.failed,
        skipped: c.skipped,
        failurePercent: done.failurePercent ?? 0,
        overThreshold: tripped,
      },
    },
  ]);
  if (!tripped) return 'next';
  if (r.policy.onThreshold === 'abort') {
    if (
      await deps.store.rollouts.transition(
        r.id,
        ['running', 'paused'],
        'aborted',
        now,
        { reason: 'threshold' },
        r.execution,
      )
    ) {
      await settle(r, 'aborted', deps);
      await deps.events.publish([
        { type: 'rollout.aborted.v1', detail: { ...base, reason: 'threshold', wave: wave.index } },
      ]);
    }
    return 'end';
  }
  if (
    await deps.store.rollouts.transition(
      r.id,
      ['running'],
      'paused',
      now,
      { reason: 'threshold' },
      r.execution,
    )
  ) {
    await deps.events.publish([
      { type: 'rollout.paused.v1', detail: { ...base, reason: 'threshold', wave: wave.index } },
    ]);
  }
  return 'end';
}
