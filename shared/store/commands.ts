/**
 * The command path's items (shared/calls): commands, each station's queue of unfinished commands,
 * the "due" index the sweep reads, idempotency keys, requestId pointers, and the outstanding-call
 * lock on the station item. No transactions (dynalite has none): one conditional write per fact,
 * written in an order where a crash between two writes leaves something the sweep repairs.
 *
 * | item                      | pk                          | sk                  | gsi1pk / gsi1sk                       |
 * |---------------------------|-----------------------------|---------------------|---------------------------------------|
 * | command                   | CMD#{id}                    | CMD                 | CMDS#{stationId} / {createdAt}#{id}   |
 * | queue entry (unfinished)  | CMDQ#{stationId}            | {createdAt}#{id}    | CMDDUE / {dueAt}#{stationId}#{id}     |
 * | idempotency key (TTL)     | IDEMP#{stationId}#{key}     | IDEMP               |                                       |
 * | requestId pointer (TTL)   | REQ#{stationId}#{requestId} | REQ                 |                                       |
 * | latest 1.6 command (TTL)  | REQ#{stationId}#{action}    | REQ                 |                                       |
 * | outstanding-call lock     | STATION#{id}                | STATION (attribute `outstandingCall`) |                     |
 *
 * The queue entry exists from submit until the command is final; its order (createdAt, then id)
 * is the station's FIFO. `dueAt` is when the sweep must look at it: the queue deadline while
 * queued, the call deadline once sent, sooner for a retry. CMDDUE is one partition for the whole
 * system (a hot key): it holds only unfinished commands, written about twice per command, which
 * is fine for thousands of stations; shard it (CMDDUE#{n}) before it is not.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GSI1, keys } from './keys.js';
import {
  batchGetInOrder,
  ConditionFailed,
  decodeCursor,
  encodeCursor,
  epochSeconds,
  isConditionalCheckFailed,
  isExpired,
  type ItemKey,
  type TableRef,
  writeIf,
} from './table.js';

export * from './command-item.js';
import type {
  Command,
  CommandItem,
  CommandResult,
  CommandStatus,
  OutstandingCall,
  QueueEntry,
} from './command-item.js';

const commandKey = (id: string) => ({ pk: `CMD#${id}`, sk: 'CMD' });
const queuePk = (stationId: string) => `CMDQ#${stationId}`;
const queueKey = (stationId: string, createdAt: string, id: string) => ({
  pk: queuePk(stationId),
  sk: `${createdAt}#${id}`,
});
const DUE = 'CMDDUE';
const dueSk = (dueAt: string, stationId: string, id: string) => `${dueAt}#${stationId}#${id}`;
const idempotencyKey = (stationId: string, key: string) => ({ pk: `IDEMP#${stationId}#${key}`, sk: 'IDEMP' });
const refKey = (stationId: string, ref: string | number) => ({ pk: `REQ#${stationId}#${ref}`, sk: 'REQ' });

export class CommandStore {
  constructor(private readonly t: TableRef) {}

  // ---- commands ------------------------------------------------------------------------------

  async put(item: CommandItem): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...commandKey(item.id),
          ...item,
          gsi1pk: `CMDS#${item.stationId}`,
          gsi1sk: `${item.createdAt}#${item.id}`,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<CommandItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: commandKey(id), ConsistentRead: true }),
    );
    return out.Item as CommandItem | undefined;
  }

  /** Removes a command that never entered the queue (a lost idempotency race). */
  async delete(id: string): Promise<void> {
    await this.t.db.send(new DeleteCommand({ TableName: this.t.tableName, Key: commandKey(id) }));
  }

  /** A station's commands, newest first. */
  async listForStation(
    stationId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: CommandItem[]; nextCursor: string | null }> {
    const page = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': `CMDS#${stationId}` },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    const items = await batchGetInOrder<CommandItem>(this.t, (page.Items ?? []) as ItemKey[]);
    return { items, nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  /** queued → sent; false when the command is no longer queued (timed out meanwhile). */
  async markSent(id: string, call: OutstandingCall): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: commandKey(id),
        UpdateExpression: 'SET #status = :sent, messageId = :mid, sentAt = :at, connectionId = :cid',
        ConditionExpression: '#status = :queued',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':queued': 'queued',
          ':mid': call.messageId,
          ':at': call.sentAt,
          ':cid': call.connectionId,
        },
      }),
    );
  }

  /** sent → queued (the CALL did not reach the station, or will be sent again on a new connection). */
  async requeue(id: string, messageId: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: commandKey(id),
        UpdateExpression: 'SET #status = :queued REMOVE messageId, sentAt, connectionId',
        ConditionExpression: '#status = :sent AND messageId = :mid',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sent': 'sent', ':queued': 'queued', ':mid': messageId },
      }),
    );
  }

  /**
   * Makes the command final, only from the state the caller saw (`from`): whoever finalizes first
   * wins (a response and the sweep may race). Returns the final item, or undefined when it lost.
   */
  async finalize(
    id: string,
    from: { readonly status: 'queued' } | { readonly status: 'sent'; readonly messageId: string },
    outcome: {
      readonly status: Exclude<CommandStatus, 'queued' | 'sent'>;
      readonly completedAt: string;
      readonly response?: Record<string, unknown>;
      readonly error?: Command['error'];
    },
  ): Promise<CommandItem | undefined> {
    const values: Record<string, unknown> = {
      ':status': outcome.status,
      ':at': outcome.completedAt,
      ':from': from.status,
    };
    const sets = ['#status = :status', 'completedAt = :at'];
    if (outcome.response !== undefined) {
      sets.push('#response = :response');
      values[':response'] = outcome.response;
    }
    if (outcome.error !== undefined) {
      sets.push('#error = :error');
      values[':error'] = outcome.error;
    }
    let condition = '#status = :from';
    if (from.status === 'sent') {
      condition += ' AND messageId = :mid';
      values[':mid'] = from.messageId;
    }
    try {
      const out = await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: commandKey(id),
          // Accepted, the hash became the station's; refused, it is of no use: it goes either way.
          UpdateExpression: `SET ${sets.join(', ')} REMOVE pendingPasswordHash`,
          ConditionExpression: condition,
          ExpressionAttributeNames: {
            '#status': 'status',
            ...(outcome.response !== undefined ? { '#response': 'response' } : {}),
            ...(outcome.error !== undefined ? { '#error': 'error' } : {}),
          },
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as CommandItem;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  /**
   * Appends a result (a station message tied back by requestId) unless one with the same key was
   * appended already; keeps the first `max` results and counts all of them in resultCount.
   */
  async appendResult(id: string, key: string, result: CommandResult, max: number): Promise<boolean> {
    const base = {
      TableName: this.t.tableName,
      Key: commandKey(id),
      ExpressionAttributeValues: {
        ':key': key,
        ':keys': new Set([key]),
        ':one': 1,
        ':zero': 0,
      } as Record<string, unknown>,
    };
    const notSeen =
      'attribute_exists(pk) AND (attribute_not_exists(resultKeys) OR NOT contains(resultKeys, :key))';
    const count = 'resultCount = if_not_exists(resultCount, :zero) + :one';
    try {
      await this.t.db.send(
        new UpdateCommand({
          ...base,
          UpdateExpression: `SET results = list_append(if_not_exists(results, :empty), :result), ${count} ADD resultKeys :keys`,
          ConditionExpression: `${notSeen} AND (attribute_not_exists(results) OR size(results) < :max)`,
          ExpressionAttributeValues: {
            ...base.ExpressionAttributeValues,
            ':empty': [],
            ':result': [result],
            ':max': max,
          },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    // Full (or seen, or no such command): count it without keeping it.
    return this.conditional(
      new UpdateCommand({
        ...base,
        UpdateExpression: `SET ${count} ADD resultKeys :keys`,
        ConditionExpression: notSeen,
      }),
    );
  }

  // ---- the queue -----------------------------------------------------------------------------

  async enqueue(entry: {
    stationId: string;
    commandId: string;
    createdAt: string;
    dueAt: string;
  }): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...queueKey(entry.stationId, entry.createdAt, entry.commandId),
          stationId: entry.stationId,
          commandId: entry.commandId,
          dueAt: entry.dueAt,
          gsi1pk: DUE,
          gsi1sk: dueSk(entry.dueAt, entry.stationId, entry.commandId),
        },
      }),
    );
  }

  /** The station's unfinished commands, oldest first (strongly consistent). */
  async queue(stationId: string, limit: number): Promise<QueueEntry[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': queuePk(stationId) },
        ConsistentRead: true,
        Limit: limit,
      }),
    );
    return (out.Items ?? []) as QueueEntry[];
  }

  async queueEntry(stationId: string, createdAt: string, commandId: string): Promise<QueueEntry | undefined> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: queueKey(stationId, createdAt, commandId),
        ConsistentRead: true,
      }),
    );
    return out.Item as QueueEntry | undefined;
  }

  /**
   * When the sweep must look at this entry next (only if it is still there, and, given
   * `expected`, only if nobody changed its due time since it was read).
   */
  async setDue(
    entry: Pick<QueueEntry, 'pk' | 'sk' | 'stationId' | 'commandId'>,
    dueAt: string,
    expected?: string,
  ): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: { pk: entry.pk, sk: entry.sk },
        UpdateExpression: 'SET dueAt = :due, gsi1sk = :sk',
        ConditionExpression: expected === undefined ? 'attribute_exists(pk)' : 'dueAt = :expected',
        ExpressionAttributeValues: {
          ':due': dueAt,
          ':sk': dueSk(dueAt, entry.stationId, entry.commandId),
          ...(expected === undefined ? {} : { ':expected': expected }),
        },
      }),
    );
  }

  async dequeue(entry: Pick<QueueEntry, 'pk' | 'sk'>): Promise<void> {
    await this.t.db.send(
      new DeleteCommand({ TableName: this.t.tableName, Key: { pk: entry.pk, sk: entry.sk } }),
    );
  }

  /** Queue entries due at or before `now`, oldest due first (the index holds keys only). */
  async due(now: Date, limit: number): Promise<ItemKey[]> {
    const found: ItemKey[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.t.db.send(
        new QueryCommand({
          TableName: this.t.tableName,
          IndexName: GSI1,
          KeyConditionExpression: 'gsi1pk = :due AND gsi1sk < :bound',
          // '$' sorts right after '#': every entry due at this very millisecond is included.
          ExpressionAttributeValues: { ':due': DUE, ':bound': `${now.toISOString()}$` },
          Limit: limit - found.length,
          ExclusiveStartKey: start,
        }),
      );
      found.push(...((out.Items ?? []) as ItemKey[]).map(({ pk, sk }) => ({ pk, sk })));
      start = out.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }

  async entry(key: ItemKey): Promise<QueueEntry | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: key, ConsistentRead: true }),
    );
    return out.Item as QueueEntry | undefined;
  }

  // ---- the outstanding-call lock (on the station item) ---------------------------------------

  /**
   * Takes the station's one outstanding-call slot for `call`, only if it is free and the station is
   * still on `call.connectionId`. False: another CALL is outstanding (or the station moved on).
   */
  async acquireLock(stationId: string, call: OutstandingCall): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: keys.station(stationId),
        UpdateExpression: 'SET outstandingCall = :call',
        ConditionExpression:
          'attribute_exists(pk) AND attribute_not_exists(outstandingCall) AND connectionId = :cid',
        ExpressionAttributeValues: { ':call': call, ':cid': call.connectionId },
      }),
    );
  }

  /** Frees the slot if it still holds the CALL `messageId`. */
  async releaseLock(stationId: string, messageId: string): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: keys.station(stationId),
        UpdateExpression: 'REMOVE outstandingCall',
        ConditionExpression: 'outstandingCall.messageId = :mid',
        ExpressionAttributeValues: { ':mid': messageId },
      }),
    );
  }

  // ---- idempotency keys and requestId pointers -------------------------------------------------

  /**
   * Claims `key` for `commandId`, remembering the request's `fingerprint`. Returns undefined when
   * claimed, or the command that claimed it first and its request's fingerprint (keys expire after
   * `ttlSeconds`; keys stored before fingerprints were kept have none).
   */
  async claimIdempotencyKey(
    stationId: string,
    key: string,
    claim: { readonly commandId: string; readonly fingerprint: string },
    now: Date,
    ttlSeconds: number,
  ): Promise<{ commandId: string; fingerprint?: string } | undefined> {
    type Claimed = { commandId?: string; fingerprint?: string };
    let item: Claimed | undefined;
    try {
      await writeIf<Claimed>(
        this.t,
        idempotencyKey(stationId, key),
        new PutCommand({
          TableName: this.t.tableName,
          Item: {
            ...idempotencyKey(stationId, key),
            commandId: claim.commandId,
            fingerprint: claim.fingerprint,
            expiresAt: epochSeconds(now) + ttlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
          ExpressionAttributeValues: { ':now': epochSeconds(now) },
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      item = (error as ConditionFailed<Claimed>).existing;
    }
    if (item?.commandId === undefined) return undefined;
    return item.fingerprint === undefined
      ? { commandId: item.commandId }
      : { commandId: item.commandId, fingerprint: item.fingerprint };
  }

  /** Points `ref` (a requestId, or an action name for the latest 1.6 command) at a command. */
  async putRef(
    stationId: string,
    ref: string | number,
    commandId: string,
    now: Date,
    ttlSeconds: number,
  ): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { ...refKey(stationId, ref), commandId, expiresAt: epochSeconds(now) + ttlSeconds },
      }),
    );
  }

  async getRef(stationId: string, ref: string | number, now: Date): Promise<string | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: refKey(stationId, ref) }),
    );
    const item = out.Item as { commandId: string; expiresAt?: number } | undefined;
    return item && !isExpired(item, now) ? item.commandId : undefined;
  }

  private async conditional(command: UpdateCommand | PutCommand | DeleteCommand): Promise<boolean> {
    try {
      await this.t.db.send(command as UpdateCommand);
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}

/** The queue entry key of a command (its FIFO position). */
export function queueKeyOf(command: Pick<Command, 'stationId' | 'createdAt' | 'id'>): {
  pk: string;
  sk: string;
} {
  return queueKey(command.stationId, command.createdAt, command.id);
}
