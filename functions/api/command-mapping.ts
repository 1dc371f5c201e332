/**
 * The version map of the command conveniences: one version-neutral request in, the OCPP message
 * of the station's version out (action, payload, and how the payload's fields name the request's
 * fields in a 400). Every choice cites the part of the specification it follows. OCPP 2.1 takes
 * the 2.0.1 messages (the fields used here are the same in both).
 *
 * Nothing here sends or validates against the OCPA schemas: the command service validates every
 * payload against the station's version before anything is sent.
 */
import type * as v16 from '../../shared/ocpp/generated/v16/types.js';
import type * as v201 from '../../shared/ocpp/generated/v201/types.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import { BadRequestError } from './errors.js';
import {
  componentRef,
  variableRef,
  type ComponentInput,
  type VariableInput,
} from '../../shared/domain/device-model.js';

/** An OCPP CALL to submit, and the request field each payload field came from. */
export interface Outgoing {
  readonly action: string;
  readonly payload: Record<string, unknown>;
  /** OCPP field path (dotted) to the path of the request field that set it; identity if absent. */
  readonly toField?: (ocppPath: string) => string;
}

const is16 = (protocol: OcppProtocol): boolean => protocol === 'ocpp1.6';

function versionName(protocol: OcppProtocol): string {
  return `OCPP ${protocol.slice(4)}`;
}

/** A request this version cannot express: 400 naming the field. */
export function refuse(path: string, message: string): never {
  throw new BadRequestError(message, [{ path, message }]);
}

/** Renames OCPP field paths by prefix (longest first); other paths are kept as they are. */
export function renameFields(map: Readonly<Record<string, string>>): (ocppPath: string) => string {
  const entries = Object.entries(map).sort(([a], [b]) => b.length - a.length);
  return (path) => {
    for (const [from, to] of entries) {
      if (path === from) return to;
      if (path.startsWith(`${from}.`))
        return to === '' ? path.slice(from.length + 1) : `${to}${path.slice(from.length)}`;
    }
    return path;
  };
}

// ---- Reset -----------------------------------------------------------------------------------

export const RESET_TYPES = ['soft', 'hard', 'immediate', 'on-idle'] as const;
export type ResetType = (typeof RESET_TYPES)[number];

export function reset(
  protocol: OcppProtocol,
  input: { type: ResetType; evseId?: number | undefined },
): Outgoing {
  if (is16(protocol)) {
    // 1.6 §5.14, §7.42: Soft stops transactions gracefully and restarts the software; Hard
    // restarts the hardware. Both happen now; 1.6 has no reset that waits for idle.
    if (input.type === 'on-idle')
      refuse('type', 'OCPP 1.6 has no reset on idle: use soft, hard or immediate');
    if (input.evseId !== undefined) {
      refuse('evseId', 'OCPP 1.6 resets the whole Charge Point: leave evseId out');
    }
    const payload = { type: input.type === 'soft' ? 'Soft' : 'Hard' } satisfies v16.ResetRequest;
    return { action: 'Reset', payload };
  }
  // 2.0.1 B11/B12: OnIdle resets once transactions have ended (B12.FR.01/03); Immediate ends them
  // first and resets now (B12.FR.02/04), as 1.6 soft and hard do. evseId resets one EVSE (B11.FR.08).
  const payload = {
    type: input.type === 'on-idle' ? 'OnIdle' : 'Immediate',
    ...(input.evseId !== undefined ? { evseId: input.evseId } : {}),
  } satisfies v201.ResetRequest;
  return { action: 'Reset', payload };
}

// ---- Remote start / stop ---------------------------------------------------------------------

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

// ---- Unlock, availability ---------------------------------------------------------------------

export function unlock(
  protocol: OcppProtocol,
  input: { evseId: number; connectorId?: number | undefined },
): Outgoing {
  if (is16(protocol)) {
    // 1.6 §5.18 UnlockConnector: connector N is EVSE N, connector 1.
    if (input.connectorId !== undefined && input.connectorId !== 1) {
      refuse('connectorId', 'In OCPP 1.6 every EVSE has one connector: leave connectorId out (or 1)');
    }
    const payload = { connectorId: input.evseId } satisfies v16.UnlockConnectorRequest;
    return { action: 'UnlockConnector', payload, toField: renameFields({ connectorId: 'evseId' }) };
  }
  // 2.0.1 F05 UnlockConnector: evseId and connectorId, both required.
  const payload = {
    evseId: input.evseId,
    connectorId: input.connectorId ?? 1,
  } satisfies v201.UnlockConnectorRequest;
  return { action: 'UnlockConnector', payload };
}

