/**
 * 2.0.1 G01 StatusNotification: the status of one connector. Stored unless a newer status is
 * already stored (messages may be handled out of order); connector.status-changed.v1 when stored.
 */
import { canonicalTime } from '../../../shared/domain/normalize.js';
import type {
  StatusNotificationRequest,
  StatusNotificationResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { HandlerContext, Route } from '../context.js';
import { abandonAfterReboot } from '../transactions.js';
import { requireInt32 } from './normalize.js';

/** A connector status, from StatusNotification or from a NotifyEvent on Connector.AvailabilityState (G01.FR.03). */
export interface ConnectorStatusReport {
  readonly evseId: number;
  readonly connectorId: number;
  readonly status: string;
  /** The station's timestamp of the status. */
  readonly at: string;
}

/** The store ports a connector status uses (1.6 and 2.x StatusNotification, NotifyEvent). */
export type StatusPorts = 'connectors' | 'transactions';

export async function recordConnectorStatus(
  ctx: HandlerContext<StatusPorts>,
  report: ConnectorStatusReport,
): Promise<void> {
  const stored = await ctx.store.connectors.putStatus(ctx.stationId, {
    evseId: report.evseId,
    connectorId: report.connectorId,
    status: report.status,
    statusAt: report.at,
    arrival: ctx.arrival,
  });
  if (!stored) {
    ctx.log.info('Older connector status ignored', { stationId: ctx.stationId, ...report });
    return;
  }
  ctx.emit('connector.status-changed.v1', {
    stationId: ctx.stationId,
    occurredAt: report.at,
    evseId: report.evseId,
    connectorId: report.connectorId,
    status: report.status,
  });
  // Defect 17: Available after a reboot ends a transaction the station never stopped.
  await abandonAfterReboot(ctx, report.evseId, report.connectorId, report.status);
}

export const statusNotification: Route<StatusNotificationRequest, StatusNotificationResponse, StatusPorts> = {
  async handle(ctx, req) {
    requireInt32({ evseId: req.evseId, connectorId: req.connectorId });
    // G01.FR.01: connectorStatus is one of ConnectorStatusEnumType (the schema checked it).
    await recordConnectorStatus(ctx, {
      evseId: req.evseId,
      connectorId: req.connectorId,
      status: req.connectorStatus,
      at: canonicalTime(req.timestamp),
    });
    return {};
  },
};
