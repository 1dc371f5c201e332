/**
 * OCPP 2.0.1 call table: CSMS-initiated action -> call module (one file per action with a rule or
 * an effect, in ./calls/; the rest in ./calls/defaults.ts). Every CSMS-initiated 2.0.1 action is
 * listed: the command path sends only what is here (test/unit/calls-tables.test.ts checks the list
 * against the schemas).
 */
import type { Methods } from '../../../shared/ocpp/generated/v201/types.js';
import type { CallTable } from '../../../shared/calls/spec.js';
import { cancelReservation } from './calls/cancel-reservation.js';
import { certificateSigned } from './calls/certificate-signed.js';
import { changeAvailability } from './calls/change-availability.js';
import { clearChargingProfile } from './calls/clear-charging-profile.js';
import { clearDisplayMessage } from './calls/clear-display-message.js';
import { V201_DEFAULT_CALLS } from './calls/defaults.js';
import { deleteCertificate } from './calls/delete-certificate.js';
import { getBaseReport } from './calls/get-base-report.js';
import { getInstalledCertificateIds } from './calls/get-installed-certificate-ids.js';
import { getLocalListVersion } from './calls/get-local-list-version.js';
import { getReport } from './calls/get-report.js';
import { getVariables } from './calls/get-variables.js';
import { installCertificate } from './calls/install-certificate.js';
import { reserveNow } from './calls/reserve-now.js';
import { sendLocalList } from './calls/send-local-list.js';
import { setChargingProfile } from './calls/set-charging-profile.js';
import { setDisplayMessage } from './calls/set-display-message.js';
import { setVariables } from './calls/set-variables.js';
import { triggerMessage } from './calls/trigger-message.js';

/**
 * The 2.0.1 actions with a module of their own; OCPP 2.1 sends the same messages (../v21/calls.ts
 * takes them as they are). Checked against each version's method map where a table uses them.
 */
export const V201_CALL_MODULES = {
  CancelReservation: cancelReservation,
  CertificateSigned: certificateSigned,
  ChangeAvailability: changeAvailability,
  ClearChargingProfile: clearChargingProfile,
  ClearDisplayMessage: clearDisplayMessage,
  DeleteCertificate: deleteCertificate,
  GetBaseReport: getBaseReport,
  GetInstalledCertificateIds: getInstalledCertificateIds,
  GetLocalListVersion: getLocalListVersion,
  GetReport: getReport,
  GetVariables: getVariables,
  InstallCertificate: installCertificate,
  ReserveNow: reserveNow,
  SendLocalList: sendLocalList,
  SetChargingProfile: setChargingProfile,
  SetDisplayMessage: setDisplayMessage,
  SetVariables: setVariables,
  TriggerMessage: triggerMessage,
};

export const V201_CALLS: CallTable<Methods> = {
  ...V201_DEFAULT_CALLS,
  ...V201_CALL_MODULES,
};
