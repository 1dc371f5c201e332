/**
 * Security extension A04 SecurityEventNotification (whitepaper §3, §5.15): a security event the
 * station reports. Stored in the station's security log and published; the CSMS SHALL confirm it
 * (A04.FR.03), and the station queues it until it is confirmed (A04.FR.02).
 */
import type {
  SecurityEventNotificationRequest,
  SecurityEventNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
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
