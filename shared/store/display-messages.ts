/**
 * Display messages of a station (2.0.1 O01-O06): set by an accepted SetDisplayMessage, reported by
 * NotifyDisplayMessages, removed by an accepted ClearDisplayMessage. One item per message id,
 * `DISPLAY#{id}` / `{messageId:10}`.
 */
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { pad } from './keys.js';
import type { TableRef } from './table.js';

export interface DisplayMessageItem {
  readonly id: number;
  /** 2.0.1 MessageInfoType (without customData). */
  readonly message: Record<string, unknown>;
  readonly source: 'SetDisplayMessage' | 'NotifyDisplayMessages';
  readonly at: string;
}

const displayPk = (stationId: string) => `DISPLAY#${stationId}`;

export class DisplayMessageStore {
  constructor(private readonly t: TableRef) {}

  async put(stationId: string, item: DisplayMessageItem): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { pk: displayPk(stationId), sk: pad(item.id, 10), ...item },
      }),
    );
  }

  async delete(stationId: string, id: number): Promise<void> {
    await this.t.db.send(
      new DeleteCommand({ TableName: this.t.tableName, Key: { pk: displayPk(stationId), sk: pad(id, 10) } }),
    );
  }

  async list(stationId: string): Promise<DisplayMessageItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': displayPk(stationId) },
      }),
    );
    return ((out.Items ?? []) as (DisplayMessageItem & { pk?: string; sk?: string })[]).map(
      ({ id, message, source, at }) => ({ id, message, source, at }),
    );
  }
}
