/**
 * OCPP 2.1 call table. 2.1 reuses the 2.0.1 call modules where the messages are compatible (the
 * compiler checks each entry against the 2.1 types, as for the route table); the actions 2.1 adds
 * have only the default rules so far (not sent twice after a reconnect).
 */
import type { Methods } from '../../../shared/ocpp/generated/v21/types.js';
import type { CallTable } from '../../../shared/calls/spec.js';
import { cancelReservation } from '../v201/calls/cancel-reservation.js';
import { certificateSigned } from '../v201/calls/certificate-signed.js';
import { changeAvailability } from '../v201/calls/change-availability.js';
import { clearChargingProfile } from '../v201/calls/clear-charging-profile.js';
import { clearDisplayMessage } from '../v201/calls/clear-display-message.js';
import { V201_DEFAULT_CALLS } from '../v201/calls/defaults.js';
import { deleteCertificate } from '../v201/calls/delete-certificate.js';
import { getBaseReport } from '../v201/calls/get-base-report.js';
import { getInstalledCertificateIds } from '../v201/calls/get-installed-certificate-ids.js';
import { getLocalListVersion } from '../v201/calls/get-local-list-version.js';
import { getReport } from '../v201/calls/get-report.js';
import { getVariables } from '../v201/calls/get-variables.js';
import { installCertificate } from '../v201/calls/install-certificate.js';
import { reserveNow } from '../v201/calls/reserve-now.js';
import { sendLocalList } from '../v201/calls/send-local-list.js';
import { setChargingProfile } from '../v201/calls/set-charging-profile.js';
import { setDisplayMessage } from '../v201/calls/set-display-message.js';
import { setVariables } from '../v201/calls/set-variables.js';
import { triggerMessage } from '../v201/calls/trigger-message.js';
import { V21_DEFAULT_CALLS } from './calls/defaults.js';

export const V21_CALLS: CallTable<Methods> = {
  ...V201_DEFAULT_CALLS,
  ...V21_DEFAULT_CALLS,
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
