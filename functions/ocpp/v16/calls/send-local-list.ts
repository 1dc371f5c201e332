/** 1.6 §5.15 SendLocalList. Stored when Accepted: the station's local list version. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { recordSentLocalList } from '../../call-effects.js';

export const sendLocalList: CallOf<Methods, 'SendLocalList', 'localList'> = {
  repeatable: true, // the same list version again
  onResult: (ctx, request, response) =>
    recordSentLocalList(ctx, response.status, {
      version: request.listVersion,
      updateType: request.updateType,
    }),
};
