/** The call tables of every version, for the command path (as ROUTES for the dispatcher). */
import { callIndex, type CallCatalog } from '../../shared/calls/spec.js';
import { V16_CALLS } from './v16/calls.js';
import { V201_CALLS } from './v201/calls.js';
import { V21_CALLS } from './v21/calls.js';

export const CALLS: CallCatalog = {
  'ocpp1.6': callIndex(V16_CALLS),
  'ocpp2.0.1': callIndex(V201_CALLS),
  'ocpp2.1': callIndex(V21_CALLS),
};
