/**
 * What a schema-valid 2.0.1/2.1 payload may still carry that the CSMS cannot keep as is: integers
 * beyond 32 bits (2.0.1 / 2.1 part 2 §2.1 primitive datatypes: integer is 32 bit), decimals beyond
 * what the store keeps exactly (2^53; DynamoDB's smallest is 1E-130), timestamps with offsets (they become keys
 * and sort orders). Refused, left out, or put in canonical form here, so that a station never gets
 * InternalError for a payload the schemas allow.
 */
import { samplesFrom2, type Sample } from '../../../shared/domain/meter-values.js';
import { OcppError } from '../../../shared/ocpp/errors.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Refuses an integer field outside 32 bits: PropertyConstraintViolation (part 4 §4.3: an invalid value). */
export function requireInt32(fields: Readonly<Record<string, number | undefined>>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined && (value < INT32_MIN || value > INT32_MAX)) {
      throw new OcppError('PropertyConstraintViolation', `${name} is not a 32-bit integer`, { path: name });
    }
  }
}

/**
 * A decimal the store keeps exactly, or undefined (left out, never refused: it is the station's
 * reading). Beyond 2^53 the document client refuses a number; no meter reads that far.
 */
export function storable(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= 1e-130 && magnitude <= Number.MAX_SAFE_INTEGER) ? value : undefined;
}

/** RFC 3339 timestamps in one canonical UTC form, so they order as strings; unparsable ones as sent. */
export function utc(timestamp: string): string {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? timestamp : new Date(ms).toISOString();
}

/** 2.0.1/2.1 meter values as samples: canonical timestamps, unstorable values left out. */
export function samplesOf(meterValues: Parameters<typeof samplesFrom2>[0]): Sample[] {
  return samplesFrom2(meterValues.map((mv) => ({ ...mv, timestamp: utc(mv.timestamp) }))).map((s) =>
    s.value === storable(s.value) ? s : { ...s, value: undefined },
  );
}
