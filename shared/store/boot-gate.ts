/**
 * Messages a station that is not Accepted may send because the CSMS asked for them (2.0.1
 * B02.FR.02 / B02.FR.09: triggered by TriggerMessage, GetBaseReport, GetReport; 1.6 §4.2:
 * "unless requested by a TriggerMessage"). One short-lived item per allowed message, in the
 * station's partition: `STATION#{id}` / `ALLOW#{action}`, expiring (TTL, filtered on read).
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { epochSeconds, isExpired, type TableRef } from './table.js';

const allowanceKey = (stationId: string, action: string) => ({
  pk: keys.stationPk(stationId),
  sk: `ALLOW#${action}`,
});

export class BootGateStore {
  constructor(private readonly t: TableRef) {}

  async allow(stationId: string, action: string, until: Date, commandId: string): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { ...allowanceKey(stationId, action), commandId, expiresAt: epochSeconds(until) },
      }),
    );
  }

  /** Withdraws the allowance a command gave (the station did not accept the command). */
  async withdraw(stationId: string, action: string, commandId: string): Promise<void> {
    try {
      await this.t.db.send(
        new DeleteCommand({
          TableName: this.t.tableName,
          Key: allowanceKey(stationId, action),
          ConditionExpression: 'commandId = :id',
          ExpressionAttributeValues: { ':id': commandId },
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }

  async isAllowed(stationId: string, action: string, now: Date): Promise<boolean> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: allowanceKey(stationId, action),
        ConsistentRead: true,
      }),
    );
    return out.Item !== undefined && !isExpired(out.Item as { expiresAt?: number }, now);
  }
}
