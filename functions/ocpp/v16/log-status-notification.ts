/**
 * Security extension N01 LogStatusNotification (whitepaper §5.13): progress of a log upload that
 * GetLog started; requestId ties it to that request (N01.FR.07; absent only when triggered while
 * idle, N01.FR.12).
 */
import type {
  LogStatusNotificationRequest,
  LogStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { reportDeviceStatus } from '../device-status.js';

export const logStatusNotification: Route<
  LogStatusNotificationRequest,
  LogStatusNotificationResponse,
  'commands' | 'stations'
> = {
  async handle(ctx, req) {
    await reportDeviceStatus(ctx, {
      kind: 'logStatus',
      message: 'LogStatusNotification',
      status: req.status,
      requestId: req.requestId,
      event: 'log.status.v1',
    });
    return {};
  },
};
