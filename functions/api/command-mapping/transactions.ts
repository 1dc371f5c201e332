/** Transactions: remote start and stop (1.6 RemoteStart/StopTransaction, 2.x RequestStart/StopTransaction). */
import type * as v16 from '../../../shared/ocpp/generated/v16/types.js';
import type * as v201 from '../../../shared/ocpp/generated/v201/types.js';
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import { is16, refuse, renameFields, versionName, type Outgoing } from './outgoing.js';

export interface RemoteStartInput {
  readonly idToken: string;
  readonly idTokenType?: string | undefined;
  readonly evseId?: number | undefined;
  readonly connectorId?: number | undefined;
  readonly remoteStartId?: number | undefined;
  readonly groupId?: string | undefined;
  readonly chargingProfile?: Record<string, unknown> | undefined;
}

/** `generatedId` is the remoteStartId when the request has none (2.0.1 only). */
export function remoteStart(protocol: OcppProtocol, input: RemoteStartInput, generatedId: number): Outgoing {
  if (is16(protocol)) {
    // 1.6 §5.11 RemoteStartTransaction: an idTag, and a connectorId (connector N is EVSE N).
    if (input.evseId !== undefined && input.connectorId !== undefined && input.evseId !== input.connectorId) {
      refuse('connectorId', 'In OCPP 1.6 connector N is EVSE N: give evseId or connectorId, not both');
    }
    if (input.remoteStartId !== undefined) {
      refuse('remoteStartId', 'OCPP 1.6 RemoteStartTransaction has no remoteStartId');
    }
    if (input.groupId !== undefined) refuse('groupId', 'OCPP 1.6 RemoteStartTransaction has no group id');
    const connectorId = input.evseId ?? input.connectorId;
    const payload = {
      idTag: input.idToken,
      ...(connectorId !== undefined ? { connectorId } : {}),
      ...(input.chargingProfile ? { chargingProfile: input.chargingProfile } : {}),
    };
    return {
      action: 'RemoteStartTransaction',
      payload,
      toField: renameFields({
        idTag: 'idToken',
        connectorId: input.evseId !== undefined ? 'evseId' : 'connectorId',
      }),
    };
  }
  // 2.0.1 F01/F02 RequestStartTransaction: an IdTokenType, an optional EVSE (F02.FR.14) and the
  // remoteStartId the station puts in its first TransactionEvent (F02.FR.01).
  if (input.connectorId !== undefined) {
    refuse(
      'connectorId',
      `${versionName(protocol)} RequestStartTransaction takes an EVSE (evseId), not a connector`,
    );
  }
  const payload = {
    idToken: { idToken: input.idToken, type: input.idTokenType ?? 'Central' },
    remoteStartId: input.remoteStartId ?? generatedId,
    ...(input.evseId !== undefined ? { evseId: input.evseId } : {}),
    ...(input.groupId !== undefined ? { groupIdToken: { idToken: input.groupId, type: 'Central' } } : {}),
    ...(input.chargingProfile ? { chargingProfile: input.chargingProfile } : {}),
  };
  return {
    action: 'RequestStartTransaction',
    payload,
    toField: renameFields({
      'idToken.idToken': 'idToken',
      'idToken.type': 'idTokenType',
      'groupIdToken.idToken': 'groupId',
    }),
  };
}

export function remoteStop(protocol: OcppProtocol, input: { transactionId: string }): Outgoing {
  if (is16(protocol)) {
    // 1.6 §5.12 RemoteStopTransaction: the integer transactionId of StartTransaction.conf.
    if (!/^-?\d{1,10}$/.test(input.transactionId)) {
      refuse('transactionId', 'OCPP 1.6 transaction ids are integers');
    }
    const payload = { transactionId: Number(input.transactionId) } satisfies v16.RemoteStopTransactionRequest;
    return { action: 'RemoteStopTransaction', payload };
  }
  // 2.0.1 F03 RequestStopTransaction: the station's own transactionId (a string).
  const payload = { transactionId: input.transactionId } satisfies v201.RequestStopTransactionRequest;
  return { action: 'RequestStopTransaction', payload };
}
