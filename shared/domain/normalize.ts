/**
 * Canonical forms for what stations send, shared by every OCPP version: timestamps become item keys
 * and sort orders, numbers must fit what DynamoDB keeps exactly.
 */

/** RFC 3339 timestamps in one canonical UTC form (so they order as strings); unparsable ones as sent. */
export function canonicalTime(timestamp: string): string {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? timestamp : new Date(ms).toISOString();
}

/** DynamoDB numbers: magnitude from 1e-130 (or 0); JavaScript integers are exact up to 2^53. */
const SMALLEST_STORABLE = 1e-130;

/**
 * A number the CSMS can store exactly, or undefined. A meter reading beyond 2^53 (or below 1e-130)
 * is not plausible; sanity checks never keep the CSMS from answering (1.6 §4.7, §4.8, §4.10), so
 * such a value is left out rather than refused.
 */
export function storableNumber(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= SMALLEST_STORABLE && magnitude <= Number.MAX_SAFE_INTEGER)
    ? value
    : undefined;
}
