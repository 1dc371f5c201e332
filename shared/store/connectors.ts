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
          ConditionExpression: 'attribute_not_exists(statusAt) OR statusAt <= :at',
          ExpressionAttributeValues: { ':at': item.statusAt },
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
