/**
 * 2.1 K28 PullDynamicScheduleUpdate: a station asks for the current limit of a dynamic charging
 * profile. A profile the CSMS does not know as installed, or not Dynamic: Rejected, InvalidProfile
 * (K28.FR.12). A Dynamic one: Accepted with its limit (K28.FR.07) — the EVSE's limit from the
 * EvseLimitSource when it has one in the profile's unit (site allocation, external limits), else
 * the limit last set in the profile. Published as `charging.dynamic-schedule-requested.v1`.
 */
import type {
  PullDynamicScheduleUpdateRequest,
  PullDynamicScheduleUpdateResponse,
} from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';

function firstSchedule(profile: Record<string, unknown>): Record<string, unknown> | undefined {
  const list = profile.chargingSchedule;
  const first: unknown = Array.isArray(list) ? list[0] : undefined;
  return typeof first === 'object' && first !== null ? (first as Record<string, unknown>) : undefined;
}

export const pullDynamicScheduleUpdate: Route<
  PullDynamicScheduleUpdateRequest,
  PullDynamicScheduleUpdateResponse,
  'chargingProfiles'
> = {
  async handle(ctx, req) {
    const stored = (await ctx.store.chargingProfiles.list(ctx.stationId)).find(
      (p) => p.id === req.chargingProfileId,
    );
    const schedule = stored ? firstSchedule(stored.profile) : undefined;
    const publish = (status: 'Accepted' | 'Rejected') =>
      ctx.emit('charging.dynamic-schedule-requested.v1', {
        stationId: ctx.stationId,
        occurredAt: ctx.now.toISOString(),
        chargingProfileId: req.chargingProfileId,
        status,
      });
    if (!stored || stored.profile.chargingProfileKind !== 'Dynamic' || !schedule) {
      publish('Rejected');
      return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile' } };
    }
    const periods = schedule.chargingSchedulePeriod;
    const period = (Array.isArray(periods) ? periods[0] : undefined) as { limit?: unknown } | undefined;
    const evse = await ctx.evseLimits.limitFor(ctx.stationId, stored.evseId);
    const limit =
      evse !== undefined && evse.unit === schedule.chargingRateUnit
        ? evse.value
        : typeof period?.limit === 'number'
          ? period.limit
          : undefined;
    publish('Accepted');
    return { status: 'Accepted', ...(limit !== undefined ? { scheduleUpdate: { limit } } : {}) };
  },
};
