/** 2.0.1 H02 CancelReservation. When Accepted the reservation is cancelled (and the event says so). */
import type { V2CallOf } from './v2.js';
import { reservationCancelled } from '../../v16/calls/cancel-reservation.js';

export const cancelReservation: V2CallOf<'CancelReservation', 'reservations'> = {
  repeatable: false,
  onResult: (ctx, request, response) => reservationCancelled(ctx, request.reservationId, response.status),
};
