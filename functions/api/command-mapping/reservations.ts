/** Reservations: ReserveNow and CancelReservation. */
import type * as v16 from '../../../shared/ocpp/generated/v16/types.js';
import type * as v201 from '../../../shared/ocpp/generated/v201/types.js';
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import { is16, refuse, renameFields, type Outgoing } from './outgoing.js';

export interface ReserveInput {
  readonly idToken: string;
  readonly idTokenType?: string | undefined;
  readonly expiresAt: string;
  readonly evseId?: number | undefined;
  readonly connectorType?: string | undefined;
  readonly groupId?: string | undefined;
  readonly reservationId?: number | undefined;
}

export function reserveNow(protocol: OcppProtocol, input: ReserveInput, generatedId: number): Outgoing {
  const id = input.reservationId ?? generatedId;
  if (is16(protocol)) {
    // 1.6 §5.13 ReserveNow: connectorId 0 reserves any connector (ReserveConnectorZeroSupported).
    if (input.connectorType !== undefined) {
      refuse('connectorType', 'OCPP 1.6 ReserveNow reserves a connector, not a connector type');
    }
    const payload = {
      connectorId: input.evseId ?? 0,
      expiryDate: input.expiresAt,
      idTag: input.idToken,
      reservationId: id,
      ...(input.groupId !== undefined ? { parentIdTag: input.groupId } : {}),
    } satisfies v16.ReserveNowRequest;
    return {
      action: 'ReserveNow',
      payload,
      toField: renameFields({
        connectorId: 'evseId',
        expiryDate: 'expiresAt',
        idTag: 'idToken',
        parentIdTag: 'groupId',
      }),
    };
  }
  // 2.0.1 H01 ReserveNow: an EVSE, or none (any EVSE, optionally of a connector type).
  const payload = {
    id,
    expiryDateTime: input.expiresAt,
    idToken: { idToken: input.idToken, type: input.idTokenType ?? 'ISO14443' },
    ...(input.evseId !== undefined ? { evseId: input.evseId } : {}),
    ...(input.connectorType !== undefined ? { connectorType: input.connectorType } : {}),
    ...(input.groupId !== undefined ? { groupIdToken: { idToken: input.groupId, type: 'Central' } } : {}),
  };
  return {
    action: 'ReserveNow',
    payload,
    toField: renameFields({
      id: 'reservationId',
      expiryDateTime: 'expiresAt',
      'idToken.idToken': 'idToken',
      'idToken.type': 'idTokenType',
      'groupIdToken.idToken': 'groupId',
    }),
  };
}

/** 1.6 §5.1, 2.0.1 H02: the same request. */
export function cancelReservation(reservationId: number): Outgoing {
  const payload = { reservationId } satisfies v16.CancelReservationRequest & v201.CancelReservationRequest;
  return { action: 'CancelReservation', payload };
}
