/**
 * What the command path knows about CSMS-initiated actions in general, version by version: which
 * actions a version has, which version a station's commands are built for, requestIds, passwords.
 * What it knows about each action (success, re-sending, boot gate, redaction, stored effects) is
 * in that action's call module: functions/ocpp/<version>/calls/ (shared/calls/spec.ts).
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
 * Each version's call table lists exactly these (test/unit/calls-tables.test.ts).
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

/**
 * The station message a TriggerMessage / ExtendedTriggerMessage asks for (the certificate
 * triggers are answered with a SignCertificate); undefined when it is not a station message.
 */
export function triggeredMessage(protocol: OcppProtocol, requested: string): string | undefined {
  const message = requested.startsWith('Sign') ? 'SignCertificate' : requested;
  return STATION_INITIATED[protocol].includes(message) ? message : undefined;
}

export function requestIdOf(payload: Record<string, unknown>): number | undefined {
  const id = payload.requestId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : undefined;
}

// ---- passwords ------------------------------------------------------------------------------

/** What the stored copy of a payload carries instead of a password. */
export const REDACTED = '***';

/** 2.0.1 A00.FR.205 passwordString: 16 to 40 of a-z A-Z 0-9 * - _ = : + | @ . (1.6 AuthorizationKey fits). */
export const PASSWORD = /^[A-Za-z0-9*\-_=:+|@.]{16,40}$/;
