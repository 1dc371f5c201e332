/** 2.0.1 O01 SetDisplayMessage. When Accepted the message is stored as shown on the station. */
import { safeInt, storableObject } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const setDisplayMessage: V2CallOf<'SetDisplayMessage', 'displayMessages'> = {
  repeatable: true, // the same message id again replaces it
  async onResult({ store, stationId, now }, request, response) {
    const id = safeInt(request.message.id);
    if (response.status !== 'Accepted' || id === undefined) return [];
    await store.displayMessages.put(stationId, {
      id,
      message: storableObject({ ...request.message }),
      source: 'SetDisplayMessage',
      at: now.toISOString(),
    });
    return [];
  },
};
