/**
 * 1.6 §4.3 DataTransfer from a station. No vendor extension is configured in this CSMS, so every
 * vendorId is unknown here; the message is still published so that a partner can act on it.
 */
import type { DataTransferRequest, DataTransferResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const dataTransfer: Route<DataTransferRequest, DataTransferResponse> = {
  async handle(ctx, req) {
    ctx.emit('station.data-transfer.v1', {
      stationId: ctx.stationId,
      occurredAt: ctx.now.toISOString(),
      vendorId: req.vendorId,
      ...(req.messageId !== undefined ? { messageId: req.messageId } : {}),
      ...(req.data !== undefined ? { data: req.data } : {}),
    });
    // 1.6 §4.3: no implementation for the vendorId -> UnknownVendorId, and no data element.
    return { status: 'UnknownVendorId' };
  },
};
