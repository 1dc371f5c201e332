/**
 * 1.6 §5.2 ChangeAvailability. Success: Accepted, or Scheduled (after the running transaction).
 * Stored: the requested availability of the connector's EVSE (§3.8: connector 0 is the station).
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { evseOf16 } from '../../../../shared/domain/evse.js';

export const changeAvailability: CallOf<Methods, 'ChangeAvailability', 'availability'> = {
  repeatable: true, // sets a state
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted' && response.status !== 'Scheduled') return [];
    await store.availability.put(stationId, {
      ...evseOf16(request.connectorId),
      operationalStatus: request.type === 'Inoperative' ? 'Inoperative' : 'Operative',
      scheduled: response.status === 'Scheduled',
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
