/**
 * 2.0.1 H01 ReserveNow. When Accepted the reservation is stored active and
 * reservation.status-changed.v1 says so. No evseId: any EVSE of the station (H01.FR.04).
 */
import { safeInt } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const reserveNow: V2CallOf<'ReserveNow'> = {
  repeatable: false, // a reservation the station may already hold
  async onResult({ store, stationId, commandId, now }, request, response) {
    const reservationId = safeInt(request.id);
    if (response.status !== 'Accepted' || reservationId === undefined) return [];
    const at = now.toISOString();
    const evseId = safeInt(request.evseId);
    await store.reservations.put(
      stationId,
      {
        reservationId,
        ...(evseId !== undefined && evseId !== 0 ? { evseId } : {}),
        ...(request.connectorType ? { connectorType: request.connectorType } : {}),
        idToken: request.idToken.idToken,
        ...(request.idToken.type ? { idTokenType: request.idToken.type } : {}),
        ...(request.groupIdToken?.idToken ? { groupIdToken: request.groupIdToken.idToken } : {}),
        expiryDateTime: request.expiryDateTime,
        status: 'active',
        updatedAt: at,
        commandId,
      },
      now,
    );
    return [
      {
        type: 'reservation.status-changed.v1',
        detail: { stationId, occurredAt: at, reservationId, status: 'active' },
      },
    ];
  },
};
