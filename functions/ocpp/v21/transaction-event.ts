/**
 * 2.1 TransactionEvent (E01-E17): the 2.0.1 logic. 2.1 adds trigger and stop reasons, cost
 * details (local cost calculation, I12), tariff and limit fields, and an open IdTokenType.type;
 * the CSMS reads the fields both versions share.
 */
import type {
  TransactionEventRequest,
  TransactionEventResponse,
} from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { handleTransactionEvent, type TxEventPorts } from '../v201/transaction-event.js';

export const transactionEvent: Route<TransactionEventRequest, TransactionEventResponse, TxEventPorts> = {
  handle: handleTransactionEvent,
};
