/** 1.6 §5.10 GetLocalListVersion. Stored: the version the station reports. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import { safeInt } from '../../../../shared/calls/json.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const getLocalListVersion: CallOf<Methods, 'GetLocalListVersion'> = {
  repeatable: true, // a read
  async onResult({ store, stationId, commandId, now }, _request, response) {
    const version = safeInt(response.listVersion);
    if (version === undefined) return [];
    await store.localList.put(stationId, {
      version,
      source: 'GetLocalListVersion',
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
