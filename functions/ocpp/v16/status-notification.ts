/**
 * 1.6 §4.9 StatusNotification: the status of a connector, or of the charge point itself
 * (connectorId 0, 1.6 §3.8). A newer status is never overwritten by an older one that arrives
 * later (messages of one connection may be handled out of order).
 */
import { canonicalTime } from '../../../shared/domain/normalize.js';
import type {
  StatusNotificationRequest,
  StatusNotificationResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { abandonAfterReboot } from '../transactions.js';
import { checkConnectorId } from './mapping.js';
import { evseOf16 } from '../../../shared/domain/evse.js';

type StatusPorts = 'connectors' | 'transactions';

export const statusNotification: Route<StatusNotificationRequest, StatusNotificationResponse, StatusPorts> = {
  async handle(ctx, req) {
    checkConnectorId(req.connectorId, 0);
    const { evseId, connectorId } = evseOf16(req.connectorId);
    // 1.6 §6.47: without a timestamp, the time of receipt is assumed.
    // The gateway's time of receipt: handling may start later, and out of order (issue 7).
    const statusAt = req.timestamp ? canonicalTime(req.timestamp) : ctx.receivedAt.toISOString();
    // 1.6 §4.9: any errorCode other than NoError is a fault (status Faulted) or a warning.
    const errorCode = req.errorCode === 'NoError' ? undefined : req.errorCode;
    const stored = await ctx.store.connectors.putStatus(ctx.stationId, {
      evseId,
      connectorId,
      status: req.status,
      statusAt,
      ...(errorCode ? { errorCode } : {}),
      ...(req.info ? { info: req.info } : {}),
      ...(req.vendorErrorCode ? { vendorErrorCode: req.vendorErrorCode } : {}),
      arrival: ctx.arrival,
    });
    if (stored) {
      ctx.emit('connector.status-changed.v1', {
        stationId: ctx.stationId,
        occurredAt: statusAt,
        evseId,
        connectorId,
        status: req.status,
        ...(errorCode ? { errorCode } : {}),
        ...(req.info ? { info: req.info } : {}),
      });
      // Defect 17: Available after a reboot ends a transaction the station never stopped.
      await abandonAfterReboot(ctx, evseId, connectorId, req.status);
    } else {
      ctx.log.info('Older connector status ignored', { stationId: ctx.stationId, evseId, statusAt });
    }
    // 1.6 §4.9: the CSMS SHALL answer, also for a status it did not keep.
    return {};
  },
};
