/** 2.0.1 K15-K17 NotifyEVChargingSchedule (2.1 the same message): checked against what was sent (../ev-charging-needs.ts). */
import type {
  NotifyEVChargingScheduleRequest,
  NotifyEVChargingScheduleResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { NotifyEVChargingScheduleRequest as NotifyEVChargingScheduleRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { checkEvSchedule, type EvScheduleRequest } from '../ev-charging-needs.js';
import { requireInt32 } from './normalize.js';

export const notifyEVChargingSchedule: Route<
  NotifyEVChargingScheduleRequest | NotifyEVChargingScheduleRequest21,
  NotifyEVChargingScheduleResponse,
  'smartCharging' | 'transactions'
> = {
  async handle(ctx, req) {
    requireInt32({ evseId: req.evseId });
    return checkEvSchedule(ctx, req as unknown as EvScheduleRequest);
  },
};
