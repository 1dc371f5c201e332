/** Station control: reset, unlock, availability, trigger a message, vendor data transfer. */
import { z } from 'zod';
import {
  changeAvailability,
  dataTransfer,
  reset,
  RESET_TYPES,
  TRIGGER_MESSAGES,
  triggerMessage,
  unlock,
} from '../command-mapping/station-control.js';
import { convenience, CommandQuery, ConnectorId, EvseId, PositiveEvseId } from './common.js';

export const ResetRequest = z
  .strictObject({
    type: z
      .enum(RESET_TYPES)
      .describe(
        '1.6: soft → Soft, hard and immediate → Hard (on-idle is refused). 2.x: on-idle → OnIdle, ' +
          'immediate, soft and hard → Immediate.',
      ),
    evseId: PositiveEvseId.optional().describe('2.x only: reset this EVSE instead of the station.'),
  })
  .meta({ id: 'ResetRequest' });

export const UnlockRequest = z
  .strictObject({ evseId: PositiveEvseId, connectorId: ConnectorId.optional().describe('Default 1.') })
  .meta({ id: 'UnlockRequest' });

export const AvailabilityRequest = z
  .strictObject({
    operative: z.boolean().describe('true: Operative; false: Inoperative.'),
    evseId: PositiveEvseId.optional().describe('Absent: the whole station.'),
    connectorId: ConnectorId.optional(),
  })
  .meta({ id: 'AvailabilityRequest' });

export const TriggerRequest = z
  .strictObject({
    message: z
      .enum(TRIGGER_MESSAGES)
      .describe(
        'The message wanted; a name the version lacks is refused. DiagnosticsStatusNotification is ' +
          'LogStatusNotification in 2.x; LogStatusNotification and SignCertificate use the 1.6 ' +
          'ExtendedTriggerMessage.',
      ),
    evseId: EvseId.optional(),
    connectorId: ConnectorId.optional().describe(
      '2.x; a triggered StatusNotification defaults to connector 1.',
    ),
  })
  .meta({ id: 'TriggerRequest' });

export const DataTransferRequest = z
  .strictObject({
    vendorId: z.string().min(1).max(255),
    messageId: z.string().min(1).max(50).optional(),
    data: z.unknown().optional().describe('1.6: a string. 2.x: any JSON value.'),
  })
  .meta({ id: 'DataTransferRequest' });

// ---- operations ------------------------------------------------------------------------------

export const resetStation = convenience({
  id: 'resetStation',
  summary: 'Reset the station or one EVSE (1.6 Reset Soft/Hard, 2.x Reset Immediate/OnIdle)',
  query: CommandQuery,
  body: ResetRequest,
  build: (p, { body }) => reset(p, body),
});

export const unlockConnector = convenience({
  id: 'unlockConnector',
  summary: 'Unlock a connector (UnlockConnector)',
  query: CommandQuery,
  body: UnlockRequest,
  build: (p, { body }) => unlock(p, body),
});

export const setAvailability = convenience({
  id: 'setAvailability',
  summary: 'Make the station, an EVSE or a connector operative or inoperative (ChangeAvailability)',
  query: CommandQuery,
  body: AvailabilityRequest,
  build: (p, { body }) => changeAvailability(p, body),
});

export const triggerStationMessage = convenience({
  id: 'triggerStationMessage',
  summary: 'Ask the station to send a message now (TriggerMessage; 1.6 ExtendedTriggerMessage where needed)',
  query: CommandQuery,
  body: TriggerRequest,
  build: (p, { body }) => triggerMessage(p, body),
});

export const sendDataTransfer = convenience({
  id: 'sendDataTransfer',
  summary: 'Send vendor-specific data (DataTransfer)',
  query: CommandQuery,
  body: DataTransferRequest,
  build: (_protocol, { body }) => dataTransfer(body),
});
