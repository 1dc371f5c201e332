/**
 * 2.0.1 K11 / K12 NotifyChargingLimit (2.1 the same, with isLocalGeneration / isGridCritical): an
 * external system (EMS, grid operator) limits an EVSE or, without evseId, the whole station.
 * Stored per EVSE and source (replacing that source's previous limit), published as
 * `charging.limit-set.v1`, shown by GET /v1/stations/{id}/charging-limits, and read by the
 * EV-needs schedule (../evse-limits.ts). K11.FR.03: the schedules are kept when the station sends
 * them. K11.FR.05 says a station never reports source CSO; one that does is logged, still stored.
 */
import { storableObject } from '../../../shared/calls/json.js';
import type {
  NotifyChargingLimitRequest,
  NotifyChargingLimitResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { NotifyChargingLimitRequest as NotifyChargingLimitRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const notifyChargingLimit: Route<
  NotifyChargingLimitRequest | NotifyChargingLimitRequest21,
  NotifyChargingLimitResponse,
  'smartCharging'
> = {
  async handle(ctx, req) {
    requireInt32({ evseId: req.evseId });
    const evseId = req.evseId ?? 0;
    const {
      chargingLimitSource: source,
      customData: _c,
      ...flags
    } = req.chargingLimit as {
      chargingLimitSource: string;
      isGridCritical?: boolean;
      isLocalGeneration?: boolean;
      customData?: unknown;
    };
    if (source === 'CSO') ctx.log.warn('NotifyChargingLimit with source CSO (K11.FR.05: never CSO)');
    const schedules = (req.chargingSchedule ?? []).map(({ customData: _s, ...s }) =>
      storableObject({ ...s }),
    );
    const at = ctx.now.toISOString();
    const item = {
      evseId,
      source,
      ...(flags.isGridCritical !== undefined ? { isGridCritical: flags.isGridCritical } : {}),
      ...(flags.isLocalGeneration !== undefined ? { isLocalGeneration: flags.isLocalGeneration } : {}),
      ...(schedules.length > 0 ? { schedules } : {}),
    };
    await ctx.store.smartCharging.putLimit(ctx.stationId, { ...item, at });
    ctx.emit('charging.limit-set.v1', { stationId: ctx.stationId, occurredAt: at, ...item });
    return {};
  },
};
