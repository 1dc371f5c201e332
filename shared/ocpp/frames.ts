/**
 * OCPP-J framing (1.6, 2.0.1, 2.1): parse what a station sends, encode what the CSMS sends.
 * Message types: 2 CALL, 3 CALLRESULT, 4 CALLERROR; 2.1 adds 5 CALLRESULTERROR and 6 SEND
 * (OCPP-J 2.1 part 4 §4.1.3).
 */
import { OcppError, wireErrorCode, type OcppErrorCode } from './errors.js';
import type { OcppProtocol } from './versions.js';

/** API Gateway refuses WebSocket messages over 128 KB; the local gateway does the same. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
/** OCPP-J 2.0.1 part 4 §4.1.4 / 1.6 §4.1.4: message ids are strings of at most 36 characters. */
export const MAX_MESSAGE_ID_LENGTH = 36;
/** 2.1 part 4 §4.2.3: when the message id of a corrupt message cannot be read, reply with "-1". */
export const UNREADABLE_ID = '-1';
/** 2.0.1 part 4 §4.2.3: errorDescription is string[255]. */
const MAX_DESCRIPTION = 255;
/**
 * Deepest nesting of arrays and objects a frame may have, the frame's own array included. The
 * deepest official payload (2.0.1 / 2.1 ReportChargingProfiles) nests 13 levels, so 14 with the
 * frame; 64 leaves room for vendor DataTransfer data while staying far below what recursive
 * steps after parsing (JSON.stringify in the event publisher, schema validation, DynamoDB
 * marshalling) survive: a 5,000-level DataTransfer overflowed the stack there.
 */
export const MAX_JSON_DEPTH = 64;

export type InboundFrame =
  | {
      readonly type: 2;
      readonly id: string;
      readonly action: string;
      readonly payload: Record<string, unknown>;
    }
  | { readonly type: 3; readonly id: string; readonly payload: Record<string, unknown> }
  | {
      readonly type: 4 | 5;
      readonly id: string;
      readonly code: string;
      readonly description: string;
      readonly details: Record<string, unknown>;
    }
  | {
      readonly type: 6;
      readonly id: string;
      readonly action: string;
      readonly payload: Record<string, unknown>;
    };

export type ParseOutcome =
  | { readonly ok: true; readonly frame: InboundFrame }
  /** replyId undefined: the spec says to drop the message (log it, send nothing). */
  | { readonly ok: false; readonly error: OcppError; readonly replyId: string | undefined };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `value` nests deeper than `limit`; iterative, so any depth is safe to check. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function validId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_MESSAGE_ID_LENGTH;
}

export function parseFrame(raw: string, protocol: OcppProtocol): ParseOutcome {
  const fail = (code: OcppErrorCode, message: string, replyId: string | undefined): ParseOutcome => ({
    ok: false,
    error: new OcppError(code, message),
    replyId,
  });

  if (Buffer.byteLength(raw, 'utf8') > MAX_MESSAGE_BYTES) {
    return fail('RpcFrameworkError', `Message exceeds ${MAX_MESSAGE_BYTES} bytes`, UNREADABLE_ID);
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fail('RpcFrameworkError', 'Message is not valid JSON', UNREADABLE_ID);
  }
  if (!Array.isArray(value) || value.length === 0) {
    return fail('RpcFrameworkError', 'Message is not an OCPP-J array', UNREADABLE_ID);
  }
  const [type, id] = value as unknown[];
  const idForReply = validId(id) ? id : UNREADABLE_ID;
  if (typeof type !== 'number' || !Number.isInteger(type)) {
    return fail('RpcFrameworkError', 'MessageTypeId is not an integer', idForReply);
  }
  const is21 = protocol === 'ocpp2.1';
  const known = type === 2 || type === 3 || type === 4 || (is21 && (type === 5 || type === 6));
  if (!known) {
    // 2.0.1 part 4 §4.4: answer MessageTypeNotSupported. 1.6 §4.1.3 and 2.1 part 4 §4.4 (updated
    // in 2.1): ignore the message.
    return fail(
      'MessageTypeNotSupported',
      `Unknown MessageTypeId ${type}`,
      protocol === 'ocpp2.0.1' ? idForReply : undefined,
    );
  }
  if (!validId(id)) {
    // A response with an unreadable id matches no call: drop it. A CALL gets RpcFrameworkError.
    // A SEND is never answered (2.1 part 4 §4.2.5).
    return type === 2
      ? fail(
          'RpcFrameworkError',
          `MessageId must be a string of 1 to ${MAX_MESSAGE_ID_LENGTH} characters`,
          UNREADABLE_ID,
        )
      : fail('RpcFrameworkError', 'Message with an invalid MessageId dropped', undefined);
  }

  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    // Well-formed JSON that no OCPP payload has: a CALL gets FormatViolation (1.6 spells it
    // FormationViolation); a response or SEND this deep is dropped (answering it is not allowed).
    return fail(
      'FormatViolation',
      `Message nests deeper than ${MAX_JSON_DEPTH} levels`,
      type === 2 ? id : undefined,
    );
  }
  if (type === 2 || type === 6) {
    // A SEND (6) is never answered, not even with an error (2.1 part 4 §4.2.5).
    const replyId = type === 2 ? id : undefined;
    if (value.length !== 4) return fail('ProtocolError', 'A CALL has exactly 4 elements', replyId);
    const [, , action, payload] = value as unknown[];
    if (typeof action !== 'string' || action.length === 0) {
      return fail('ProtocolError', 'Action must be a non-empty string', replyId);
    }
    if (!isObject(payload)) return fail('FormatViolation', 'Payload must be a JSON object', replyId);
    return { ok: true, frame: { type, id, action, payload } };
  }
  if (type === 3) {
    const payload = value[2] as unknown;
    if (value.length !== 3 || !isObject(payload)) {
      return fail('ProtocolError', 'A CALLRESULT is [3, id, {payload}]', undefined);
    }
    return { ok: true, frame: { type, id, payload } };
  }
  const [, , code, description, details] = value as unknown[];
  if (
    value.length !== 5 ||
    typeof code !== 'string' ||
    typeof description !== 'string' ||
    !isObject(details)
  ) {
    return fail('ProtocolError', 'A CALLERROR is [4, id, code, description, {details}]', undefined);
  }
  return { ok: true, frame: { type, id, code, description, details } };
}

export function encodeCall(id: string, action: string, payload: object): string {
  return JSON.stringify([2, id, action, payload]);
}

export function encodeCallResult(id: string, payload: object): string {
  return JSON.stringify([3, id, payload]);
}

export function encodeCallError(id: string, error: OcppError, protocol: OcppProtocol): string {
  const description =
    error.message.length > MAX_DESCRIPTION
      ? `${error.message.slice(0, MAX_DESCRIPTION - 1)}…`
      : error.message;
  return JSON.stringify([4, id, wireErrorCode(error.code, protocol), description, error.details]);
}
