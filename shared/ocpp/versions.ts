/** The OCPP versions this CSMS speaks, as WebSocket subprotocol names, and subprotocol negotiation. */

export const PROTOCOLS = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const;
export type OcppProtocol = (typeof PROTOCOLS)[number];

export function isProtocol(value: unknown): value is OcppProtocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}

/**
 * Picks the subprotocol for a handshake. The station lists the versions it supports in its order
 * of preference (OCPP-J 2.0.1 part 4 §3.2, 1.6 §3.1.2); the CSMS takes the first one it supports
 * and allows for that station. Undefined: no acceptable subprotocol, the handshake is refused.
 */
export function negotiateSubprotocol(
  offeredHeader: string | undefined,
  allowed: readonly OcppProtocol[] = PROTOCOLS,
): OcppProtocol | undefined {
  if (!offeredHeader) return undefined;
  const offered = offeredHeader
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  return offered.find((p): p is OcppProtocol => isProtocol(p) && allowed.includes(p));
}

/**
 * Station-initiated actions per version: the CALLs a station may send to the CSMS. Every other
 * action of the version's schema set is CSMS-initiated; a station sending one of those gets
 * NotSupported (known action, not something this side handles), an unknown name NotImplemented.
 */
export const STATION_INITIATED: Readonly<Record<OcppProtocol, readonly string[]>> = {
  // OCPP 1.6 edition 2 §4 (Operations initiated by Charge Point) + Security extension
  // (SecurityEventNotification, SignCertificate, LogStatusNotification, SignedFirmwareStatusNotification).
  'ocpp1.6': [
    'Authorize',
    'BootNotification',
    'DataTransfer',
    'DiagnosticsStatusNotification',
    'FirmwareStatusNotification',
    'Heartbeat',
    'LogStatusNotification',
    'MeterValues',
    'SecurityEventNotification',
    'SignCertificate',
    'SignedFirmwareStatusNotification',
    'StartTransaction',
    'StatusNotification',
    'StopTransaction',
  ],
  // OCPP 2.0.1 part 2, messages sent by the Charging Station.
  'ocpp2.0.1': [
    'Authorize',
    'BootNotification',
    'ClearedChargingLimit',
    'DataTransfer',
    'FirmwareStatusNotification',
    'Get15118EVCertificate',
    'GetCertificateStatus',
    'Heartbeat',
    'LogStatusNotification',
    'MeterValues',
    'NotifyChargingLimit',
    'NotifyCustomerInformation',
    'NotifyDisplayMessages',
    'NotifyEVChargingNeeds',
    'NotifyEVChargingSchedule',
    'NotifyEvent',
    'NotifyMonitoringReport',
    'NotifyReport',
    'PublishFirmwareStatusNotification',
    'ReportChargingProfiles',
    'ReservationStatusUpdate',
    'SecurityEventNotification',
    'SignCertificate',
    'StatusNotification',
    'TransactionEvent',
  ],
  // OCPP 2.1 part 2 §1 (Messages): the 2.0.1 set plus the CALLs 2.1 adds for the Charging
  // Station to send: BatterySwap (S02, S03), ClosePeriodicEventStream / OpenPeriodicEventStream
  // (N11-N13), GetCertificateChainStatus (M07), NotifyDERAlarm / NotifyDERStartStop /
  // ReportDERControl (R04, R05), NotifyPriorityCharging (K21, K22), NotifySettlement (C19-C22),
  // VatNumberValidation (C18), PullDynamicScheduleUpdate (K28). NotifyPeriodicEventStream is not a
  // CALL but a SEND (STATION_SENDS); NotifyQRCodeScanned is not a 2.1 message.
  'ocpp2.1': [
    'Authorize',
    'BatterySwap',
    'BootNotification',
    'ClearedChargingLimit',
    'ClosePeriodicEventStream',
    'DataTransfer',
    'FirmwareStatusNotification',
    'Get15118EVCertificate',
    'GetCertificateChainStatus',
    'GetCertificateStatus',
    'Heartbeat',
    'LogStatusNotification',
    'MeterValues',
    'NotifyChargingLimit',
    'NotifyCustomerInformation',
    'NotifyDERAlarm',
    'NotifyDERStartStop',
    'NotifyDisplayMessages',
    'NotifyEVChargingNeeds',
    'NotifyEVChargingSchedule',
    'NotifyEvent',
    'NotifyMonitoringReport',
    'NotifyPriorityCharging',
    'NotifyReport',
    'NotifySettlement',
    'OpenPeriodicEventStream',
    'PublishFirmwareStatusNotification',
    'PullDynamicScheduleUpdate',
    'ReportChargingProfiles',
    'ReportDERControl',
    'ReservationStatusUpdate',
    'SecurityEventNotification',
    'SignCertificate',
    'StatusNotification',
    'TransactionEvent',
    'VatNumberValidation',
  ],
};

/**
 * Unconfirmed messages (message type 6, SEND: OCPP-J 2.1 part 4 §4.2.4) a station sends. They are
 * never answered, not even with an error (N15.FR.02). 2.1 part 2 §1.54: NotifyPeriodicEventStream
 * is the only one; its schema (`urn:NotifyPeriodicEventStream`) has no Request/Response pair.
 */
export const STATION_SENDS: Readonly<Record<OcppProtocol, readonly string[]>> = {
  'ocpp1.6': [],
  'ocpp2.0.1': [],
  'ocpp2.1': ['NotifyPeriodicEventStream'],
};
