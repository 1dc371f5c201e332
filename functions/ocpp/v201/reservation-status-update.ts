/**
 * 2.0.1 H04 ReservationStatusUpdate: the station ended a reservation (Expired: H04.FR.02, Removed:
 * H04.FR.01). The reservation's status is kept; reservation.status-changed.v1 carries it; it is a
 * result of the ReserveNow command that made the reservation.
 */
import { appendCommandResult } from '../../../shared/calls/results.js';
import type {
  ReservationStatusUpdateRequest,
  ReservationStatusUpdateResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { ReservationStatusUpdateRequest as ReservationStatusUpdateRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { requireInt32 } from './normalize.js';

export const reservationStatusUpdate: Route<
  ReservationStatusUpdateRequest | ReservationStatusUpdateRequest21,
  ReservationStatusUpdateResponse,
  'commands' | 'reservations'
> = {
  async handle(ctx, req) {
    requireInt32({ reservationId: req.reservationId });
    const status = req.reservationUpdateStatus === 'Expired' ? 'expired' : 'removed';
    const reservation = await ctx.store.reservations.get(ctx.stationId, req.reservationId, ctx.now);
    // A reservation the CSMS does not know (made elsewhere, or long gone) is still acknowledged,
    // but nothing changed here: no event claims a status change of a reservation that is not kept.
    if (!reservation) {
      ctx.log.warn('ReservationStatusUpdate for an unknown reservation', {
        reservationId: req.reservationId,
      });
      return {};
    }
    await ctx.store.reservations.setStatus(ctx.stationId, req.reservationId, status, ctx.now);
    if (reservation.commandId) {
      await appendCommandResult(ctx, reservation.commandId, 'ReservationStatusUpdate', {
        reservationId: req.reservationId,
        reservationUpdateStatus: req.reservationUpdateStatus,
      });
    }
    ctx.emit('reservation.status-changed.v1', {
      stationId: ctx.stationId,
      occurredAt: ctx.now.toISOString(),
      reservationId: req.reservationId,
      status,
    });
    return {};
  },
};
