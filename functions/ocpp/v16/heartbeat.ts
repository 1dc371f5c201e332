/** 1.6 §4.6 Heartbeat: the station is alive; answer the current time for its clock. */
import type { HeartbeatRequest, HeartbeatResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const heartbeat: Route<HeartbeatRequest, HeartbeatResponse> = {
  async handle(ctx) {
    await ctx.store.stations.touch(ctx.stationId, ctx.now);
    return { currentTime: ctx.now.toISOString() };
  },
};
