/** Transactions: remote start and stop. */
import { z } from 'zod';
import { remoteStart, remoteStop } from '../command-mapping/transactions.js';
import { IdTokenType } from '../id-tokens.js';
import { convenience, CommandQuery, IdTokenValue, Int32, newId, PositiveEvseId } from './common.js';

export const RemoteStartRequest = z
  .strictObject({
    idToken: IdTokenValue,
    idTokenType: IdTokenType.optional().describe('2.x only (default Central); a 1.6 idTag has no type.'),
    evseId: PositiveEvseId.optional(),
    connectorId: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('1.6 only: the connectorId (the same as evseId). 2.x starts on an EVSE.'),
    remoteStartId: Int32.optional().describe('2.x only; generated when absent.'),
    groupId: z.string().min(1).max(36).optional().describe('2.x only: groupIdToken (type Central).'),
    chargingProfile: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("A TxProfile in the station's version's ChargingProfile schema."),
  })
  .meta({ id: 'RemoteStartRequest' });

export const RemoteStopRequest = z
  .strictObject({
    transactionId: z
      .union([z.string().min(1).max(36), z.number().int()])
      .transform(String)
      .describe('As in the transaction view (`id`); a 1.6 transaction id is an integer.'),
  })
  .meta({ id: 'RemoteStopRequest' });

// ---- operations ------------------------------------------------------------------------------

export const startTransaction = convenience({
  id: 'startTransaction',
  summary: 'Start a transaction remotely (1.6 RemoteStartTransaction, 2.x RequestStartTransaction)',
  query: CommandQuery,
  body: RemoteStartRequest,
  build: (p, { body }) => remoteStart(p, body, newId()),
});

export const stopTransaction = convenience({
  id: 'stopTransaction',
  summary: 'Stop a transaction remotely (1.6 RemoteStopTransaction, 2.x RequestStopTransaction)',
  query: CommandQuery,
  body: RemoteStopRequest,
  build: (p, { body }) => remoteStop(p, body),
});
