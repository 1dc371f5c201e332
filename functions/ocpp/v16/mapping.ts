/**
 * How 1.6 identifiers, times and numbers map onto the version-neutral model (a 1.6 connector is
 * an EVSE with one connector: shared/domain/evse.ts); every timestamp is stored in one canonical form so that the
 * conditional writes that compare timestamps as strings (newer wins) compare them in time order;
 * only numbers DynamoDB can hold exactly are stored.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
import { samplesFrom16, type Sample } from '../../../shared/domain/meter-values.js';
import { OcppError } from '../../../shared/ocpp/errors.js';

/**
 * Errata 3.18 (1.6 §4.8): a station that never got a transactionId sends its transaction-related
 * messages with transactionId -1, and the CSMS SHALL answer as if it were valid.
 */
export const UNKNOWN_TRANSACTION_ID = -1;

/** 1.6 meter values with their timestamps in canonical form (they become item keys and sort order). */
export function withIsoTimes<T extends { timestamp: string }>(meterValues: readonly T[]): T[] {
  return meterValues.map((mv) => ({ ...mv, timestamp: canonicalTime(mv.timestamp) }));
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

/** 1.6 meter values as version-neutral samples: canonical times, implausible numbers left out. */
export function samplesOf16(meterValues: Parameters<typeof samplesFrom16>[0]): Sample[] {
  return samplesFrom16(withIsoTimes(meterValues)).map((s) =>
    s.value === storableNumber(s.value) ? s : { ...s, value: undefined },
  );
}
