/**
 * OCPP 1.6 route table: station-initiated action -> handler module (one file per action).
 * 1.6 edition 2 §4 (Operations Initiated by Charge Point) and the security extension's
 * station-initiated messages (whitepaper §5).
 */
import type { Methods } from '../../../shared/ocpp/generated/v16/types.js';
import type { RouteTable } from '../context.js';
import { authorize } from './authorize.js';
import { bootNotification } from './boot-notification.js';
import { dataTransfer } from './data-transfer.js';
import { diagnosticsStatusNotification } from './diagnostics-status-notification.js';
import { firmwareStatusNotification } from './firmware-status-notification.js';
import { heartbeat } from './heartbeat.js';
import { logStatusNotification } from './log-status-notification.js';
import { meterValues } from './meter-values.js';
import { securityEventNotification } from './security-event-notification.js';
import { signCertificate } from './sign-certificate.js';
import { signedFirmwareStatusNotification } from './signed-firmware-status-notification.js';
import { startTransaction } from './start-transaction.js';
import { statusNotification } from './status-notification.js';
import { stopTransaction } from './stop-transaction.js';

export const V16_ROUTES: RouteTable<Methods> = {
  Authorize: authorize,
  BootNotification: bootNotification,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: diagnosticsStatusNotification,
  FirmwareStatusNotification: firmwareStatusNotification,
  Heartbeat: heartbeat,
  LogStatusNotification: logStatusNotification,
  MeterValues: meterValues,
  SecurityEventNotification: securityEventNotification,
  SignCertificate: signCertificate,
  SignedFirmwareStatusNotification: signedFirmwareStatusNotification,
  StartTransaction: startTransaction,
  StatusNotification: statusNotification,
  StopTransaction: stopTransaction,
};
