/**
 * 2.0.1 CSMS-initiated actions whose only rule is whether they may be sent twice: the default
 * success rule (statusOutcome), no stored effect, nothing for the boot gate, no password. One
 * module lists them instead of one near-empty file each (docs/adding-an-ocpp-action.md); an action
 * that gains a rule or an effect moves to its own file in this folder.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v201/types.js';
import type { CallTable } from '../../../../shared/calls/spec.js';

export const V201_DEFAULT_CALLS = {
  ClearCache: { repeatable: true }, // C11: clearing twice clears the same
  ClearVariableMonitoring: { repeatable: true }, // N06
  CostUpdated: { repeatable: false }, // I03
  CustomerInformation: { repeatable: false }, // N09: may clear customer data
  DataTransfer: { repeatable: false }, // P01: vendor-specific, may do anything
  GetChargingProfiles: { repeatable: true }, // K09: a read
  GetCompositeSchedule: { repeatable: true }, // K08: a read
  GetDisplayMessages: { repeatable: true }, // O04: a read
  GetLog: { repeatable: false }, // N01: an upload
  GetMonitoringReport: { repeatable: true }, // N02: a read
  GetTransactionStatus: { repeatable: true }, // E14: a read
  PublishFirmware: { repeatable: false }, // L03
  RequestStartTransaction: { repeatable: false }, // F01: a second session
  RequestStopTransaction: { repeatable: false }, // F03
  Reset: { repeatable: false }, // B11/B12: never a second reboot
  SetMonitoringBase: { repeatable: true }, // N03: sets a value
  SetMonitoringLevel: { repeatable: true }, // N05: sets a value
  SetNetworkProfile: { repeatable: false }, // B09
  SetVariableMonitoring: { repeatable: false }, // N04: monitor ids are the station's
  UnlockConnector: { repeatable: false }, // F05: may release a cable twice
  UnpublishFirmware: { repeatable: false }, // L04
  UpdateFirmware: { repeatable: false }, // L01: an installation
} as const satisfies CallTable<Methods>;
