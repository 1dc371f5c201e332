/**
 * Which security events are critical: the spec's lists (2.0.1 part 2 appendices "Security
 * events", 2.1 the same plus DiscardedRenewedClientCertificate; 1.6 security whitepaper
 * "Security Events"). A station SHALL push the critical ones (A04.FR.01) and MAY push others;
 * every one is stored and published as security.event.v1, with `critical` telling them apart.
 * Events the CSMS itself detects (failed logins, refused CSRs) are not on these lists: not critical.
 */
import type { OcppProtocol } from '../ocpp/versions.js';

const COMMON = [
  'FirmwareUpdated',
  'SettingSystemTime',
  'StartupOfTheDevice',
  'ResetOrReboot',
  'SecurityLogWasCleared',
  'MemoryExhaustion',
  'TamperDetectionActivated',
] as const;

const V2 = [
  ...COMMON,
  'InvalidFirmwareSignature',
  'InvalidFirmwareSigningCertificate',
  'InvalidCsmsCertificate',
  'InvalidChargingStationCertificate',
  'InvalidTLSVersion',
  'InvalidTLSCipherSuite',
  'MaintenanceLoginAccepted',
  'MaintenanceLoginFailed',
] as const;

const CRITICAL: Readonly<Record<OcppProtocol, ReadonlySet<string>>> = {
  // 1.6 security whitepaper: the firmware / certificate / TLS events are not critical there.
  'ocpp1.6': new Set(COMMON),
  'ocpp2.0.1': new Set(V2),
  'ocpp2.1': new Set([...V2, 'DiscardedRenewedClientCertificate']),
};

/** Whether a station's security event of `type` is critical in its OCPP version's list. */
export function isCriticalSecurityEvent(protocol: OcppProtocol, type: string): boolean {
  return CRITICAL[protocol].has(type);
}
