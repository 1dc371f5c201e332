/**
 * 2.0.1 K13 / K14 ClearedChargingLimit (2.1 the same): an external limit was released. The stored
 * limits of that source on that EVSE (every EVSE without evseId) are removed (K13.FR.02) and
 * `charging.limit-cleared.v1` is published.
 */
import type {
  ClearedChargingLimitRequest,
  ClearedChargingLimitResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { ClearedChargingLimitRequest as ClearedChargingLimitRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const clearedChargingLimit: Route<
  ClearedChargingLimitRequest | ClearedChargingLimitRequest21,
  ClearedChargingLimitResponse,
  'smartCharging'
> = {
  async handle(ctx, req) {
    requireInt32({ evseId: req.evseId });
    await ctx.store.smartCharging.clearLimits(ctx.stationId, req.chargingLimitSource, req.evseId);
    ctx.emit('charging.limit-cleared.v1', {
      stationId: ctx.stationId,
      occurredAt: ctx.now.toISOString(),
      source: req.chargingLimitSource,
      ...(req.evseId !== undefined ? { evseId: req.evseId } : {}),
    });
    return {};
  },
};
