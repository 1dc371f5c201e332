/**
 * Security extension N01 LogStatusNotification (whitepaper §5.13): progress of a log upload that
 * GetLog started; requestId ties it to that request (N01.FR.07; absent only when triggered while
 * idle, N01.FR.12).
 */
import type { LogStatusNotificationRequest } from '../../../shared/ocpp/generated/v16/types.js';
import { deviceStatusRoute, logStatusReport } from '../device-status.js';

export const logStatusNotification = deviceStatusRoute((req: LogStatusNotificationRequest) =>
  logStatusReport(req),
);
