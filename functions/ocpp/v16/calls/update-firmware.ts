/**
 * 1.6 §5.19 UpdateFirmware. It carries no requestId: the FirmwareStatusNotifications that follow
 * are tied to the latest UpdateFirmware command. Never sent twice (a second installation).
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';

export const updateFirmware: CallOf<Methods, 'UpdateFirmware'> = { repeatable: false, tieToLatest: true };