export function changeAvailability(
  protocol: OcppProtocol,
  input: { operative: boolean; evseId?: number | undefined; connectorId?: number | undefined },
): Outgoing {
  if (input.connectorId !== undefined && input.evseId === undefined) {
    refuse('connectorId', 'connectorId needs evseId (the connector of which EVSE)');
  }
  if (is16(protocol)) {
    // 1.6 §5.2 ChangeAvailability: connectorId 0 is the whole Charge Point, N is EVSE N.
    if (input.connectorId !== undefined && input.connectorId !== 1) {
      refuse('connectorId', 'In OCPP 1.6 every EVSE has one connector: leave connectorId out (or 1)');
    }
    const payload = {
      connectorId: input.evseId ?? 0,
      type: input.operative ? 'Operative' : 'Inoperative',
    } satisfies v16.ChangeAvailabilityRequest;
    return { action: 'ChangeAvailability', payload, toField: renameFields({ connectorId: 'evseId' }) };
  }
  // 2.0.1 G03 (an EVSE or a connector) / G04 (no evse: the whole Charging Station).
  const payload = {
    operationalStatus: input.operative ? 'Operative' : 'Inoperative',
    ...(input.evseId !== undefined
      ? {
          evse: {
            id: input.evseId,
            ...(input.connectorId !== undefined ? { connectorId: input.connectorId } : {}),
          },
        }
      : {}),
  } satisfies v201.ChangeAvailabilityRequest;
  return {
    action: 'ChangeAvailability',
    payload,
    toField: renameFields({
      'evse.id': 'evseId',
      'evse.connectorId': 'connectorId',
      operationalStatus: 'operative',
    }),
  };
}

// ---- Configuration ---------------------------------------------------------------------------

export interface VariableRefInput {
  readonly component: ComponentInput;
  readonly variable: VariableInput;
  readonly attributeType?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet' | undefined;
}

/** `Component.Variable` (split at the first dot) as a 2.0.1 component/variable pair. */
export function parseVariableKey(
  key: string,
  path: string,
): { component: ComponentInput; variable: VariableInput } {
  const dot = key.indexOf('.');
  if (dot <= 0 || dot === key.length - 1) {
    refuse(path, 'OCPP 2.x configuration keys are Component.Variable (e.g. OCPPCommCtrlr.HeartbeatInterval)');
  }
  return { component: { name: key.slice(0, dot) }, variable: { name: key.slice(dot + 1) } };
}

/**
 * Reads configuration. 1.6 §5.8 GetConfiguration (no keys: every key). 2.x B06 GetVariables for
 * the given variables; with none, B07 GetBaseReport(ConfigurationInventory), whose NotifyReport
 * parts are stored as the device model (`generatedId` is its requestId).
 */
export function getConfiguration(
  protocol: OcppProtocol,
  input: { keys?: readonly string[] | undefined; variables?: readonly VariableRefInput[] | undefined },
  generatedId: number,
): Outgoing {
  const keys = input.keys ?? [];
  const variables = input.variables ?? [];
  if (is16(protocol)) {
    if (variables.length > 0) {
      refuse('variables', 'OCPP 1.6 has configuration keys, not components and variables: use keys');
    }
    const payload = (keys.length > 0 ? { key: [...keys] } : {}) satisfies v16.GetConfigurationRequest;
    return { action: 'GetConfiguration', payload, toField: renameFields({ key: 'keys' }) };
  }
  const wanted: VariableRefInput[] = [
    ...keys.map((key, i) => parseVariableKey(key, `keys.${i}`)),
    ...variables,
  ];
  if (wanted.length === 0) {
    const payload = {
      requestId: generatedId,
      reportBase: 'ConfigurationInventory',
    } satisfies v201.GetBaseReportRequest;
    return { action: 'GetBaseReport', payload };
  }
  const payload = {
    getVariableData: wanted.map((w) => ({
      component: componentRef(w.component),
      variable: variableRef(w.variable),
      ...(w.attributeType ? { attributeType: w.attributeType } : {}),
    })),
  };
  const offset = keys.length;
  return {
    action: 'GetVariables',
    payload,
    toField: (path) => {
      const m = /^getVariableData\.(\d+)(.*)$/.exec(path);
      if (!m) return path;
      const i = Number(m[1]);
      return i < offset ? `keys.${i}` : `variables.${i - offset}${m[2] ?? ''}`;
    },
  };
}

