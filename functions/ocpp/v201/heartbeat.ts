/** 2.0.1 G02 Heartbeat: the station is alive; answer the current time (G02.FR.04 time sync). */
import type { HeartbeatRequest, HeartbeatResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';

export const heartbeat: Route<HeartbeatRequest, HeartbeatResponse> = {
  async handle(ctx) {
    await ctx.store.stations.touch(ctx.stationId, ctx.now);
    return { currentTime: ctx.now.toISOString() };
  },
};
