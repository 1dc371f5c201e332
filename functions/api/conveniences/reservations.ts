/** Reservations: reserve an EVSE, cancel a reservation. */
import { z } from 'zod';
import { cancelReservation, reserveNow } from '../command-mapping/reservations.js';
import { IdTokenType } from '../id-tokens.js';
import { StationIdParam } from '../path-ids.js';
import { convenience, CommandQuery, IdTokenValue, Int32, newId, PositiveEvseId } from './common.js';

export const ReserveRequest = z
  .strictObject({
    idToken: IdTokenValue,
    idTokenType: IdTokenType.optional().describe('2.x only (default ISO14443).'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .transform((v) => new Date(v).toISOString())
      .describe('When the reservation ends.'),
    evseId: PositiveEvseId.optional().describe('Absent: any EVSE (1.6 connectorId 0).'),
    connectorType: z
      .string()
      .min(1)
      .max(20)
      .optional()
      .describe('2.x only, without evseId: any EVSE with this connector type.'),
    groupId: z.string().min(1).max(36).optional().describe('1.6 parentIdTag / 2.x groupIdToken.'),
    reservationId: Int32.optional().describe('Generated when absent; CancelReservation needs it.'),
  })
  .meta({ id: 'ReserveRequest' });

const ReservationPath = z.object({
  id: StationIdParam,
  reservationId: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

// ---- operations ------------------------------------------------------------------------------

export const reserve = convenience({
  id: 'reserve',
  summary: 'Reserve an EVSE (or any) for an id token (ReserveNow)',
  query: CommandQuery,
  body: ReserveRequest,
  build: (p, { body }) => reserveNow(p, body, newId()),
});

export const cancelStationReservation = convenience({
  id: 'cancelReservation',
  summary: 'Cancel a reservation (CancelReservation)',
  params: ReservationPath,
  query: CommandQuery,
  build: (_protocol, { params }) => cancelReservation(params.reservationId),
});
