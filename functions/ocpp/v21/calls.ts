/**
 * OCPP 2.1 call table. 2.1 reuses the 2.0.1 call modules where the messages are compatible (the
 * compiler checks each entry against the 2.1 types, as for the route table); the actions 2.1 adds
 * have only the default rules so far (not sent twice after a reconnect).
 */
import type { Methods } from '../../../shared/ocpp/generated/v21/types.js';
import type { CallTable } from '../../../shared/calls/spec.js';
import { V201_DEFAULT_CALLS } from '../v201/calls/defaults.js';
import { V201_CALL_MODULES } from '../v201/calls.js';
import { V21_DEFAULT_CALLS } from './calls/defaults.js';

export const V21_CALLS: CallTable<Methods> = {
  ...V201_DEFAULT_CALLS,
  ...V21_DEFAULT_CALLS,
  ...V201_CALL_MODULES,
};
