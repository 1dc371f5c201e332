/**
 * What the command path knows about each CSMS-initiated action, version by version: which actions
 * it sends, what counts as success, which may be sent again after a lost connection, which
 * station messages a Pending station may send because of it, and where passwords hide in payloads.
 */
import { ACTIONS as V16 } from '../ocpp/generated/v16/types.js';
import { ACTIONS as V201 } from '../ocpp/generated/v201/types.js';
import { ACTIONS as V21 } from '../ocpp/generated/v21/types.js';
import { STATION_INITIATED, type OcppProtocol } from '../ocpp/versions.js';

const ALL: Readonly<Record<OcppProtocol, readonly string[]>> = {
  'ocpp1.6': V16,
  'ocpp2.0.1': V201,
  'ocpp2.1': V21,
};

/**
 * The CALLs a CSMS sends, per version: every action of the version's schema set that a station
 * does not initiate, plus DataTransfer (both directions). 1.6 includes the Security extension's
 * CertificateSigned, DeleteCertificate, ExtendedTriggerMessage, GetInstalledCertificateIds, GetLog,
 * InstallCertificate and SignedUpdateFirmware; 2.1 its additions (AFRRSignal, SetDERControl, ...).
 * The command path sends every one of them.
 */
export const CSMS_ACTIONS: Readonly<Record<OcppProtocol, readonly string[]>> = Object.fromEntries(
  Object.entries(ALL).map(([protocol, actions]) => [
    protocol,
    actions.filter((a) => a === 'DataTransfer' || !STATION_INITIATED[protocol as OcppProtocol].includes(a)),
  ]),
) as unknown as Record<OcppProtocol, readonly string[]>;

/**
 * The OCPP version commands for a station are built for: that of its connection while connected,
 * else the version it is pinned to (its next connection), else that of its last connection.
 */
export function commandProtocol(station: {
  readonly connected?: boolean;
  readonly protocol?: OcppProtocol;
  readonly pinnedProtocol?: OcppProtocol;
}): OcppProtocol | undefined {
  return station.connected
    ? (station.protocol ?? station.pinnedProtocol)
    : (station.pinnedProtocol ?? station.protocol);
}

export function isCsmsAction(protocol: OcppProtocol, action: string): boolean {
  return CSMS_ACTIONS[protocol].includes(action);
}

/**
 * Response `status` values that mean the station did (or will do) what was asked. Any other
 * status (Rejected, NotSupported, Failed, UnlockFailed, Occupied, ...) makes the command
 * `rejected`; a response without a status field is `completed`.
 */
const SUCCESS = new Set([
  'Accepted',
  'RebootRequired', // 1.6 ChangeConfiguration; applied at the next reboot
  'Scheduled', // ChangeAvailability: once the running transaction ends
  'Unlocked', // UnlockConnector
  'AcceptedCanceled', // GetLog / UpdateFirmware: accepted, the previous request was cancelled
  'Unpublished', // UnpublishFirmware
]);

/**
 * Messages whose answer has no top-level status but one per item (2.0.1 B05 SetVariables, B06
 * GetVariables): the command is `rejected` when the station refused every item, so that a refused
 * password rotation, say, does not read as completed. Items are on the command's response.
 */
const PER_ITEM_STATUS: Readonly<Record<string, { list: string; ok: readonly string[] }>> = {
  SetVariables: { list: 'setVariableResult', ok: ['Accepted', 'RebootRequired'] },
  GetVariables: { list: 'getVariableResult', ok: ['Accepted'] },
};

export function outcomeOf(action: string, response: Record<string, unknown>): 'completed' | 'rejected' {
  const perItem = PER_ITEM_STATUS[action];
  const items = perItem ? response[perItem.list] : undefined;
  if (perItem && Array.isArray(items) && items.length > 0) {
    const accepted = (items as { attributeStatus?: unknown }[]).some(
      (i) => typeof i.attributeStatus === 'string' && perItem.ok.includes(i.attributeStatus),
    );
    return accepted ? 'completed' : 'rejected';
  }
  const status = response.status;
  return typeof status !== 'string' || SUCCESS.has(status) ? 'completed' : 'rejected';
}

/**
 * Actions a station may receive twice without harm: reads, and settings that set a value (the
 * second time sets the same value). Only these are sent again when the connection they were sent
 * on closed before the answer; everything else (Reset, RemoteStart/RequestStart, RemoteStop/
 * RequestStop, UnlockConnector, firmware, GetLog/GetDiagnostics, ReserveNow, CustomerInformation,
 * DataTransfer, CertificateSigned, ...) times out instead: it may have been executed.
 */
const REPEATABLE = new Set([
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'ClearDisplayMessage',
  'ClearVariableMonitoring',
  'DeleteCertificate',
  'ExtendedTriggerMessage',
  'GetBaseReport',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDisplayMessages',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetMonitoringReport',
  'GetReport',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'SendLocalList',
  'SetChargingProfile',
  'SetDisplayMessage',
  'SetMonitoringBase',
  'SetMonitoringLevel',
  'SetVariables',
  'TriggerMessage',
]);

export function isRepeatable(action: string): boolean {
  return REPEATABLE.has(action);
}

/**
 * The station message a TriggerMessage / ExtendedTriggerMessage asks for (the certificate
 * triggers are answered with a SignCertificate); undefined when it is not a station message.
 */
export function triggeredMessage(protocol: OcppProtocol, requested: string): string | undefined {
  const message = requested.startsWith('Sign') ? 'SignCertificate' : requested;
  return STATION_INITIATED[protocol].includes(message) ? message : undefined;
}

