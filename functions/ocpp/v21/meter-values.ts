/**
 * 2.1 MeterValues (J01): the 2.0.1 logic. 2.1 adds measurands and makes signingMethod and
 * publicKey of a signed meter value optional; samples keep whatever the station sent.
 */
import type { MeterValuesRequest, MeterValuesResponse } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { handleMeterValues } from '../v201/meter-values.js';

export const meterValues: Route<MeterValuesRequest, MeterValuesResponse, 'meterValues'> = {
  handle: handleMeterValues,
};
