/** 1.6 §4.4 DiagnosticsStatusNotification: progress of a diagnostics upload (GetDiagnostics, §5.9). */
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  DiagnosticsStatusNotificationRequest,
  DiagnosticsStatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const diagnosticsStatusNotification: Route<
  DiagnosticsStatusNotificationRequest,
  DiagnosticsStatusNotificationResponse
> = {
  async handle(ctx, req) {
    const at = ctx.now.toISOString();
    await ctx.store.stations.recordDeviceStatus(ctx.stationId, 'diagnosticsStatus', {
      status: req.status,
      at,
    });
    // No requestId in 1.6: it reports on the latest GetDiagnostics.
    await recordCommandResult(ctx, 'GetDiagnostics', 'DiagnosticsStatusNotification', { status: req.status });
    ctx.emit('diagnostics.status.v1', { stationId: ctx.stationId, occurredAt: at, status: req.status });
    // 1.6 §4.4: the CSMS SHALL respond with a DiagnosticsStatusNotification.conf.
    return {};
  },
};
