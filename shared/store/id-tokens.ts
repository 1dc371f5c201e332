/** Id tokens (RFID cards, app tokens, ...) known to the CSMS, with status, expiry and group. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GSI1, keys, LIST } from './keys.js';
import { batchGetInOrder, decodeCursor, encodeCursor, type ItemKey, type TableRef } from './table.js';

/** Type given to a token created without one; 1.6 idTags match any type. */
export const DEFAULT_ID_TOKEN_TYPE = 'ISO14443';

export type IdTokenStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

export interface IdTokenItem {
  readonly idToken: string;
  readonly type: string;
  readonly status: IdTokenStatus;
  /** ISO 8601; after it the token is answered Expired. (Not the TTL attribute: it is kept.) */
  readonly expiresAt?: string;
  readonly groupId?: string;
  readonly createdAt: string;
}

export class IdTokenStore {
  constructor(private readonly t: TableRef) {}

  async put(item: IdTokenItem): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...keys.idToken(item.idToken, item.type),
          ...item,
          gsi1pk: LIST.idTokens,
          gsi1sk: `${item.idToken}#${item.type}`,
        },
      }),
    );
  }

  async get(idToken: string, type: string): Promise<IdTokenItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: keys.idToken(idToken, type) }),
    );
    return out.Item as IdTokenItem | undefined;
  }

  /** Removes a token; false when there was none. */
  async delete(idToken: string, type: string): Promise<boolean> {
    const out = await this.t.db.send(
      new DeleteCommand({
        TableName: this.t.tableName,
        Key: keys.idToken(idToken, type),
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes !== undefined;
  }

  /** A 1.6 idTag carries no type: any stored type matches; the first one stored wins. */
  async findAnyType(idToken: string): Promise<IdTokenItem | undefined> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.idTokenPk(idToken) },
      }),
    );
    const items = (out.Items ?? []) as IdTokenItem[];
    return items.find((i) => i.status === 'Accepted') ?? items[0];
  }

  async list(limit: number, cursor?: string): Promise<{ items: IdTokenItem[]; nextCursor: string | null }> {
    const page = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :list',
        ExpressionAttributeValues: { ':list': LIST.idTokens },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    const items = await batchGetInOrder<IdTokenItem>(this.t, (page.Items ?? []) as ItemKey[]);
    return { items, nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }
}
