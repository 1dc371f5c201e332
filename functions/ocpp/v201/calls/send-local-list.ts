/** 2.0.1 D01 SendLocalList. Stored when Accepted: the station's local list version. */
import { recordSentLocalList } from '../../call-effects.js';
import type { V2CallOf } from './v2.js';

export const sendLocalList: V2CallOf<'SendLocalList', 'localList'> = {
  repeatable: true, // the same list version again
  onResult: (ctx, request, response) =>
    recordSentLocalList(ctx, response.status, {
      version: request.versionNumber,
      updateType: request.updateType,
    }),
};
