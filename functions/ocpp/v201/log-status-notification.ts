/**
 * 2.0.1 N01 LogStatusNotification: the progress of a log upload requested with GetLog. The latest
 * status is kept on the station; log.status.v1 carries each one.
 */
import type { LogStatusNotificationRequest } from '../../../shared/ocpp/generated/v201/types.js';
import { deviceStatusRoute, logStatusReport } from '../device-status.js';
import { requireInt32 } from './normalize.js';

export const logStatusNotification = deviceStatusRoute((req: LogStatusNotificationRequest) => {
  requireInt32({ requestId: req.requestId });
  // N01.FR.07: the requestId of the GetLog it reports on; absent only when triggered with no
  // upload ongoing (then status is Idle).
  return logStatusReport(req);
});
