/**
 * 2.0.1 G03 ChangeAvailability. Success: Accepted, or Scheduled (G03.FR.04: after the running
 * transaction). Stored: the requested availability of the EVSE / connector (none: the station).
 */
import type { V2CallOf } from './v2.js';

export const changeAvailability: V2CallOf<'ChangeAvailability', 'availability'> = {
  repeatable: true, // sets a state
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted' && response.status !== 'Scheduled') return [];
    await store.availability.put(stationId, {
      evseId: request.evse?.id ?? 0,
      connectorId: request.evse?.connectorId ?? 0,
      operationalStatus: request.operationalStatus === 'Inoperative' ? 'Inoperative' : 'Operative',
      scheduled: response.status === 'Scheduled',
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
