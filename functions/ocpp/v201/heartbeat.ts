/** 2.0.1 G02 Heartbeat: the station is alive; answer the current time (G02.FR.04 time sync). */
import type { HeartbeatRequest, HeartbeatResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';

export const heartbeat: Route<HeartbeatRequest, HeartbeatResponse, never> = {
  // Writes nothing: a connected station is alive by definition and lastSeenAt comes from the
  // connection item (written at connect, boot and disconnect; issue 14). 288 writes a day saved.
  handle(ctx) {
    return Promise.resolve({ currentTime: ctx.now.toISOString() });
  },
};
