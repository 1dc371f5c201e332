/**
 * 2.0.1 H01 ReserveNow. When Accepted the reservation is stored active and
 * reservation.status-changed.v1 says so. No evseId: any EVSE of the station (H01.FR.04).
 */
import { recordReservation } from '../../call-effects.js';
import type { V2CallOf } from './v2.js';

export const reserveNow: V2CallOf<'ReserveNow', 'reservations'> = {
  repeatable: false, // a reservation the station may already hold
  onResult: (ctx, request, response) =>
    recordReservation(ctx, response.status, {
      reservationId: request.id,
      evseId: request.evseId,
      ...(request.connectorType ? { connectorType: request.connectorType } : {}),
      idToken: request.idToken.idToken,
      ...(request.idToken.type ? { idTokenType: request.idToken.type } : {}),
      ...(request.groupIdToken?.idToken ? { groupIdToken: request.groupIdToken.idToken } : {}),
      expiryDateTime: request.expiryDateTime,
    }),
};
