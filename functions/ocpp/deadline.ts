/**
 * Every CALL gets an OCPP answer (issue 7 defect 16). When the message function cannot finish
 * (overload, a slow table) the station must not get API Gateway's `{"message": "Internal server
 * error"}` — not an OCPP-J frame, its CALL left unanswered — but a CALLERROR InternalError
 * (OCPP-J 1.6 §4.2.3, 2.0.1 part 4 §4.2.3) sent before the function's deadline. The work goes on
 * and may still finish: whatever it stores then was not acknowledged, the station sends the
 * CALL again, and handlers are idempotent.
 */
import { OcppError } from '../../shared/ocpp/errors.js';
import { encodeCallError } from '../../shared/ocpp/frames.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';

/** Time kept back for sending the InternalError answer before the function times out. */
export const REPLY_MARGIN_MS = 1_000;

/**
 * `work`'s outcome, or `late()` if `work` has not settled `budgetMs` from now; `failed(error)`
 * if it rejects.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  budgetMs: number,
  late: () => T | Promise<T>,
  failed: (error: unknown) => T | Promise<T>,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(late()), Math.max(0, budgetMs));
  });
  try {
    return await Promise.race([work.catch(failed), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The CALLERROR InternalError answering `body` when it is a CALL (`[2, id, ...]`); undefined for
 * anything else (a CALLRESULT, CALLERROR or SEND is never answered; an unreadable frame got its
 * answer from the parser or gets none).
 */
export function internalErrorFor(body: string, protocol: OcppProtocol, reason: string): string | undefined {
  let frame: unknown;
  try {
    frame = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!Array.isArray(frame) || frame[0] !== 2 || typeof frame[1] !== 'string' || frame[1] === '')
    return undefined;
  return encodeCallError(frame[1], new OcppError('InternalError', reason), protocol);
}
