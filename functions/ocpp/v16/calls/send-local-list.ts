/** 1.6 §5.15 SendLocalList. Stored when Accepted: the station's local list version. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { safeInt } from '../../../../shared/calls/json.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const sendLocalList: CallOf<Methods, 'SendLocalList'> = {
  repeatable: true, // the same list version again
  async onResult({ store, stationId, commandId, now }, request, response) {
    const version = safeInt(request.listVersion);
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
