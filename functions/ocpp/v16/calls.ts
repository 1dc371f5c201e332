/**
 * OCPP 1.6 call table: CSMS-initiated action -> call module (one file per action with a rule or an
 * effect, in ./calls/; the rest in ./calls/defaults.ts). Every CSMS-initiated 1.6 action (Security
 * extension included) is listed: the command path sends only what is here
 * (test/unit/calls-tables.test.ts checks the list against the schemas).
 */
import type { Methods } from '../../../shared/ocpp/generated/v16/types.js';
import type { CallTable } from '../../../shared/calls/spec.js';
import { cancelReservation } from './calls/cancel-reservation.js';
import { certificateSigned } from './calls/certificate-signed.js';
import { changeAvailability } from './calls/change-availability.js';
import { changeConfiguration } from './calls/change-configuration.js';
import { clearChargingProfile } from './calls/clear-charging-profile.js';
import { V16_DEFAULT_CALLS } from './calls/defaults.js';
import { deleteCertificate } from './calls/delete-certificate.js';
import { extendedTriggerMessage } from './calls/extended-trigger-message.js';
import { getConfiguration } from './calls/get-configuration.js';
import { getDiagnostics } from './calls/get-diagnostics.js';
import { getInstalledCertificateIds } from './calls/get-installed-certificate-ids.js';
import { getLocalListVersion } from './calls/get-local-list-version.js';
import { installCertificate } from './calls/install-certificate.js';
import { reserveNow } from './calls/reserve-now.js';
import { sendLocalList } from './calls/send-local-list.js';
import { setChargingProfile } from './calls/set-charging-profile.js';
import { triggerMessage } from './calls/trigger-message.js';
import { updateFirmware } from './calls/update-firmware.js';

export const V16_CALLS: CallTable<Methods> = {
  ...V16_DEFAULT_CALLS,
  CancelReservation: cancelReservation,
  CertificateSigned: certificateSigned,
  ChangeAvailability: changeAvailability,
  ChangeConfiguration: changeConfiguration,
  ClearChargingProfile: clearChargingProfile,
  DeleteCertificate: deleteCertificate,
  ExtendedTriggerMessage: extendedTriggerMessage,
  GetConfiguration: getConfiguration,
  GetDiagnostics: getDiagnostics,
  GetInstalledCertificateIds: getInstalledCertificateIds,
  GetLocalListVersion: getLocalListVersion,
  InstallCertificate: installCertificate,
  ReserveNow: reserveNow,
  SendLocalList: sendLocalList,
  SetChargingProfile: setChargingProfile,
  TriggerMessage: triggerMessage,
  UpdateFirmware: updateFirmware,
};
