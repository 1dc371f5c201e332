/**
 * OCPP 2.1 route table. 2.1 reuses the 2.0.1 handlers: directly where 2.1's request is a subtype
 * of 2.0.1's and 2.0.1's response a subtype of 2.1's (the compiler checks both), through a thin
 * 2.1 route over the version-neutral logic where the types differ (./authorize, ./meter-values,
 * ./transaction-event). Not listed: answered NotSupported (docs/support-v2.md).
 */
import type { Methods } from '../../../shared/ocpp/generated/v21/types.js';
import type { RouteTable } from '../context.js';
import { bootNotification } from '../v201/boot-notification.js';
import { clearedChargingLimit } from '../v201/cleared-charging-limit.js';
import { get15118EVCertificate } from '../v201/get-15118-ev-certificate.js';
import { getCertificateStatus } from '../v201/get-certificate-status.js';
import { notifyChargingLimit } from '../v201/notify-charging-limit.js';
import { notifyEVChargingNeeds } from '../v201/notify-ev-charging-needs.js';
import { notifyEVChargingSchedule } from '../v201/notify-ev-charging-schedule.js';
import { notifyPriorityCharging } from './notify-priority-charging.js';
import { pullDynamicScheduleUpdate } from './pull-dynamic-schedule-update.js';
import { dataTransfer } from '../v201/data-transfer.js';
import { firmwareStatusNotification } from '../v201/firmware-status-notification.js';
import { heartbeat } from '../v201/heartbeat.js';
import { logStatusNotification } from '../v201/log-status-notification.js';
import { notifyCustomerInformation } from '../v201/notify-customer-information.js';
import { notifyDisplayMessages } from '../v201/notify-display-messages.js';
import { notifyEvent } from '../v201/notify-event.js';
import { notifyMonitoringReport } from '../v201/notify-monitoring-report.js';
import { notifyReport } from '../v201/notify-report.js';
import { publishFirmwareStatusNotification } from '../v201/publish-firmware-status-notification.js';
import { reportChargingProfiles } from '../v201/report-charging-profiles.js';
import { reservationStatusUpdate } from '../v201/reservation-status-update.js';
import { securityEventNotification } from '../v201/security-event-notification.js';
import { signCertificate } from './sign-certificate.js';
import { statusNotification } from '../v201/status-notification.js';
import { authorize } from './authorize.js';
import { meterValues } from './meter-values.js';
import { transactionEvent } from './transaction-event.js';

export const V21_ROUTES: RouteTable<Methods> = {
  Authorize: authorize,
  BootNotification: bootNotification,
  ClearedChargingLimit: clearedChargingLimit,
  DataTransfer: dataTransfer,
  FirmwareStatusNotification: firmwareStatusNotification,
  Get15118EVCertificate: get15118EVCertificate,
  GetCertificateStatus: getCertificateStatus,
  Heartbeat: heartbeat,
  LogStatusNotification: logStatusNotification,
  MeterValues: meterValues,
  NotifyChargingLimit: notifyChargingLimit,
  NotifyCustomerInformation: notifyCustomerInformation,
  NotifyDisplayMessages: notifyDisplayMessages,
  NotifyEVChargingNeeds: notifyEVChargingNeeds,
  NotifyEVChargingSchedule: notifyEVChargingSchedule,
  NotifyEvent: notifyEvent,
  NotifyPriorityCharging: notifyPriorityCharging,
  NotifyMonitoringReport: notifyMonitoringReport,
  NotifyReport: notifyReport,
  PublishFirmwareStatusNotification: publishFirmwareStatusNotification,
  PullDynamicScheduleUpdate: pullDynamicScheduleUpdate,
  ReportChargingProfiles: reportChargingProfiles,
  ReservationStatusUpdate: reservationStatusUpdate,
  SecurityEventNotification: securityEventNotification,
  SignCertificate: signCertificate,
  StatusNotification: statusNotification,
  TransactionEvent: transactionEvent,
};
