/**
 * 2.1 K21 / K22 NotifyPriorityCharging: priority charging of a transaction was switched on or off
 * (UsePriorityCharging, K21.FR.05 / .08, or at the station, K22.FR.03 / .05). Stored per
 * transaction and published as `charging.priority-changed.v1`; answered (K21.FR.09, K22.FR.06).
 */
import type {
  NotifyPriorityChargingRequest,
  NotifyPriorityChargingResponse,
} from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';

export const notifyPriorityCharging: Route<
  NotifyPriorityChargingRequest,
  NotifyPriorityChargingResponse,
  'smartCharging'
> = {
  async handle(ctx, req) {
    const at = ctx.now.toISOString();
    await ctx.store.smartCharging.putPriority(ctx.stationId, {
      transactionId: req.transactionId,
      activated: req.activated,
      at,
    });
    ctx.emit('charging.priority-changed.v1', {
      stationId: ctx.stationId,
      occurredAt: at,
      transactionId: req.transactionId,
      activated: req.activated,
    });
    return {};
  },
};
