/**
 * 1.6 §4.7 MeterValues: samples of a connector (or, connectorId 0, of the main meter), in a
 * transaction or outside one. Stored under keys made of their own timestamps, so a retry of the
 * same message (1.6 §3.7.1) writes the same items again.
 */
import type { MeterValuesRequest, MeterValuesResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { checkConnectorId, samplesOf16, UNKNOWN_TRANSACTION_ID } from './mapping.js';
import { evseOf16 } from '../../../shared/domain/evse.js';
import { everySample, periodicUpdateDue } from '../meter-events.js';

export const meterValues: Route<MeterValuesRequest, MeterValuesResponse, 'meterValues' | 'transactions'> = {
  async handle(ctx, req) {
    // 1.6 §4.7: connectorId 0 is the charge point's main meter.
    checkConnectorId(req.connectorId, 0);
    const { evseId } = evseOf16(req.connectorId);
    // 1.6 §7.43: a sampledValue without measurand/unit is an Energy.Active.Import.Register in Wh.
    const samples = samplesOf16(req.meterValue);
    // Errata 3.18: transactionId -1 means the station never learnt the id; the values cannot be
    // tied to a transaction, so they are kept as the station's meter values (and still answered).
    const transactionId =
      req.transactionId !== undefined && req.transactionId !== UNKNOWN_TRANSACTION_ID
        ? String(req.transactionId)
        : undefined;
    if (transactionId !== undefined) {
      await ctx.store.transactions.putMeterSamples(ctx.stationId, transactionId, samples, ctx.now);
    } else {
      await ctx.store.meterValues.put(ctx.stationId, evseId, samples, ctx.now);
    }
    // What is published depends on CSMS_METER_EVENTS (meter-events.ts; issue 14).
    if (everySample(ctx) || (transactionId === undefined && periodicUpdateDue(ctx, { evseId }, samples))) {
      ctx.emit('meter.values.v1', {
        stationId: ctx.stationId,
        occurredAt: ctx.now.toISOString(),
        evseId,
        ...(transactionId !== undefined ? { transactionId } : {}),
        samples,
      });
    } else if (transactionId !== undefined && periodicUpdateDue(ctx, { transactionId }, samples)) {
      ctx.emit('transaction.updated.v1', {
        stationId: ctx.stationId,
        occurredAt: ctx.now.toISOString(),
        transactionId,
        ...evseOf16(req.connectorId),
        samples,
      });
    }
    // 1.6 §4.7: the CSMS SHALL answer; its sanity checks never turn into a refusal.
    return {};
  },
};
