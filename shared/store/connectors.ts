/** Connector status: one item per (EVSE, connector); a newer notification never loses to an older one. */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { isConditionalCheckFailed, type TableRef } from './table.js';

export interface ConnectorItem {
  readonly evseId: number;
  readonly connectorId: number;
  /** Version-neutral status (the station's own word: Available, Occupied, Charging, Faulted, ...). */
  readonly status: string;
  /** When the station says the status began (its timestamp, or when we received it). */
  readonly statusAt: string;
  readonly errorCode?: string;
  readonly info?: string;
  readonly vendorErrorCode?: string;
  /**
   * When the gateway received the message (`arrivalKey`): breaks ties between statuses with the
   * same statusAt (1.6 notifications without a timestamp received in the same millisecond).
   */
  readonly arrival?: string;
}

/**
 * A sortable key of a message's arrival at the gateway: epoch milliseconds, then a sequence
 * number among the messages of its connection where the gateway gives one (the local host does;
 * API Gateway does not: two messages of one connection in the same millisecond tie there).
 */
export function arrivalKey(epochMs: number, sequence = 0): string {
  return `${String(Math.max(0, Math.trunc(epochMs))).padStart(15, '0')}.${String(sequence).padStart(12, '0')}`;
}

export class ConnectorStore {
  constructor(private readonly t: TableRef) {}

  /**
   * Stores the status unless a newer one is already stored (messages of one connection may be
   * handled out of order). Returns false when the update was older than what is stored.
   */
  async putStatus(stationId: string, item: ConnectorItem): Promise<boolean> {
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { ...keys.connector(stationId, item.evseId, item.connectorId), ...item },
          // Newer statusAt wins; on a tie, the later arrival (issue 7: pipelined CALLs are
          // handled concurrently, the later one may be stored first).
          ConditionExpression:
            'attribute_not_exists(statusAt) OR statusAt < :at OR (statusAt = :at AND ' +
            (item.arrival === undefined
              ? 'attribute_not_exists(arrival))'
              : '(attribute_not_exists(arrival) OR arrival <= :arrival))'),
          ExpressionAttributeValues: {
            ':at': item.statusAt,
            ...(item.arrival === undefined ? {} : { ':arrival': item.arrival }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async list(stationId: string): Promise<ConnectorItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
        ExpressionAttributeValues: { ':pk': keys.stationPk(stationId), ':conn': 'CONN#' },
      }),
    );
    return (out.Items ?? []) as ConnectorItem[];
  }
}
