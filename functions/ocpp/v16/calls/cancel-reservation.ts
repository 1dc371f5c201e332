/** 1.6 §5.1 CancelReservation. When Accepted the reservation is cancelled (and the event says so). */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { safeInt } from '../../../../shared/calls/json.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import type { CallContext } from '../../../../shared/calls/spec.js';
import type { DomainEvent } from '../../../../shared/events/catalog.js';

/** Both versions: the reservation the station cancelled. */
export async function reservationCancelled(
  { store, stationId, now }: CallContext<'reservations'>,
  id: number,
  status: string,
): Promise<readonly DomainEvent[]> {
  const reservationId = safeInt(id);
  if (status !== 'Accepted' || reservationId === undefined) return [];
  await store.reservations.setStatus(stationId, reservationId, 'cancelled', now);
  return [
    {
      type: 'reservation.status-changed.v1',
      detail: { stationId, occurredAt: now.toISOString(), reservationId, status: 'cancelled' },
    },
  ];
}

export const cancelReservation: CallOf<Methods, 'CancelReservation', 'reservations'> = {
  repeatable: false,
  onResult: (ctx, request, response) => reservationCancelled(ctx, request.reservationId, response.status),
};
