/** 1.6 §4.4 DiagnosticsStatusNotification: progress of a diagnostics upload (GetDiagnostics, §5.9). */
import type { DiagnosticsStatusNotificationRequest } from '../../../shared/ocpp/generated/v16/types.js';
import { deviceStatusRoute } from '../device-status.js';

export const diagnosticsStatusNotification = deviceStatusRoute(
  (req: DiagnosticsStatusNotificationRequest) => {
    // No requestId in 1.6: it reports on the latest GetDiagnostics.
    // 1.6 §4.4: the CSMS SHALL respond with a DiagnosticsStatusNotification.conf (empty).
    return {
      kind: 'diagnosticsStatus',
      message: 'DiagnosticsStatusNotification',
      status: req.status,
      latestOf: 'GetDiagnostics',
      event: 'diagnostics.status.v1',
    };
  },
);