/** 1.6 AuthorizationKey (security whitepaper A01) / 2.x SecurityCtrlr.BasicAuthPassword (A01). */
const PASSWORD_KEY_16 = 'authorizationkey';
const PASSWORD_VARIABLE = 'basicauthpassword';

export type SetConfigurationInput =
  | { readonly key: string; readonly value: string }
  | {
      readonly component: ComponentInput;
      readonly variable: VariableInput;
      readonly value: string;
      readonly attributeType?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet' | undefined;
    };

const PASSWORD_ROUTE = 'the station password changes only through POST /v1/stations/{id}/password';

/** 1.6 §5.3 ChangeConfiguration; 2.x B05 SetVariables (one variable). */
export function setConfiguration(protocol: OcppProtocol, input: SetConfigurationInput): Outgoing {
  if (is16(protocol)) {
    if (!('key' in input)) {
      refuse('component', 'OCPP 1.6 has configuration keys, not components and variables: use key');
    }
    if (input.key.toLowerCase() === PASSWORD_KEY_16) refuse('key', PASSWORD_ROUTE);
    const payload = { key: input.key, value: input.value } satisfies v16.ChangeConfigurationRequest;
    return { action: 'ChangeConfiguration', payload };
  }
  const ref = 'key' in input ? parseVariableKey(input.key, 'key') : input;
  if (ref.variable.name.toLowerCase() === PASSWORD_VARIABLE)
    refuse('key' in input ? 'key' : 'variable', PASSWORD_ROUTE);
  const payload = {
    setVariableData: [
      {
        component: componentRef(ref.component),
        variable: variableRef(ref.variable),
        attributeValue: input.value,
        ...('attributeType' in input && input.attributeType ? { attributeType: input.attributeType } : {}),
      },
    ],
  };
  return {
    action: 'SetVariables',
    payload,
    toField: renameFields(
      'key' in input
        ? {
            'setVariableData.0.attributeValue': 'value',
            'setVariableData.0.component': 'key',
            'setVariableData.0.variable': 'key',
            'setVariableData.0': '',
          }
        : {
            'setVariableData.0.attributeValue': 'value',
            'setVariableData.0.component': 'component',
            'setVariableData.0.variable': 'variable',
            'setVariableData.0.attributeType': 'attributeType',
            'setVariableData.0': '',
          },
    ),
  };
}

/**
 * Where a raw command would set the station's password behind the CSMS's back (the station
 * would then be refused at its next connection): the payload field, or undefined.
 */
export function passwordField(action: string, payload: Record<string, unknown>): string | undefined {
  if (action === 'ChangeConfiguration' && typeof payload.key === 'string') {
    return payload.key.toLowerCase() === PASSWORD_KEY_16 ? 'key' : undefined;
  }
  if (action === 'SetVariables' && Array.isArray(payload.setVariableData)) {
    const i = (payload.setVariableData as unknown[]).findIndex((d) => {
      const name = (d as { variable?: { name?: unknown } } | null)?.variable?.name;
      return typeof name === 'string' && name.toLowerCase() === PASSWORD_VARIABLE;
    });
    return i >= 0 ? `setVariableData.${i}.variable.name` : undefined;
  }
  return undefined;
}

// ---- Trigger message -------------------------------------------------------------------------

type Trigger16 = { readonly action: 'TriggerMessage' | 'ExtendedTriggerMessage'; readonly message: string };

/**
 * Neutral trigger names and the message each version asks for. 1.6 §5.17 TriggerMessage
 * (MessageTrigger §7.32); the 1.6 security whitepaper's ExtendedTriggerMessage for the messages
 * it added (LogStatusNotification, SignChargePointCertificate); 2.0.1 F06 TriggerMessage
 * (MessageTriggerEnumType), where GetLog replaced diagnostics (N01).
 */
