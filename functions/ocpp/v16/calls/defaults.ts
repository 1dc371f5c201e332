/**
 * 1.6 CSMS-initiated actions whose only rule is whether they may be sent twice: the default
 * success rule (statusOutcome), no stored effect, nothing for the boot gate, no password. One
 * module lists them instead of one near-empty file each (docs/adding-an-ocpp-action.md); an action
 * that gains a rule or an effect moves to its own file in this folder.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallTable } from '../../../../shared/calls/spec.js';

export const V16_DEFAULT_CALLS = {
  ClearCache: { repeatable: true }, // §5.4: clearing twice clears the same
  DataTransfer: { repeatable: false }, // vendor-specific: may do anything
  GetCompositeSchedule: { repeatable: true }, // §5.7: a read
  GetLog: { repeatable: false }, // security: an upload
  RemoteStartTransaction: { repeatable: false }, // §5.11: a second session
  RemoteStopTransaction: { repeatable: false }, // §5.12
  Reset: { repeatable: false }, // §5.14: never a second reboot
  SignedUpdateFirmware: { repeatable: false }, // security: an installation
  UnlockConnector: { repeatable: false }, // §5.18: may release a cable twice
} as const satisfies CallTable<Methods>;
