/**
 * 2.0.1 J01 MeterValues: samples outside a transaction (clock-aligned, or of the main meter when
 * evseId is 0, J01.FR.03). Stored, and published as meter.values.v1. Version-neutral: 2.1 (whose
 * SampledValue adds measurands and relaxes signedMeterValue) uses `handleMeterValues` through its
 * own route.
 */
import type { samplesFrom2 } from '../../../shared/domain/meter-values.js';
import type { MeterValuesRequest, MeterValuesResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { HandlerContext, Route } from '../context.js';
import { requireInt32, samplesOf } from './normalize.js';
import { everySample, periodicUpdateDue } from '../meter-events.js';

/** The fields of MeterValuesRequest that 2.0.1 and 2.1 share. */
export interface MeterValuesInput {
  readonly evseId: number;
  readonly meterValue: Parameters<typeof samplesFrom2>[0];
}

export async function handleMeterValues(
  ctx: HandlerContext<'meterValues'>,
  req: MeterValuesInput,
): Promise<Record<string, never>> {
  requireInt32({ evseId: req.evseId });
  // J01.FR.17: each timestamp applies to all sampled values of its MeterValue.
  const samples = samplesOf(req.meterValue);
  await ctx.store.meterValues.put(ctx.stationId, req.evseId, samples, ctx.now);
  // What is published depends on CSMS_METER_EVENTS (meter-events.ts; issue 14).
  if (everySample(ctx) || periodicUpdateDue(ctx, { evseId: req.evseId }, samples)) {
    ctx.emit('meter.values.v1', {
      stationId: ctx.stationId,
      occurredAt: samples[0]?.timestamp ?? ctx.now.toISOString(),
      evseId: req.evseId,
      samples,
    });
  }
  // J01.FR.18: always answer, or the station sends the same message again.
  return {};
}

export const meterValues: Route<MeterValuesRequest, MeterValuesResponse, 'meterValues'> = {
  handle: handleMeterValues,
};
