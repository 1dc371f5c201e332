/** 2.0.1 D02 GetLocalListVersion. Stored: the version the station reports. */
import { safeInt } from '../../../../shared/calls/json.js';
import type { V2CallOf } from './v2.js';

export const getLocalListVersion: V2CallOf<'GetLocalListVersion'> = {
  repeatable: true, // a read
  async onResult({ store, stationId, commandId, now }, _request, response) {
    const version = safeInt(response.versionNumber);
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
