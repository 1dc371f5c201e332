/** The table handle every store module works with, and shared helpers for conditional writes. */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export interface TableRef {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** A conditional write whose condition did not hold: the domain decides what that means. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** A conditional write that did not happen, with the item its condition met (undefined: none). */
export class ConditionFailed<T> extends Error {
  constructor(readonly existing: T | undefined) {
    super('The conditional write did not happen: the stored item does not meet its condition');
    this.name = 'ConditionFailed';
  }
}

/**
 * Sends a conditional write; when its condition does not hold, throws ConditionFailed with the
 * item at `key` as it is now. DynamoDB can return that item with the failure
 * (ReturnValuesOnConditionCheckFailure: ALL_OLD); dynalite, the local host's and the tests'
 * DynamoDB, cannot (test/unit/store-conditions.test.ts), so it is read again here, strongly
 * consistent, on the failure path only (docs/architecture.md, "Conditional writes").
 */
export async function writeIf<T>(
  t: TableRef,
  key: ItemKey,
  command: PutCommand | UpdateCommand | DeleteCommand,
): Promise<{ readonly Attributes?: Record<string, unknown> }> {
  try {
    return await t.db.send(command as UpdateCommand);
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
    const out = await t.db.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }));
    throw new ConditionFailed<T>(out.Item as T | undefined);
  }
}

/**
 * Puts `item` unless the stored one is newer (a greater `at`): answers and reports of a station
 * may be handled out of order, and the newest wins. Returns whether it was written.
 */
export async function putUnlessOlder(
  t: TableRef,
  item: ItemKey & { readonly at: string } & Record<string, unknown>,
): Promise<boolean> {
  try {
    await t.db.send(
      new PutCommand({
        TableName: t.tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#at) OR #at <= :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':at': item.at },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** Epoch seconds, the unit DynamoDB TTL reads. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** DynamoDB deletes expired items lazily (and dynalite never): every read filters them out. */
export function isExpired(item: { expiresAt?: unknown } | undefined, now: Date): boolean {
  return typeof item?.expiresAt === 'number' && item.expiresAt <= epochSeconds(now);
}

/** Opaque pagination cursor over a DynamoDB LastEvaluatedKey. */
export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null;
}

export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InvalidCursorError();
}

export class InvalidCursorError extends Error {
  constructor() {
    super('cursor is not one this API returned');
    this.name = 'InvalidCursorError';
  }
}

export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * Reads items by key in batches of 100 (retrying what DynamoDB leaves unprocessed) and returns
 * them in the order of `itemKeys`; missing items are skipped.
 */
export async function batchGetInOrder<T>(t: TableRef, itemKeys: readonly ItemKey[]): Promise<T[]> {
  const found = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < itemKeys.length; i += 100) {
    let pending: ItemKey[] = itemKeys.slice(i, i + 100).map(({ pk, sk }) => ({ pk, sk }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      if (attempt > 6) throw new Error('DynamoDB kept keys unprocessed');
      const out = await t.db.send(
        new BatchGetCommand({ RequestItems: { [t.tableName]: { Keys: pending } } }),
      );
      for (const item of out.Responses?.[t.tableName] ?? [])
        found.set(`${String(item.pk)}|${String(item.sk)}`, item);
      pending = (out.UnprocessedKeys?.[t.tableName]?.Keys ?? []) as ItemKey[];
    }
  }
  return itemKeys.flatMap((k) => {
    const item = found.get(`${k.pk}|${k.sk}`);
    return item ? [item as T] : [];
  });
}

/** Every item a query matches, page after page (DynamoDB returns at most 1 MB per page). */
export async function queryAll(
  t: TableRef,
  input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await t.db.send(
      new QueryCommand({ ...input, TableName: t.tableName, ExclusiveStartKey: start }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

/**
 * Gives back claims: deletes each item whose `attribute` still names `owner`; an item another
 * owner holds now (or already gone) is left alone.
 */
export async function deleteOwned(
  t: TableRef,
  keys: readonly Record<string, string>[],
  attribute: string,
  owner: string,
): Promise<void> {
  for (const key of keys) {
    try {
      await t.db.send(
        new DeleteCommand({
          TableName: t.tableName,
          Key: key,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': attribute },
          ExpressionAttributeValues: { ':owner': owner },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
