/**
 * 2.0.1 P02 DataTransfer from the station: vendor-specific data. This CSMS implements no vendor
 * extension, so every vendorId is unknown to it (P02.FR.06: status UnknownVendorId; TC_P_02_CSMS).
 * The message is still published (station.data-transfer.v1) for whoever extends the CSMS.
 */
import type { DataTransferRequest, DataTransferResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { publishDataTransfer } from '../station-reports.js';

export const dataTransfer: Route<DataTransferRequest, DataTransferResponse, never> = {
  async handle(ctx, req) {
    return publishDataTransfer(ctx, req);
  },
};
