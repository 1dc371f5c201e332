/**
 * 2.0.1 A04 SecurityEventNotification: a security event at the station (part 2 appendices,
 * "Security events"). Stored with the CSMS's own security events (origin station) and published
 * as security.event.v1; the response confirms receipt (A04.FR.03), so the station's guaranteed
 * delivery (A04.FR.02) ends here.
 */
import type {
  SecurityEventNotificationRequest,
  SecurityEventNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { recordStationSecurityEvent } from '../station-reports.js';

export const securityEventNotification: Route<
  SecurityEventNotificationRequest,
  SecurityEventNotificationResponse,
  'securityEvents'
> = {
  async handle(ctx, req) {
    await recordStationSecurityEvent(ctx, req);
    return {};
  },
};
