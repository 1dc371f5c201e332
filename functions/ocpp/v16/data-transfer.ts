/**
 * 1.6 §4.3 DataTransfer from a station. No vendor extension is configured in this CSMS, so every
 * vendorId is unknown here; the message is still published so that a partner can act on it.
 */
import type { DataTransferRequest, DataTransferResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { publishDataTransfer } from '../station-reports.js';

export const dataTransfer: Route<DataTransferRequest, DataTransferResponse, never> = {
  async handle(ctx, req) {
    return publishDataTransfer(ctx, req);
  },
};
