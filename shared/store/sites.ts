/**
 * Sites (load management, functions/sites): the site, the claim that ties a station to its one
 * site, the site's current allocation, and the lease that serializes its recomputes
 * (docs/adr/0013-site-load-management.md).
 *
 * | item                      | pk                    | sk          | gsi1pk / gsi1sk |
 * |---------------------------|-----------------------|-------------|-----------------|
 * | site                      | SITE#{id}             | SITE        | SITES / {id}    |
 * | allocation (last applied) | SITE#{id}             | ALLOCATION  |                 |
 * | recompute lease           | SITE#{id}             | LEASE       |                 |
 * | station claim             | SITESTATION#{station} | SITE        |                 |
 *
 * A station is in at most one site: its claim is put with a condition (absent, or the same site),
 * so two sites claiming one station at once cannot both win. dynalite has no transactions: a
 * site write that loses a claim gives back the claims it took.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateUnit, ShareReason } from '../domain/allocation.js';
import type { Site } from '../domain/sites.js';
import { GSI1 } from './keys.js';
import { batchGetInOrder, deleteOwned, isConditionalCheckFailed, queryAll, type TableRef } from './table.js';

const siteKey = (id: string) => ({ pk: `SITE#${id}`, sk: 'SITE' });
const allocationKey = (id: string) => ({ pk: `SITE#${id}`, sk: 'ALLOCATION' });
const leaseKey = (id: string) => ({ pk: `SITE#${id}`, sk: 'LEASE' });
const claimKey = (stationId: string) => ({ pk: `SITESTATION#${stationId}`, sk: 'SITE' });
const SITES = 'SITES';

/** Where the TxProfile of an EVSE stands. */
export type ProfileState = 'pending' | 'applied' | 'rejected' | 'none';

/** One active EVSE of a site's allocation. */
export interface EvseAllocation {
  readonly stationId: string;
  readonly evseId: number;
  readonly transactionId: string;
  readonly value: number;
  readonly reason: ShareReason;
  readonly minimum: number;
  readonly priority: number;
  /** The last SetChargingProfile sent for this value (GET /v1/commands/{id}). */
  readonly commandId?: string | undefined;
  /** Sends of this value so far (1, or 2 after the one retry). */
  readonly attempts: number;
  readonly profileState: ProfileState;
  /** Why the station did not apply it (its status or error code), once given up. */
  readonly profileError?: string | undefined;
}

export interface SiteAllocation {
  readonly siteId: string;
  /** The limit the shares were computed for (the schedule's window value inside one). */
  readonly limit: number;
  readonly unit: RateUnit;
  readonly phases?: number | undefined;
  /** `HH:MM-HH:MM` of the schedule window in force, if any. */
  readonly window?: string | undefined;
  readonly evses: readonly EvseAllocation[];
  readonly computedAt: string;
}

export class SiteConflictError extends Error {
  constructor(
    readonly stationId: string,
    readonly otherSiteId: string,
  ) {
    super(`Station ${stationId} is already in site ${otherSiteId}`);
    this.name = 'SiteConflictError';
  }
}

export class SiteExistsError extends Error {
  constructor(readonly siteId: string) {
    super(`Site ${siteId} already exists`);
    this.name = 'SiteExistsError';
  }
}

/** The site changed since it was read (a concurrent PATCH): read it again. */
export class SiteChangedError extends Error {
  constructor(readonly siteId: string) {
    super(`Site ${siteId} was changed meanwhile; try again`);
    this.name = 'SiteChangedError';
  }
}

type StoredSite = Site & { pk: string; sk: string; gsi1pk: string; gsi1sk: string };

const strip = ({ pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...site }: StoredSite): Site => site;

export class SiteStore {
  constructor(private readonly t: TableRef) {}

