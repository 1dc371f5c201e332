/**
 * How 1.6 identifiers, times and numbers map onto the version-neutral model: a 1.6 connector is
 * an EVSE with one connector; every timestamp is stored in one canonical form so that the
 * conditional writes that compare timestamps as strings (newer wins) compare them in time order;
 * only numbers DynamoDB can hold exactly are stored.
 */
import { samplesFrom16, type Sample } from '../../../shared/domain/meter-values.js';
import { OcppError } from '../../../shared/ocpp/errors.js';

/** The EVSE and connector a 1.6 connectorId stands for (1.6 §3.8: 0 is the charge point itself). */
export function evseOf(connectorId: number): { evseId: number; connectorId: number } {
  return connectorId === 0 ? { evseId: 0, connectorId: 0 } : { evseId: connectorId, connectorId: 1 };
}

/**
 * A station's dateTime (already schema-checked) as UTC ISO 8601 with milliseconds. 1.6 §3.15: a
 * receiver must handle fractional seconds and time zone offsets (UTC is only recommended, §3.14);
 * the string order of the canonical form is time order. A value Date cannot read is kept as sent.
 */
export function isoTime(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

/**
 * Errata 3.18 (1.6 §4.8): a station that never got a transactionId sends its transaction-related
 * messages with transactionId -1, and the CSMS SHALL answer as if it were valid.
 */
export const UNKNOWN_TRANSACTION_ID = -1;

/** 1.6 meter values with their timestamps in canonical form (they become item keys and sort order). */
export function withIsoTimes<T extends { timestamp: string }>(meterValues: readonly T[]): T[] {
  return meterValues.map((mv) => ({ ...mv, timestamp: isoTime(mv.timestamp) }));
}

/**
 * The range the 1.6 field definitions give connectorId and the schemas leave out: >= 0 (§6.31
 * MeterValues, §6.47 StatusNotification), > 0 (§6.45 StartTransaction). Outside it the payload
 * is refused as PropertyConstraintViolation (OCPP-J 1.6 §4.2.3: a field with an invalid value).
 */
export function checkConnectorId(connectorId: number, min: 0 | 1): void {
  if (!Number.isSafeInteger(connectorId) || connectorId < min) {
    throw new OcppError('PropertyConstraintViolation', `connectorId must be an integer >= ${min}`);
  }
}

/** DynamoDB numbers: magnitude from 1e-130 (or 0), and integers only up to 2^53 in JavaScript. */
const SMALLEST_STORABLE = 1e-130;

/**
 * A number the CSMS can store exactly, or undefined. Meter readings beyond 2^53 Wh (or smaller
 * than 1e-130) are not plausible; 1.6 §4.7, §4.8, §4.10 ask that sanity checks never keep the
 * CSMS from answering, so such a value is left out rather than refused.
 */
export function storable(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const magnitude = Math.abs(value);
  return magnitude === 0 || (magnitude >= SMALLEST_STORABLE && magnitude <= Number.MAX_SAFE_INTEGER)
    ? value
    : undefined;
}

/** 1.6 meter values as version-neutral samples: canonical times, implausible numbers left out. */
export function samplesOf16(meterValues: Parameters<typeof samplesFrom16>[0]): Sample[] {
  return samplesFrom16(withIsoTimes(meterValues)).map((s) =>
    s.value === storable(s.value) ? s : { ...s, value: undefined },
  );
}
