/** 1.6 §4.6 Heartbeat: the station is alive; answer the current time for its clock. */
import type { HeartbeatRequest, HeartbeatResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const heartbeat: Route<HeartbeatRequest, HeartbeatResponse, never> = {
  // Writes nothing: a connected station is alive by definition and lastSeenAt comes from the
  // connection item (written at connect, boot and disconnect; issue 14). 288 writes a day saved.
  handle(ctx) {
    return Promise.resolve({ currentTime: ctx.now.toISOString() });
  },
};
