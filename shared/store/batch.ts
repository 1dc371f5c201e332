/**
 * Batch reads and writes with the retry of unprocessed items that DynamoDB asks for (it may return
 * part of a batch unprocessed under throttling; dropping them would lose data silently).
 */
import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TableRef } from './table.js';

/** BatchWriteItem takes at most 25 requests; BatchGetItem at most 100 keys. */
export const BATCH_WRITE_LIMIT = 25;
const BATCH_GET_LIMIT = 100;
const MAX_ATTEMPTS = 6;

const backoff = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));

type Key = Record<string, unknown>;
type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Key } };

/** Puts every item, 25 per request, retrying unprocessed ones with backoff; throws if some never get through. */
export async function batchPut(t: TableRef, items: readonly Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH_WRITE_LIMIT) {
    let pending: WriteRequest[] = items
      .slice(i, i + BATCH_WRITE_LIMIT)
      .map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB left ${pending.length} item(s) unprocessed`);
      if (attempt > 0) await backoff(attempt);
      const out = await t.db.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: pending } }));
      pending = (out.UnprocessedItems?.[t.tableName] ?? []) as WriteRequest[];
    }
  }
}

/** Reads every key (strongly consistent when asked), retrying unprocessed keys; missing items are absent. */
export async function batchGet(
  t: TableRef,
  keys: readonly Key[],
  options: { consistent?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_LIMIT) {
    let pending: Key[] = keys.slice(i, i + BATCH_GET_LIMIT);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`DynamoDB left ${pending.length} key(s) unprocessed`);
      if (attempt > 0) await backoff(attempt);
      const out = await t.db.send(
        new BatchGetCommand({
          RequestItems: { [t.tableName]: { Keys: pending, ConsistentRead: options.consistent ?? false } },
        }),
      );
      found.push(...(out.Responses?.[t.tableName] ?? []));
      pending = out.UnprocessedKeys?.[t.tableName]?.Keys ?? [];
    }
  }
  return found;
}
