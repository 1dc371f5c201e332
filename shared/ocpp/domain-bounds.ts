/**
 * Domain bounds of the numbers the CSMS keeps as keys (EVSE and connector ids, reservation,
 * transaction and request ids, sequence numbers), the same for every OCPP version, checked in one
 * place (the dispatcher, after the schema) before any handler stores them.
 *
 * The schemas say only "integer": 2.0.1 / 2.1 part 2 §2.1 makes integers 32 bit, and 1.6 ids are
 * the same 32-bit integers in practice (a 1.6 connectorId of 2^31 has no 2.x EVSE to map to).
 * EVSE and connector ids are never negative: 0 is the station as a whole (1.6 §3.8 connectorId 0,
 * 2.0.1 evseId 0 in MeterValues and NotifyEvent), 1.. are EVSEs and connectors (2.0.1 part 2
 * §2.2 "EVSE and connector numbering"). A value outside its bounds is PropertyConstraintViolation
 * (OCPP-J part 4 §4.3: a field holds an invalid value; the same spelling in every version).
 */
import { OcppError } from './errors.js';

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

interface Bounds {
  readonly min: number;
  readonly max: number;
}

const ID: Bounds = { min: 0, max: INT32_MAX };
const INT32: Bounds = { min: INT32_MIN, max: INT32_MAX };

/** Bounds by field name, wherever the field appears in a payload. */
const FIELDS: Readonly<Record<string, Bounds>> = {
  evseId: ID,
  connectorId: ID,
  seqNo: ID,
  reservationId: INT32,
  requestId: INT32,
  // 1.6 transactionId is an integer (-1 allowed, errata 3.18); the 2.x one is a string.
  transactionId: INT32,
};

/** Bounds by `parent.field`: 2.0.1 EVSEType `{id, connectorId}`. */
const NESTED: Readonly<Record<string, Bounds>> = {
  'evse.id': ID,
};

/** The first number in `payload` outside its domain bounds, as the CALLERROR to answer. */
export function domainBoundsViolation(payload: Record<string, unknown>): OcppError | undefined {
  // Iterative: the frame parser bounds the depth, but nothing here needs recursion.
  const stack: { value: unknown; path: string; key: string }[] = [{ value: payload, path: '', key: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, key } = next;
    if (typeof value !== 'object' || value === null) continue;
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value);
    for (const [name, child] of entries) {
      const childPath = path === '' ? name : `${path}.${name}`;
      if (typeof child === 'number') {
        const bounds = Array.isArray(value) ? undefined : (NESTED[`${key}.${name}`] ?? FIELDS[name]);
        if (bounds && (child < bounds.min || child > bounds.max)) {
          return new OcppError(
            'PropertyConstraintViolation',
            `${childPath} must be an integer from ${bounds.min} to ${bounds.max}`,
            { path: childPath },
          );
        }
      } else {
        stack.push({ value: child, path: childPath, key: Array.isArray(value) ? key : name });
      }
    }
  }
  return undefined;
}
