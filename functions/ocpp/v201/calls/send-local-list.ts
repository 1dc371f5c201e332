/** 2.0.1 D01 SendLocalList. Stored when Accepted: the station's local list version. */
import { safeInt } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const sendLocalList: V2CallOf<'SendLocalList'> = {
  repeatable: true, // the same list version again
  async onResult({ store, stationId, commandId, now }, request, response) {
    const version = safeInt(request.versionNumber);
    if (response.status !== 'Accepted' || version === undefined) return [];
    await store.localList.put(stationId, {
      version,
      source: 'SendLocalList',
      updateType: request.updateType,
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
