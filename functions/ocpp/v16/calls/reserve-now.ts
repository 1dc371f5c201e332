/**
 * 1.6 §5.13 ReserveNow. When Accepted the reservation is stored active and
 * reservation.status-changed.v1 says so. connectorId 0: any connector of the station.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { recordReservation } from '../../call-effects.js';

export const reserveNow: CallOf<Methods, 'ReserveNow', 'reservations'> = {
  repeatable: false, // a reservation the station may already hold
  onResult: (ctx, request, response) =>
    recordReservation(ctx, response.status, {
      reservationId: request.reservationId,
      evseId: request.connectorId,
      idToken: request.idTag,
      ...(request.parentIdTag ? { groupIdToken: request.parentIdTag } : {}),
      expiryDateTime: request.expiryDate,
    }),
};
