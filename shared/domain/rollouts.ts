/**
 * Firmware rollouts: the stored model and the pure rules (wave planning, a station's outcome, the
 * health gate). Storage is shared/store/rollouts.ts; the state machine's tasks are functions/rollout/;
 * docs/adr/0012-firmware-rollouts.md explains the design.
 */
import type { Command } from '../calls/types.js';

export type RolloutState = 'running' | 'paused' | 'completed' | 'aborted' | 'failed';
/** A rollout holds its stations (no second rollout may touch them) while in one of these. */
export const ACTIVE_STATES: readonly RolloutState[] = ['running', 'paused'];

export type StationStatus = 'pending' | 'in-progress' | 'succeeded' | 'failed' | 'skipped';
export const FINAL_STATION_STATUSES: readonly StationStatus[] = ['succeeded', 'failed', 'skipped'];

export interface RolloutFirmware {
  readonly location: string;
  readonly version: string;
  readonly retrieveAt?: string;
  readonly installAt?: string;
  readonly signature?: string;
  readonly signingCertificate?: string;
}

export interface RolloutPolicy {
  /** Stations of the first wave. */
  readonly canary: number;
  /** Stations of each later wave. */
  readonly batchSize: number;
  /** A wave whose failed share is above this (percent) trips the health gate. */
  readonly maxFailurePercent: number;
  readonly onThreshold: 'pause' | 'abort';
  /** A station not final this long after its wave started: skipped (never reached) or failed. */
  readonly stationTimeoutSeconds: number;
  /** How often the state machine reads the wave's progress. */
  readonly pollSeconds: number;
}

export type WaveState = 'pending' | 'running' | 'done';

export interface Wave {
  readonly index: number;
  readonly size: number;
  readonly state: WaveState;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly succeeded?: number;
  readonly failed?: number;
  readonly skipped?: number;
  /** failed / size in percent, once done. */
  readonly failurePercent?: number;
}

export interface Rollout {
  readonly id: string;
  readonly state: RolloutState;
  readonly firmware: RolloutFirmware;
  readonly policy: RolloutPolicy;
  readonly target: Record<string, unknown>;
  readonly waves: readonly Wave[];
  /** Name of the state machine execution that drives it; a task of any other execution stops. */
  readonly execution: string;
  /** Why it paused, aborted or failed (threshold, operator, an error). */
  readonly reason?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RolloutStation {
  readonly rolloutId: string;
  readonly stationId: string;
  /** Index of its wave; -1 for a station already on the target version (skipped, never sent). */
  readonly wave: number;
  readonly status: StationStatus;
  /** The latest firmware status the station reported for this rollout's command. */
  readonly firmwareStatus?: string;
  readonly commandId?: string;
  readonly reason?: string;
  readonly updatedAt: string;
}

/** Waves of station ids: the canary first, then batches. */
export function planWaves(stationIds: readonly string[], policy: RolloutPolicy): string[][] {
  const waves: string[][] = [];
  if (stationIds.length === 0) return waves;
  waves.push(stationIds.slice(0, policy.canary));
  for (let i = policy.canary; i < stationIds.length; i += policy.batchSize) {
    waves.push(stationIds.slice(i, i + policy.batchSize));
  }
  return waves;
}

/** Firmware statuses that end an update in failure (1.6 §7.25, Security ext. and 2.0.1 FirmwareStatusEnumType). */
export const FAILURE_FIRMWARE_STATUSES: ReadonlySet<string> = new Set([
  'DownloadFailed',
  'InstallationFailed',
  'InstallVerificationFailed',
  'InvalidSignature',
]);

const FIRMWARE_RESULTS = new Set(['FirmwareStatusNotification', 'SignedFirmwareStatusNotification']);

export interface Observation {
  readonly command: Command | undefined;
  /** The station's stored boot data. */
  readonly station: { readonly bootedAt?: string; readonly firmwareVersion?: string } | undefined;
  readonly targetVersion: string;
  readonly waveStartedAt: string;
  readonly timeoutSeconds: number;
  readonly now: Date;
}

export interface Outcome {
  readonly status: StationStatus;
  readonly firmwareStatus?: string;
  readonly reason?: string;
}

/** The latest firmware status tied to the command (requestId in 2.x / signed 1.6, the latest UpdateFirmware in 1.6). */
export function latestFirmwareStatus(command: Command | undefined): string | undefined {
  const results = (command?.results ?? []).filter((r) => FIRMWARE_RESULTS.has(r.action));
  const status = results.at(-1)?.payload.status;
  return typeof status === 'string' ? status : undefined;
}

/**
 * Where a station of a running wave stands. Installed: succeeded (it may install without a reboot,
 * L01.FR.32). A failure status, a Rejected (or otherwise refused) answer, or a boot with another
 * firmware version after the command went out: failed. Not final by its deadline: skipped when the
 * command never reached the station or was never answered, failed when it accepted and then said
 * nothing conclusive.
 */
export function evaluate(o: Observation): Outcome {
  const { command } = o;
  const firmwareStatus = latestFirmwareStatus(command);
  const fs = firmwareStatus !== undefined ? { firmwareStatus } : {};
  if (!command) return { status: 'failed', reason: 'command-missing' };
  if (command.status === 'rejected') {
    const answer = command.response?.status;
    return {
      status: 'failed',
      reason: `answered ${typeof answer === 'string' ? answer : 'Rejected'}`,
      ...fs,
    };
  }
  if (command.status === 'failed') {
    return { status: 'failed', reason: `command failed: ${command.error?.code ?? 'unknown'}`, ...fs };
  }
  if (firmwareStatus === 'Installed') return { status: 'succeeded', ...fs };
  if (firmwareStatus !== undefined && FAILURE_FIRMWARE_STATUSES.has(firmwareStatus)) {
    return { status: 'failed', reason: firmwareStatus, ...fs };
  }
  const sentAt = command.sentAt;
  const booted = o.station?.bootedAt;
  if (sentAt !== undefined && booted !== undefined && booted > sentAt) {
    const version = o.station?.firmwareVersion;
    if (version !== undefined && version !== o.targetVersion) {
      return { status: 'failed', reason: `rebooted with firmware ${version}`, ...fs };
    }
  }
  const deadline = Date.parse(o.waveStartedAt) + o.timeoutSeconds * 1000;
  if (o.now.getTime() >= deadline) {
    if (command.status === 'completed') return { status: 'failed', reason: 'deadline', ...fs };
    return { status: 'skipped', reason: command.status === 'timeout' ? 'unreachable' : 'deadline', ...fs };
  }
  if (command.status === 'timeout') {
    // The command path gave up (queue or call deadline) before ours: never reached.
    return { status: 'skipped', reason: 'unreachable', ...fs };
  }
  return { status: 'in-progress', ...fs };
}

/** The health gate: is the wave's failed share above the policy's threshold? */
export function overThreshold(failed: number, size: number, policy: RolloutPolicy): boolean {
  return size > 0 && (failed / size) * 100 > policy.maxFailurePercent;
}

export function failurePercent(failed: number, size: number): number {
  return size === 0 ? 0 : Math.round((failed / size) * 10_000) / 100;
}
