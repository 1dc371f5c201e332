/**
 * The CSMS-initiated actions OCPP 2.1 adds, with the default rules (statusOutcome, no stored
 * effect) and never sent twice after a reconnect. One module lists them
 * (docs/adding-an-ocpp-action.md); one that gains a rule or an effect moves to its own file.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v21/types.js';
import type { CallTable } from '../../../../shared/calls/spec.js';

export const V21_DEFAULT_CALLS = {
  AFRRSignal: { repeatable: false }, // R06
  AdjustPeriodicEventStream: { repeatable: false }, // N13
  ChangeTransactionTariff: { repeatable: false }, // I12
  ClearDERControl: { repeatable: false }, // R03
  ClearTariffs: { repeatable: false }, // I11
  GetDERControl: { repeatable: false }, // R02
  GetPeriodicEventStream: { repeatable: false }, // N12
  GetTariffs: { repeatable: false }, // I10
  NotifyAllowedEnergyTransfer: { repeatable: false }, // Q
  NotifyWebPaymentStarted: { repeatable: false }, // C24
  RequestBatterySwap: { repeatable: false }, // S02
  SetDERControl: { repeatable: false }, // R01
  SetDefaultTariff: { repeatable: false }, // I09
  UpdateDynamicSchedule: { repeatable: false }, // K29
  UsePriorityCharging: { repeatable: false }, // K21
} as const satisfies CallTable<Methods>;
