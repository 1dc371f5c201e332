/**
 * What stations report about smart charging (2.0.1 K11-K17, 2.1 K21-K22 / K28): external charging
 * limits per EVSE (NotifyChargingLimit, removed by ClearedChargingLimit), the EV's charging needs
 * per transaction (NotifyEVChargingNeeds) with the schedule the CSMS answered them with and the
 * EV's own schedule (NotifyEVChargingSchedule), and 2.1 priority charging per transaction.
 *
 * | item                 | pk              | sk                              |
 * |----------------------|-----------------|---------------------------------|
 * | external limit       | SMART#{id}      | LIMIT#{evse:4}#{source}         |
 * | EV charging needs    | SMART#{id}      | NEEDS#{transactionId}           | (NEEDS#-{evse:4} without one; 90 days)
 * | priority charging    | SMART#{id}      | PRIORITY#{transactionId}        |
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { pad } from './keys.js';
import { epochSeconds, isExpired, queryAll, type TableRef } from './table.js';

/** How long EV charging needs are kept (the TTL of their items). */
export const NEEDS_RETENTION_DAYS = 90;

export interface ChargingLimitItem {
  /** 0: the whole station (or grid connection). */
  readonly evseId: number;
  /** chargingLimitSource: EMS, SO, Other (2.1: any string); never CSO (K11.FR.05). */
  readonly source: string;
  readonly isGridCritical?: boolean;
  readonly isLocalGeneration?: boolean;
  /** The limit schedules as reported (K11.FR.03, when the station sends them). */
  readonly schedules?: readonly Record<string, unknown>[];
  readonly at: string;
}

/** A TxProfile the CSMS computed for an EV's needs, as sent (for the K15.FR.11 check). */
export interface SentSchedule {
  readonly profileId: number;
  readonly startSchedule: string;
  readonly unit: 'A' | 'W';
  readonly durationSeconds?: number;
  readonly periods: readonly {
    readonly startPeriod: number;
    readonly limit: number;
    readonly numberPhases?: number;
  }[];
  /** The SetChargingProfile payload, to send again for a renegotiation (K15.FR.13). */
  readonly payload: Record<string, unknown>;
}

export interface EvChargingNeedsItem {
  readonly evseId: number;
  readonly transactionId?: string;
  /** ChargingNeedsType as the station sent it (without customData). */
  readonly needs: Record<string, unknown>;
  readonly maxScheduleTuples?: number;
  /** What the CSMS answered (K15.FR.03-05). */
  readonly status: 'Accepted' | 'Processing' | 'Rejected';
  readonly reason?: string;
  readonly sent?: SentSchedule;
  /** The EV's schedule (NotifyEVChargingSchedule) and whether it stayed within `sent`. */
  readonly evSchedule?: Record<string, unknown>;
  readonly evScheduleStatus?: 'Accepted' | 'Rejected';
  readonly at: string;
}

export interface PriorityChargingItem {
  readonly transactionId: string;
  readonly activated: boolean;
  readonly at: string;
}

const pk = (stationId: string) => `SMART#${stationId}`;
const limitSk = (evseId: number, source: string) => `LIMIT#${pad(evseId, 4)}#${source}`;
const needsSk = (item: { evseId: number; transactionId?: string }) =>
  `NEEDS#${item.transactionId ?? `-${pad(item.evseId, 4)}`}`;

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _e, ...rest } = item;
  return rest as T;
}

export class SmartChargingStore {
  constructor(private readonly t: TableRef) {}

  async putLimit(stationId: string, item: ChargingLimitItem): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { pk: pk(stationId), sk: limitSk(item.evseId, item.source), ...item },
      }),
    );
  }

  /** K13: the limits of `source` on `evseId` (every EVSE when undefined) are gone; returns them. */
  async clearLimits(stationId: string, source: string, evseId?: number): Promise<ChargingLimitItem[]> {
    const gone = (await this.limits(stationId)).filter(
      (l) => l.source === source && (evseId === undefined || l.evseId === evseId),
    );
    for (const l of gone) {
      await this.t.db.send(
        new DeleteCommand({
          TableName: this.t.tableName,
          Key: { pk: pk(stationId), sk: limitSk(l.evseId, l.source) },
        }),
      );
    }
    return gone;
  }

  async limits(stationId: string): Promise<ChargingLimitItem[]> {
    const items = await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk(stationId), ':p': 'LIMIT#' },
    });
    return items.map((i) => strip<ChargingLimitItem>(i));
  }

  /** One item per transaction (the latest needs of it); needs without a transaction, per EVSE. */
  async putNeeds(stationId: string, item: EvChargingNeedsItem): Promise<void> {
    const expiresAt = epochSeconds(new Date(Date.parse(item.at) + NEEDS_RETENTION_DAYS * 86_400_000));
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { pk: pk(stationId), sk: needsSk(item), ...item, expiresAt },
      }),
    );
  }

  async needsOf(
    stationId: string,
    transactionId: string,
    now: Date,
  ): Promise<EvChargingNeedsItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: { pk: pk(stationId), sk: needsSk({ evseId: 0, transactionId }) },
        ConsistentRead: true,
      }),
    );
    return out.Item && !isExpired(out.Item, now) ? strip<EvChargingNeedsItem>(out.Item) : undefined;
  }

  /** Every transaction's needs still kept, newest first. */
  async allNeeds(stationId: string, now: Date): Promise<EvChargingNeedsItem[]> {
    const items = await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk(stationId), ':p': 'NEEDS#' },
    });
    return items
      .filter((i) => !isExpired(i, now))
      .map((i) => strip<EvChargingNeedsItem>(i))
      .sort((a, b) => b.at.localeCompare(a.at));
  }

  async putPriority(stationId: string, item: PriorityChargingItem): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { pk: pk(stationId), sk: `PRIORITY#${item.transactionId}`, ...item },
      }),
    );
  }
}
