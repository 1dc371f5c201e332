/** 2.0.1 O05 ClearDisplayMessage. When Accepted the stored message is removed. */
import { safeInt } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const clearDisplayMessage: V2CallOf<'ClearDisplayMessage', 'displayMessages'> = {
  repeatable: true,
  async onResult({ store, stationId }, request, response) {
    const id = safeInt(request.id);
    if (response.status !== 'Accepted' || id === undefined) return [];
    await store.displayMessages.delete(stationId, id);
    return [];
  },
};
