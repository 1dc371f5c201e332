/**
 * The firmware command of a rollout, per OCPP version of the station: what goes through the one
 * command path (shared/calls), which validates it against the version's schema before sending.
 */
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import type { RolloutFirmware } from '../../shared/domain/rollouts.js';

export interface FirmwareCommand {
  readonly action: 'UpdateFirmware' | 'SignedUpdateFirmware';
  readonly payload: Record<string, unknown>;
}

export function firmwareCommand(
  protocol: OcppProtocol,
  firmware: RolloutFirmware,
  requestId: number,
  now: Date,
): FirmwareCommand {
  const retrieveDateTime = firmware.retrieveAt ?? now.toISOString();
  const signed = {
    location: firmware.location,
    retrieveDateTime,
    ...(firmware.installAt !== undefined ? { installDateTime: firmware.installAt } : {}),
    ...(firmware.signingCertificate !== undefined ? { signingCertificate: firmware.signingCertificate } : {}),
    ...(firmware.signature !== undefined ? { signature: firmware.signature } : {}),
  };
  if (protocol === 'ocpp1.6') {
    // Security extension L01 (SignedUpdateFirmware) when the image is signed; else 1.6 §5.19.
    if (firmware.signature !== undefined) {
      return { action: 'SignedUpdateFirmware', payload: { requestId, firmware: signed } };
    }
    return {
      action: 'UpdateFirmware',
      payload: { location: firmware.location, retrieveDate: retrieveDateTime },
    };
  }
  // 2.0.1 / 2.1 L01: requestId ties every FirmwareStatusNotification back (L01.FR.20).
  return { action: 'UpdateFirmware', payload: { requestId, firmware: signed } };
}