const TRIGGERS: Readonly<Record<string, { readonly v16?: Trigger16; readonly v2?: string }>> = {
  BootNotification: {
    v16: { action: 'TriggerMessage', message: 'BootNotification' },
    v2: 'BootNotification',
  },
  Heartbeat: { v16: { action: 'TriggerMessage', message: 'Heartbeat' }, v2: 'Heartbeat' },
  MeterValues: { v16: { action: 'TriggerMessage', message: 'MeterValues' }, v2: 'MeterValues' },
  StatusNotification: {
    v16: { action: 'TriggerMessage', message: 'StatusNotification' },
    v2: 'StatusNotification',
  },
  FirmwareStatusNotification: {
    v16: { action: 'TriggerMessage', message: 'FirmwareStatusNotification' },
    v2: 'FirmwareStatusNotification',
  },
  DiagnosticsStatusNotification: {
    v16: { action: 'TriggerMessage', message: 'DiagnosticsStatusNotification' },
    v2: 'LogStatusNotification',
  },
  LogStatusNotification: {
    v16: { action: 'ExtendedTriggerMessage', message: 'LogStatusNotification' },
    v2: 'LogStatusNotification',
  },
  SignCertificate: {
    v16: { action: 'ExtendedTriggerMessage', message: 'SignChargePointCertificate' },
    v2: 'SignChargingStationCertificate',
  },
  TransactionEvent: { v2: 'TransactionEvent' },
  SignV2GCertificate: { v2: 'SignV2GCertificate' },
  SignCombinedCertificate: { v2: 'SignCombinedCertificate' },
  PublishFirmwareStatusNotification: { v2: 'PublishFirmwareStatusNotification' },
};
export const TRIGGER_MESSAGES = Object.keys(TRIGGERS) as [string, ...string[]];

export function triggerMessage(
  protocol: OcppProtocol,
  input: { message: string; evseId?: number | undefined; connectorId?: number | undefined },
): Outgoing {
  const trigger = TRIGGERS[input.message];
  if (input.connectorId !== undefined && input.evseId === undefined) {
    refuse('connectorId', 'connectorId needs evseId (the connector of which EVSE)');
  }
  if (is16(protocol)) {
    if (!trigger?.v16) refuse('message', `OCPP 1.6 cannot trigger ${input.message}`);
    if (input.connectorId !== undefined && input.connectorId !== 1) {
      refuse('connectorId', 'In OCPP 1.6 every EVSE has one connector: leave connectorId out (or 1)');
    }
    const payload = {
      requestedMessage: trigger.v16.message,
      ...(input.evseId !== undefined ? { connectorId: input.evseId } : {}),
    };
    return {
      action: trigger.v16.action,
      payload,
      toField: renameFields({ connectorId: 'evseId', requestedMessage: 'message' }),
    };
  }
  if (!trigger?.v2) refuse('message', `${versionName(protocol)} cannot trigger ${input.message}`);
  // F06.FR.13: a StatusNotification is triggered for one connector.
  if (trigger.v2 === 'StatusNotification' && input.evseId === undefined) {
    refuse(
      'evseId',
      `${versionName(protocol)} triggers a StatusNotification for one connector (F06.FR.13): give evseId`,
    );
  }
  const connectorId = input.connectorId ?? (trigger.v2 === 'StatusNotification' ? 1 : undefined);
  const payload = {
    requestedMessage: trigger.v2,
    ...(input.evseId !== undefined
      ? { evse: { id: input.evseId, ...(connectorId !== undefined ? { connectorId } : {}) } }
      : {}),
  };
  return {
    action: 'TriggerMessage',
    payload,
    toField: renameFields({
      'evse.id': 'evseId',
      'evse.connectorId': 'connectorId',
      requestedMessage: 'message',
    }),
  };
}

// ---- Cache, data transfer, local list version ------------------------------------------------

/** 1.6 §5.4, 2.0.1 C11: the same empty request. */
export function clearCache(): Outgoing {
  return { action: 'ClearCache', payload: {} };
}

/** 1.6 §5.10, 2.0.1 D02: the same empty request. */
export function getLocalListVersion(): Outgoing {
  return { action: 'GetLocalListVersion', payload: {} };
}

/** 1.6 §5.6 (data is a string), 2.0.1 P01 (data of any JSON type): the same fields. */
export function dataTransfer(input: {
  vendorId: string;
  messageId?: string | undefined;
  data?: unknown;
}): Outgoing {
  return {
    action: 'DataTransfer',
    payload: {
      vendorId: input.vendorId,
      ...(input.messageId !== undefined ? { messageId: input.messageId } : {}),
      ...(input.data !== undefined ? { data: input.data } : {}),
    },
  };
}

// ---- Reservations ----------------------------------------------------------------------------

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

// ---- Charging profiles -----------------------------------------------------------------------

