/** 2.0.1 K15 / K17 NotifyEVChargingNeeds (2.1 the same message, more parameters): ../ev-charging-needs.ts. */
import type {
  NotifyEVChargingNeedsRequest,
  NotifyEVChargingNeedsResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { NotifyEVChargingNeedsRequest as NotifyEVChargingNeedsRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { answerChargingNeeds, type NeedsRequest } from '../ev-charging-needs.js';
import { requireInt32 } from './normalize.js';

export const notifyEVChargingNeeds: Route<
  NotifyEVChargingNeedsRequest | NotifyEVChargingNeedsRequest21,
  NotifyEVChargingNeedsResponse,
  'smartCharging' | 'transactions'
> = {
  async handle(ctx, req) {
    requireInt32({ evseId: req.evseId, maxScheduleTuples: req.maxScheduleTuples });
    return answerChargingNeeds(ctx, req as unknown as NeedsRequest);
  },
};
