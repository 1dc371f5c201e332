/**
 * Failed conditional writes as typed errors (issue 8), against dynalite: what the local DynamoDB
 * stand-in returns with a failed condition, and the store's ConditionFailed that carries the item
 * the condition met.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, startDynamo } from '../../infra/local/dynamodb.js';
import { ConditionFailed, putUnlessOlder, writeIf, type TableRef } from '../../shared/store/table.js';

let table: TableRef;
let close: () => Promise<void>;
before(async () => {
  const dynamo = await startDynamo();
  await ensureTable(dynamo.client, 'conditions');
  table = { db: dynamo.documentClient, tableName: 'conditions' };
  close = () => dynamo.close();
});
after(() => close());

describe('dynalite and ReturnValuesOnConditionCheckFailure', () => {
  // DynamoDB returns the item with a failed condition when asked (ALL_OLD, what Powertools'
  // idempotency layer uses). dynalite 4 accepts the parameter and returns nothing, so the store
  // reads the item again instead (docs/architecture.md "Conditional writes"). When this test
  // fails, dynalite has learnt it: the re-read in writeIf can go.
  test('a failed Put and a failed Update asked for ALL_OLD carry no item in dynalite', async () => {
    const key = { pk: 'RV', sk: 'ONE' };
    await table.db.send(new PutCommand({ TableName: table.tableName, Item: { ...key, v: 1 } }));
    const put = await table.db
      .send(
        new PutCommand({
          TableName: table.tableName,
          Item: { ...key, v: 2 },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.equal((put as Error).name, 'ConditionalCheckFailedException');
    assert.equal((put as { Item?: unknown }).Item, undefined);

    const update = await table.db
      .send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: key,
          UpdateExpression: 'SET v = :v',
          ConditionExpression: 'v = :expected',
          ExpressionAttributeValues: { ':v': 3, ':expected': 9 },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      )
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    assert.equal((update as Error).name, 'ConditionalCheckFailedException');
    assert.equal((update as { Item?: unknown }).Item, undefined);
  });
});

describe('writeIf', () => {
  test('a write whose condition holds is written; the next one meets it and carries it', async () => {
    const key = { pk: 'W', sk: 'NEW' };
    await writeIf(
      table,
      key,
      new PutCommand({
        TableName: table.tableName,
        Item: { ...key, owner: 'a' },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await assert.rejects(
      writeIf<{ owner: string }>(
        table,
        key,
        new PutCommand({
          TableName: table.tableName,
          Item: { ...key, owner: 'b' },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      (error: unknown) => error instanceof ConditionFailed && error.existing?.owner === 'a',
    );
  });

  test('a failed condition is ConditionFailed carrying the item as it is; none: existing is undefined', async () => {
    const key = { pk: 'W', sk: 'MISSING' };
    const failed = await writeIf(
      table,
      key,
      new UpdateCommand({
        TableName: table.tableName,
        Key: key,
        UpdateExpression: 'SET #o = :o',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#o': 'owner' },
        ExpressionAttributeValues: { ':o': 'c' },
      }),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(failed instanceof ConditionFailed);
    assert.equal(failed.existing, undefined);
  });

  test('any other error passes through unchanged', async () => {
    await assert.rejects(
      writeIf(
        table,
        { pk: 'W', sk: 'BAD' },
        new UpdateCommand({
          TableName: table.tableName,
          Key: { pk: 'W', sk: 'BAD' },
          UpdateExpression: 'SET #x = :v',
          ExpressionAttributeValues: { ':v': 1 },
        }),
      ),
      (error: unknown) => error instanceof Error && !(error instanceof ConditionFailed),
    );
  });
});

describe('putUnlessOlder', () => {
  test('an older fact handled after a newer one is not written; the same time or newer is', async () => {
    const key = { pk: 'P', sk: 'FACT' };
    assert.equal(await putUnlessOlder(table, { ...key, at: '2026-01-01T00:00:02.000Z', v: 'newer' }), true);
    assert.equal(await putUnlessOlder(table, { ...key, at: '2026-01-01T00:00:01.000Z', v: 'older' }), false);
    const kept = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key }));
    assert.equal(kept.Item?.v, 'newer');
    assert.equal(await putUnlessOlder(table, { ...key, at: '2026-01-01T00:00:02.000Z', v: 'again' }), true);
    const again = await table.db.send(new GetCommand({ TableName: table.tableName, Key: key }));
    assert.equal(again.Item?.v, 'again');
  });
});
