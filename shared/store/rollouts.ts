/**
 * Firmware rollouts (shared/domain/rollouts.ts) in the one table. Access patterns:
 *
 * | item                          | pk                   | sk                           | gsi1pk / gsi1sk            |
 * |-------------------------------|----------------------|------------------------------|----------------------------|
 * | rollout (state, waves, policy)| ROLLOUT#{id}         | ROLLOUT                      | ROLLOUTS / {createdAt}#{id}|
 * | a station of the rollout      | ROLLOUT#{id}         | ST#{wave+1:5}#{stationId}    |                            |
 * | station claim (one rollout)   | ROLLOUTCLAIM#{sid}   | CLAIM                        |                            |
 *
 * The rollout view is one Query of its partition; a wave's stations are one Query on their
 * prefix (the state machine polls a wave with it); the list is the gsi1 index, newest last. A
 * station belongs to at most one active rollout through its claim item, written with a condition
 * (no transactions: claims taken before a refusal are given back).
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  ACTIVE_STATES,
  type Rollout,
  type RolloutState,
  type RolloutStation,
  type Wave,
} from '../domain/rollouts.js';
import { batchPut } from './batch.js';
import { GSI1, pad } from './keys.js';
import {
  batchGetInOrder,
  ConditionFailed,
  decodeCursor,
  encodeCursor,
  deleteOwned,
  isConditionalCheckFailed,
  queryAll,
  type TableRef,
  writeIf,
} from './table.js';

const LIST = 'ROLLOUTS';
const rolloutKey = (id: string) => ({ pk: `ROLLOUT#${id}`, sk: 'ROLLOUT' });
const stationSk = (wave: number, stationId: string) => `ST#${pad(wave + 1, 5)}#${stationId}`;
const wavePrefix = (wave: number) => `ST#${pad(wave + 1, 5)}#`;
const claimKey = (stationId: string) => ({ pk: `ROLLOUTCLAIM#${stationId}`, sk: 'CLAIM' });

/** A station already held by another active rollout. */
export interface ClaimConflict {
  readonly stationId: string;
  readonly rolloutId: string;
}

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, ...rest } = item;
  return rest as T;
}

export class RolloutStore {
  constructor(private readonly t: TableRef) {}

  async get(id: string): Promise<Rollout | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: rolloutKey(id), ConsistentRead: true }),
    );
    return strip<Rollout>(out.Item);
  }

  /** Stores a new rollout and its stations (claims are taken before, with claim()). */
  async create(rollout: Rollout, stations: readonly RolloutStation[]): Promise<void> {
    await batchPut(
      this.t,
      stations.map((s) => ({ pk: rolloutKey(rollout.id).pk, sk: stationSk(s.wave, s.stationId), ...s })),
    );
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...rolloutKey(rollout.id),
          gsi1pk: LIST,
          gsi1sk: `${rollout.createdAt}#${rollout.id}`,
          ...rollout,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /**
   * Claims every station for `rolloutId`. A claim held by a rollout that is no longer active (or
   * was never stored: a refused or crashed create) is taken over. On the first station held by an
   * active rollout, the claims taken here are given back and the conflict returned.
   */
  async claim(stationIds: readonly string[], rolloutId: string): Promise<ClaimConflict | undefined> {
    const taken: string[] = [];
    for (const stationId of stationIds) {
      const conflict = await this.claimOne(stationId, rolloutId);
      if (conflict) {
        await this.release(taken, rolloutId);
        return conflict;
      }
      taken.push(stationId);
    }
    return undefined;
  }

  private async claimOne(stationId: string, rolloutId: string): Promise<ClaimConflict | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: claimKey(stationId), ConsistentRead: true }),
    );
    let holder = out.Item?.rolloutId as string | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (holder !== undefined && holder !== rolloutId) {
        const other = await this.get(holder);
        if (other && ACTIVE_STATES.includes(other.state)) return { stationId, rolloutId: holder };
      }
      try {
        await writeIf(
          this.t,
          claimKey(stationId),
          new PutCommand({
            TableName: this.t.tableName,
            Item: { ...claimKey(stationId), rolloutId },
            ...(holder === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'rolloutId = :old', ExpressionAttributeValues: { ':old': holder } }),
          }),
        );
        return undefined;
      } catch (error) {
        // Another claim raced us: the failure carries the claim as it is now.
        if (!(error instanceof ConditionFailed)) throw error;
        holder = (error as ConditionFailed<{ rolloutId?: string }>).existing?.rolloutId;
      }
    }
    return { stationId, rolloutId: holder ?? 'unknown' };
  }

  /** Gives back the claims `rolloutId` holds on these stations (others' claims are left alone). */
  async release(stationIds: readonly string[], rolloutId: string): Promise<void> {
    await deleteOwned(this.t, stationIds.map(claimKey), 'rolloutId', rolloutId);
  }

  /** The stations of a rollout, by wave (those already on the version first). */
  async stations(id: string, wave?: number): Promise<RolloutStation[]> {
    const items = await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: {
        ':pk': rolloutKey(id).pk,
        ':prefix': wave === undefined ? 'ST#' : wavePrefix(wave),
      },
      ConsistentRead: true,
    });
    return items.map((item) => strip<RolloutStation>(item)!);
  }

  async putStation(station: RolloutStation): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: rolloutKey(station.rolloutId).pk,
          sk: stationSk(station.wave, station.stationId),
          ...station,
        },
      }),
    );
  }

  /**
   * Moves the rollout from one of `from` to `to` (and sets `fields`); false when its state (or,
   * with `execution`, its driving execution) is not what the caller saw: someone else moved it.
   */
  async transition(
    id: string,
    from: readonly RolloutState[],
    to: RolloutState,
    now: Date,
    fields: { readonly reason?: string; readonly execution?: string } = {},
    expectedExecution?: string,
  ): Promise<boolean> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':to': to, ':now': now.toISOString() };
    from.forEach((s, i) => (values[`:from${i}`] = s));
    let set = 'SET #state = :to, updatedAt = :now';
    if (fields.reason !== undefined) {
      set += ', reason = :reason';
      values[':reason'] = fields.reason;
    }
    if (fields.execution !== undefined) {
      set += ', execution = :execution';
      values[':execution'] = fields.execution;
    }
    let condition = `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`;
    if (expectedExecution !== undefined) {
      condition += ' AND execution = :expected';
      values[':expected'] = expectedExecution;
    }
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: rolloutKey(id),
          UpdateExpression: set,
          ConditionExpression: `attribute_exists(pk) AND ${condition}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Replaces the waves, only while `execution` drives the rollout; false otherwise. */
  async putWaves(id: string, waves: readonly Wave[], execution: string, now: Date): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: rolloutKey(id),
          UpdateExpression: 'SET waves = :waves, updatedAt = :now',
          ConditionExpression: 'execution = :execution',
          ExpressionAttributeValues: { ':waves': waves, ':now': now.toISOString(), ':execution': execution },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Rollouts, oldest first. */
  async list(limit: number, cursor?: string): Promise<{ items: Rollout[]; nextCursor: string | null }> {
    const page = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :list',
        ExpressionAttributeValues: { ':list': LIST },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    const items = await batchGetInOrder<Record<string, unknown>>(
      this.t,
      (page.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) })),
    );
    return { items: items.map((i) => strip<Rollout>(i)!), nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }

  /** Every rollout in `state` (a walk over the list: for recovery at start, not for requests). */
  async inState(state: RolloutState): Promise<Rollout[]> {
    const found: Rollout[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(100, cursor);
      found.push(...page.items.filter((r) => r.state === state));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return found;
  }
}
