/** 1.6 §4.4 DiagnosticsStatusNotification: progress of a diagnostics upload (GetDiagnostics, §5.9). */
import type {
  DiagnosticsStatusNotificationRequest,
  DiagnosticsStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { reportDeviceStatus } from '../device-status.js';

export const diagnosticsStatusNotification: Route<
  DiagnosticsStatusNotificationRequest,
  DiagnosticsStatusNotificationResponse,
  'commands' | 'stations'
> = {
  async handle(ctx, req) {
    // No requestId in 1.6: it reports on the latest GetDiagnostics.
    await reportDeviceStatus(ctx, {
      kind: 'diagnosticsStatus',
      message: 'DiagnosticsStatusNotification',
      status: req.status,
      latestOf: 'GetDiagnostics',
      event: 'diagnostics.status.v1',
    });
    // 1.6 §4.4: the CSMS SHALL respond with a DiagnosticsStatusNotification.conf.
    return {};
  },
};
