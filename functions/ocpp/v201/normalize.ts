/**
 * What a schema-valid 2.0.1/2.1 payload may still carry that the CSMS cannot keep as is: integers
 * beyond 32 bits (2.0.1 / 2.1 part 2 §2.1 primitive datatypes: integer is 32 bit), decimals beyond
 * what the store keeps exactly (2^53; DynamoDB's smallest is 1E-130), timestamps with offsets (they become keys
 * and sort orders). Refused, left out, or put in canonical form here, so that a station never gets
 * InternalError for a payload the schemas allow.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
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

/** 2.0.1/2.1 meter values as samples: canonical timestamps, unstorable values left out. */
export function samplesOf(meterValues: Parameters<typeof samplesFrom2>[0]): Sample[] {
  return samplesFrom2(meterValues.map((mv) => ({ ...mv, timestamp: canonicalTime(mv.timestamp) }))).map(
    (s) => (s.value === storableNumber(s.value) ? s : { ...s, value: undefined }),
  );
}
