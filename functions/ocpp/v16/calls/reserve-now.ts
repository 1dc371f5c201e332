/**
 * 1.6 §5.13 ReserveNow. When Accepted the reservation is stored active and
 * reservation.status-changed.v1 says so. connectorId 0: any connector of the station.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { safeInt } from '../../../../shared/calls/json.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const reserveNow: CallOf<Methods, 'ReserveNow'> = {
  repeatable: false, // a reservation the station may already hold
  async onResult({ store, stationId, commandId, now }, request, response) {
    const reservationId = safeInt(request.reservationId);
    if (response.status !== 'Accepted' || reservationId === undefined) return [];
    const at = now.toISOString();
    const evseId = safeInt(request.connectorId);
    await store.reservations.put(
      stationId,
      {
        reservationId,
        ...(evseId !== undefined && evseId !== 0 ? { evseId } : {}),
        idToken: request.idTag,
        ...(request.parentIdTag ? { groupIdToken: request.parentIdTag } : {}),
        expiryDateTime: request.expiryDate,
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