/** 1.6 §5.16 SetChargingProfile (connectorId, csChargingProfiles); 2.0.1 K01 (evseId, chargingProfile). */
export function setChargingProfile(
  protocol: OcppProtocol,
  input: { evseId: number; profile: Record<string, unknown> },
): Outgoing {
  if (is16(protocol)) {
    return {
      action: 'SetChargingProfile',
      payload: { connectorId: input.evseId, csChargingProfiles: input.profile },
      toField: renameFields({ connectorId: 'evseId', csChargingProfiles: 'profile' }),
    };
  }
  return {
    action: 'SetChargingProfile',
    payload: { evseId: input.evseId, chargingProfile: input.profile },
    toField: renameFields({ chargingProfile: 'profile' }),
  };
}

export const PROFILE_PURPOSES = [
  'ChargePointMaxProfile',
  'ChargingStationMaxProfile',
  'ChargingStationExternalConstraints',
  'TxDefaultProfile',
  'TxProfile',
] as const;
export type ProfilePurpose = (typeof PROFILE_PURPOSES)[number];

export interface ClearProfilesInput {
  readonly profileId?: number | undefined;
  readonly evseId?: number | undefined;
  readonly purpose?: ProfilePurpose | undefined;
  readonly stackLevel?: number | undefined;
}

/**
 * 1.6 §5.5 ClearChargingProfile (id, connectorId, purpose, stackLevel); 2.0.1 K10
 * (chargingProfileId, chargingProfileCriteria). The station-wide maximum is ChargePointMaxProfile
 * in 1.6 and ChargingStationMaxProfile in 2.x: either name is taken for both.
 */
export function clearChargingProfile(protocol: OcppProtocol, input: ClearProfilesInput): Outgoing {
  const max = input.purpose === 'ChargePointMaxProfile' || input.purpose === 'ChargingStationMaxProfile';
  if (is16(protocol)) {
    if (input.purpose === 'ChargingStationExternalConstraints') {
      refuse('purpose', 'OCPP 1.6 has no ChargingStationExternalConstraints profiles');
    }
    const purpose = max ? 'ChargePointMaxProfile' : input.purpose;
    const payload = {
      ...(input.profileId !== undefined ? { id: input.profileId } : {}),
      ...(input.evseId !== undefined ? { connectorId: input.evseId } : {}),
      ...(purpose !== undefined ? { chargingProfilePurpose: purpose } : {}),
      ...(input.stackLevel !== undefined ? { stackLevel: input.stackLevel } : {}),
    } satisfies v16.ClearChargingProfileRequest;
    return {
      action: 'ClearChargingProfile',
      payload,
      toField: renameFields({ id: 'profileId', connectorId: 'evseId', chargingProfilePurpose: 'purpose' }),
    };
  }
  const purpose = max ? 'ChargingStationMaxProfile' : input.purpose;
  const criteria = {
    ...(input.evseId !== undefined ? { evseId: input.evseId } : {}),
    ...(purpose !== undefined ? { chargingProfilePurpose: purpose } : {}),
    ...(input.stackLevel !== undefined ? { stackLevel: input.stackLevel } : {}),
  } satisfies v201.ClearChargingProfileType;
  const payload = {
    ...(input.profileId !== undefined ? { chargingProfileId: input.profileId } : {}),
    ...(Object.keys(criteria).length > 0 ? { chargingProfileCriteria: criteria } : {}),
  } satisfies v201.ClearChargingProfileRequest;
  return {
    action: 'ClearChargingProfile',
    payload,
    toField: renameFields({
      chargingProfileId: 'profileId',
      'chargingProfileCriteria.evseId': 'evseId',
      'chargingProfileCriteria.chargingProfilePurpose': 'purpose',
      'chargingProfileCriteria.stackLevel': 'stackLevel',
    }),
  };
}

/** 1.6 §5.7 GetCompositeSchedule (connectorId); 2.0.1 K08 (evseId). 0 is the grid connection. */
export function getCompositeSchedule(
  protocol: OcppProtocol,
  input: { evseId: number; duration: number; unit?: 'A' | 'W' | undefined },
): Outgoing {
  const unit = input.unit !== undefined ? { chargingRateUnit: input.unit } : {};
  if (is16(protocol)) {
    const payload = {
      connectorId: input.evseId,
      duration: input.duration,
      ...unit,
    } satisfies v16.GetCompositeScheduleRequest;
    return {
      action: 'GetCompositeSchedule',
      payload,
      toField: renameFields({ connectorId: 'evseId', chargingRateUnit: 'unit' }),
    };
  }
  const payload = {
    evseId: input.evseId,
    duration: input.duration,
    ...unit,
  } satisfies v201.GetCompositeScheduleRequest;
  return { action: 'GetCompositeSchedule', payload, toField: renameFields({ chargingRateUnit: 'unit' }) };
}