  async get(id: string): Promise<Site | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: siteKey(id), ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item as StoredSite) : undefined;
  }

  /** Every site, by id (one Query of the index, then the items). */
  async list(): Promise<Site[]> {
    const refs = await queryAll(this.t, {
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': SITES },
    });
    const items = await batchGetInOrder<StoredSite>(
      this.t,
      refs.map((r) => ({ pk: String(r.pk), sk: String(r.sk) })),
    );
    return items.map(strip);
  }

  /** The site a station is in. */
  async siteOf(stationId: string): Promise<string | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: claimKey(stationId) }),
    );
    return out.Item?.siteId as string | undefined;
  }

  /** Creates the site and claims its stations; 409-worthy errors leave nothing behind. */
  async create(site: Site): Promise<void> {
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { ...siteKey(site.id), gsi1pk: SITES, gsi1sk: site.id, ...site },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new SiteExistsError(site.id);
      throw error;
    }
    try {
      await this.#claimAll(site.id, site.stationIds);
    } catch (error) {
      await this.t.db.send(new DeleteCommand({ TableName: this.t.tableName, Key: siteKey(site.id) }));
      throw error;
    }
  }

  /**
   * Replaces the site (conditional on the `updatedAt` it was read with): claims the stations
   * added, then gives back those removed.
   */
  async update(before: Site, after: Site): Promise<void> {
    const added = after.stationIds.filter((s) => !before.stationIds.includes(s));
    const removed = before.stationIds.filter((s) => !after.stationIds.includes(s));
    await this.#claimAll(after.id, added);
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { ...siteKey(after.id), gsi1pk: SITES, gsi1sk: after.id, ...after },
          ConditionExpression: 'updatedAt = :read',
          ExpressionAttributeValues: { ':read': before.updatedAt },
        }),
      );
    } catch (error) {
      await this.#releaseAll(after.id, added);
      if (isConditionalCheckFailed(error)) throw new SiteChangedError(after.id);
      throw error;
    }
    await this.#releaseAll(after.id, removed);
  }

  async delete(site: Site): Promise<void> {
    await this.t.db.send(new DeleteCommand({ TableName: this.t.tableName, Key: siteKey(site.id) }));
    await this.#releaseAll(site.id, site.stationIds);
    await this.t.db.send(new DeleteCommand({ TableName: this.t.tableName, Key: allocationKey(site.id) }));
    await this.t.db.send(new DeleteCommand({ TableName: this.t.tableName, Key: leaseKey(site.id) }));
  }

  async #claimAll(siteId: string, stationIds: readonly string[]): Promise<void> {
    const taken: string[] = [];
    for (const stationId of stationIds) {
      try {
        await this.t.db.send(
          new PutCommand({
            TableName: this.t.tableName,
            Item: { ...claimKey(stationId), siteId, stationId },
            ConditionExpression: 'attribute_not_exists(pk) OR siteId = :site',
            ExpressionAttributeValues: { ':site': siteId },
          }),
        );
        taken.push(stationId);
      } catch (error) {
        await this.#releaseAll(siteId, taken);
        if (isConditionalCheckFailed(error)) {
          throw new SiteConflictError(stationId, (await this.siteOf(stationId)) ?? 'another site');
        }
        throw error;
      }
    }
  }

  async #releaseAll(siteId: string, stationIds: readonly string[]): Promise<void> {
    // Another site's claim is not ours to give back.
    await deleteOwned(this.t, stationIds.map(claimKey), 'siteId', siteId);
  }

  // ---- allocation ------------------------------------------------------------------------------

  async allocation(siteId: string): Promise<SiteAllocation | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: allocationKey(siteId), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, ...allocation } = out.Item;
    return allocation as SiteAllocation;
  }

  /** Written only by the holder of the site's lease. */
  async putAllocation(allocation: SiteAllocation): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { ...allocationKey(allocation.siteId), ...allocation },
      }),
    );
  }

  /**
   * What limit the EVSE has now (the site's allocation): for schedules that must stay within
   * the site limit (EV charging needs, K15). Undefined when the station is in no site or the EVSE
   * has no active share.
   */
  async allocatedLimit(
    stationId: string,
    evseId: number,
  ): Promise<{ value: number; unit: RateUnit; phases?: number } | undefined> {
    const siteId = await this.siteOf(stationId);
    if (siteId === undefined) return undefined;
    const allocation = await this.allocation(siteId);
    const evse = allocation?.evses.find((e) => e.stationId === stationId && e.evseId === evseId);
    if (!allocation || !evse) return undefined;
    return {
      value: evse.value,
      unit: allocation.unit,
      ...(allocation.phases !== undefined ? { phases: allocation.phases } : {}),
    };
  }

  // ---- the recompute lease ---------------------------------------------------------------------

  /** Takes the site's lease unless a live holder has it. */
  async acquireLease(siteId: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: leaseKey(siteId),
          UpdateExpression: 'SET holder = :h, leaseUntil = :until, dirty = :no',
          ConditionExpression: 'attribute_not_exists(holder) OR leaseUntil < :now',
          ExpressionAttributeValues: {
            ':h': holder,
            ':until': now.getTime() + ttlMs,
            ':no': false,
            ':now': now.getTime(),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Asks the live holder to recompute once more; false when there is no live holder any more. */
  async markDirty(siteId: string, now: Date): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: leaseKey(siteId),
          UpdateExpression: 'SET dirty = :yes',
          ConditionExpression: 'attribute_exists(holder) AND leaseUntil >= :now',
          ExpressionAttributeValues: { ':yes': true, ':now': now.getTime() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /**
   * Gives the lease back unless someone asked for another recompute meanwhile: then clears the
   * request, keeps the lease (extended) and returns false (run again).
   */
  async releaseLease(siteId: string, holder: string, now: Date, ttlMs: number): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: leaseKey(siteId),
          UpdateExpression: 'REMOVE holder, leaseUntil, dirty',
          ConditionExpression: 'holder = :h AND dirty = :no',
          ExpressionAttributeValues: { ':h': holder, ':no': false },
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: leaseKey(siteId),
          UpdateExpression: 'SET dirty = :no, leaseUntil = :until',
          ConditionExpression: 'holder = :h',
          ExpressionAttributeValues: { ':h': holder, ':no': false, ':until': now.getTime() + ttlMs },
        }),
      );
      return false; // asked again while we worked
    } catch (error) {
      if (isConditionalCheckFailed(error)) return true; // the lease expired and was taken: not ours
      throw error;
    }
  }
}
