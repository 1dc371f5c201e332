/**
 * Tie-backs: station messages that report on an earlier command (NotifyReport to GetBaseReport,
 * LogStatusNotification to GetLog, ReportChargingProfiles to GetChargingProfiles, ...) are
 * appended to that command's `results`, found through the requestId pointer written at submit
 * (1.6 GetDiagnostics / UpdateFirmware carry none: their notifications go to the latest such
 * command). A station's retry of the same message is not appended twice.
 */
import { contentDigest } from '../store/keys.js';
import type { Store } from '../store/index.js';
import { bounded } from './json.js';

/** Results kept per command; resultCount counts all of them. */
export const MAX_RESULTS = 100;
/** A result larger than this is kept as a size note (the data itself is stored by its handler). */
const MAX_RESULT_BYTES = 8 * 1024;

export interface ResultSource {
  readonly store: Pick<Store, 'commands'>;
  readonly stationId: string;
  readonly now: Date;
}

/**
 * Appends `payload` (or a summary of it) to the command that `ref` points at: a requestId, or the
 * name of the 1.6 action whose latest command is meant. Returns false when no command matches.
 */
export async function recordCommandResult(
  source: ResultSource,
  ref: number | string | undefined,
  action: string,
  payload: Record<string, unknown>,
  options: { readonly seqNo?: number } = {},
): Promise<boolean> {
  if (ref === undefined || (typeof ref === 'number' && !Number.isSafeInteger(ref))) return false;
  const commandId = await source.store.commands.getRef(source.stationId, ref, source.now);
  if (!commandId) return false;
  return appendCommandResult(source, commandId, action, payload, options);
}

/** Appends `payload` to a known command's results (once per distinct message). */
export async function appendCommandResult(
  source: ResultSource,
  commandId: string,
  action: string,
  payload: Record<string, unknown>,
  options: { readonly seqNo?: number } = {},
): Promise<boolean> {
  // The same message sent again (a retry, an offline replay) has the same key.
  const key = `${action}#${options.seqNo ?? contentDigest(payload)}`;
  return source.store.commands.appendResult(
    commandId,
    key,
    { action, payload: bounded(payload, MAX_RESULT_BYTES), receivedAt: source.now.toISOString() },
    MAX_RESULTS,
  );
}
