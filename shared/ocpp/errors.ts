/**
 * OCPP-J RPC framework errors. Code names are version-neutral here (2.0.1 spelling) and turned
 * into each version's wire spelling in one place, wireErrorCode().
 */
import type { OcppProtocol } from './versions.js';

export type OcppErrorCode =
  | 'FormatViolation'
  | 'GenericError'
  | 'InternalError'
  | 'MessageTypeNotSupported'
  | 'NotImplemented'
  | 'NotSupported'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'ProtocolError'
  | 'RpcFrameworkError'
  | 'SecurityError'
  | 'TypeConstraintViolation';

export class OcppError extends Error {
  constructor(
    readonly code: OcppErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'OcppError';
  }
}

/**
 * OCPP-J 1.6 §4.2.3 names FormationViolation and OccurenceConstraintViolation (the typo is kept
 * on the wire by the errata), and has no MessageTypeNotSupported or RpcFrameworkError: those
 * become ProtocolError ("Payload for Action is incomplete" is the closest 1.6 code for a frame
 * that cannot be read). 2.0.1 and 2.1 (part 4 §4.3) use the names as they are.
 */
export function wireErrorCode(code: OcppErrorCode, protocol: OcppProtocol): string {
  if (protocol !== 'ocpp1.6') return code;
  switch (code) {
    case 'FormatViolation':
      return 'FormationViolation';
    case 'OccurrenceConstraintViolation':
      return 'OccurenceConstraintViolation';
    case 'MessageTypeNotSupported':
    case 'RpcFrameworkError':
      return 'ProtocolError';
    default:
      return code;
  }
}

/** The error codes a station may legally send in a CALLERROR, for each version. */
export function isWireErrorCode(value: unknown, protocol: OcppProtocol): boolean {
  const v16 = [
    'NotImplemented',
    'NotSupported',
    'InternalError',
    'ProtocolError',
    'SecurityError',
    'FormationViolation',
    'PropertyConstraintViolation',
    'OccurenceConstraintViolation',
    'TypeConstraintViolation',
    'GenericError',
  ];
  const v2 = [
    'FormatViolation',
    'GenericError',
    'InternalError',
    'MessageTypeNotSupported',
    'NotImplemented',
    'NotSupported',
    'OccurrenceConstraintViolation',
    'PropertyConstraintViolation',
    'ProtocolError',
    'RpcFrameworkError',
    'SecurityError',
    'TypeConstraintViolation',
  ];
  return typeof value === 'string' && (protocol === 'ocpp1.6' ? v16 : v2).includes(value);
}