/**
 * The station messages that the completion (Accepted) of this command allows a station that is
 * not Accepted to send (2.0.1 B02.FR.02 / B02.FR.09: triggered by TriggerMessage, GetBaseReport,
 * GetReport; 1.6 §4.2 Pending: "unless requested by TriggerMessage").
 */
export function allowedByCommand(
  protocol: OcppProtocol,
  action: string,
  payload: Record<string, unknown>,
): string[] {
  if (action === 'GetBaseReport' || action === 'GetReport') return ['NotifyReport'];
  if (action === 'TriggerMessage' || action === 'ExtendedTriggerMessage') {
    const message =
      typeof payload.requestedMessage === 'string'
        ? triggeredMessage(protocol, payload.requestedMessage)
        : undefined;
    return message ? [message] : [];
  }
  return [];
}

/**
 * 1.6 GetDiagnostics and UpdateFirmware carry no requestId: their status notifications are tied
 * to the latest command of that action.
 */
export const LATEST_TIE: Readonly<Record<string, string>> = {
  DiagnosticsStatusNotification: 'GetDiagnostics',
  FirmwareStatusNotification: 'UpdateFirmware',
};

export function requestIdOf(payload: Record<string, unknown>): number | undefined {
  const id = payload.requestId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

// ---- passwords ------------------------------------------------------------------------------

/** What the stored copy of a payload carries instead of a password. */
export const REDACTED = '***';

/** 2.0.1 A00.FR.205 passwordString: 16 to 40 of a-z A-Z 0-9 * - _ = : + | @ . (1.6 AuthorizationKey fits). */
export const PASSWORD = /^[A-Za-z0-9*\-_=:+|@.]{16,40}$/;

interface VariableData {
  readonly component?: { readonly name?: unknown };
  readonly variable?: { readonly name?: unknown };
  readonly attributeValue?: unknown;
  readonly attributeType?: unknown;
}

/** Component, variable and 1.6 configuration key names are case-insensitive (1.6 CiString50). */
const sameName = (value: unknown, name: string): boolean =>
  typeof value === 'string' && value.toLowerCase() === name.toLowerCase();

/** 2.0.1 A01.FR.02: SecurityCtrlr.BasicAuthPassword (its Actual value). */
export function isPasswordVariable(v: VariableData): boolean {
  return (
    sameName(v.component?.name, 'SecurityCtrlr') &&
    sameName(v.variable?.name, 'BasicAuthPassword') &&
    (v.attributeType === undefined || v.attributeType === 'Actual')
  );
}

/**
 * The new station password a payload sets (1.6 security whitepaper A01.FR.02: ChangeConfiguration
 * AuthorizationKey; 2.0.1 A01.FR.02: SetVariables SecurityCtrlr.BasicAuthPassword), or undefined.
 */
export function passwordIn(action: string, payload: Record<string, unknown>): string | undefined {
  if (action === 'ChangeConfiguration' && sameName(payload.key, 'AuthorizationKey')) {
    return typeof payload.value === 'string' ? payload.value : undefined;
  }
  if (action === 'SetVariables' && Array.isArray(payload.setVariableData)) {
    const entry = (payload.setVariableData as VariableData[]).find(isPasswordVariable);
    return typeof entry?.attributeValue === 'string' ? entry.attributeValue : undefined;
  }
  return undefined;
}

/** The payload with every password replaced by REDACTED (what is stored and logged). */
export function redactPayload(action: string, payload: Record<string, unknown>): Record<string, unknown> {
  if (action === 'ChangeConfiguration' && sameName(payload.key, 'AuthorizationKey')) {
    return { ...payload, value: REDACTED };
  }
  if (action === 'SetVariables' && Array.isArray(payload.setVariableData)) {
    return {
      ...payload,
      setVariableData: (payload.setVariableData as VariableData[]).map((v) =>
        isPasswordVariable(v) ? { ...v, attributeValue: REDACTED } : v,
      ),
    };
  }
  return payload;
}

/** A response with passwords a misbehaving station might report (they are write-only) redacted. */
export function redactResponse(action: string, response: Record<string, unknown>): Record<string, unknown> {
  if (action === 'GetConfiguration' && Array.isArray(response.configurationKey)) {
    return {
      ...response,
      configurationKey: (response.configurationKey as { key?: unknown; value?: unknown }[]).map((k) =>
        sameName(k.key, 'AuthorizationKey') && k.value !== undefined ? { ...k, value: REDACTED } : k,
      ),
    };
  }
  if (action === 'GetVariables' && Array.isArray(response.getVariableResult)) {
    return {
      ...response,
      getVariableResult: (response.getVariableResult as VariableData[]).map((v) =>
        isPasswordVariable(v) && v.attributeValue !== undefined ? { ...v, attributeValue: REDACTED } : v,
      ),
    };
  }
  return response;
}

/** The payload that sets `password` in this version (A01.FR.02 of 1.6 security and 2.0.1). */
export function passwordPayload(
  protocol: OcppProtocol,
  password: string,
): { action: string; payload: Record<string, unknown> } {
  if (protocol === 'ocpp1.6') {
    return { action: 'ChangeConfiguration', payload: { key: 'AuthorizationKey', value: password } };
  }
  return {
    action: 'SetVariables',
    payload: {
      setVariableData: [
        {
          component: { name: 'SecurityCtrlr' },
          variable: { name: 'BasicAuthPassword' },
          attributeValue: password,
        },
      ],
    },
  };
}
