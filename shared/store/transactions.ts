/**
 * Transactions: a summary item per transaction in the station's partition (what lists and the API
 * read), and the transaction's data (2.0.1 events by seqNo, 1.6 meter values) in a partition of
 * its own. Writes are idempotent: replays of the same message write the same items again.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OcppProtocol } from '../ocpp/versions.js';
import type { Sample } from '../domain/meter-values.js';
import type { Anomaly } from '../domain/transactions.js';
import { batchGet, batchPut } from './batch.js';
import { contentDigest, GSI1, keys, LIST } from './keys.js';
import {
  decodeCursor,
  encodeCursor,
  epochSeconds,
  isConditionalCheckFailed,
  type TableRef,
  queryAll,
} from './table.js';

export type TransactionStatus = 'active' | 'ended';

export interface TransactionItem {
  readonly id: string;
  readonly stationId: string;
  readonly protocol: OcppProtocol;
  readonly evseId?: number;
  readonly connectorId?: number;
  readonly idToken?: string;
  readonly idTokenType?: string;
  readonly status: TransactionStatus;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly meterStartWh?: number;
  readonly meterStopWh?: number;
  readonly energyWh?: number;
  /** Timestamps of the readings behind meterStartWh / meterStopWh (2.0.1/2.1: merged when events arrive late). */
  readonly meterStartAt?: string;
  readonly meterStopAt?: string;
  readonly stopReason?: string;
  readonly chargingState?: string;
  /** seqNo of the event that reported chargingState: an older event arriving later does not overwrite it. */
  readonly chargingStateSeqNo?: number;
  /** 2.x: seqNo of the station's Ended; events numbered after it change no totals. */
  readonly endedSeqNo?: number;
  /** Who ended it: the station, or the CSMS that closed it as abandoned (the station's stop may still come). */
  readonly closedBy?: 'station' | 'csms';
  /** Data-quality flags (shared/domain/transactions.ts). */
  readonly anomalies?: Anomaly[];
  readonly updatedAt: string;
}

/** The newest transaction started on an EVSE (a marker, not cleared at the end: the summary tells). */
export interface ActiveTransactionItem {
  readonly transactionId: string;
  readonly connectorId?: number;
  /** The station's start time: an older start replayed late does not take the marker. */
  readonly startedAt: string;
  /** When the CSMS recorded the start (its own clock, comparable with the station's bootedAt). */
  readonly recordedAt: string;
}

/** A stored 2.0.1/2.1 TransactionEvent (the seqNo item doubles as the replay guard). */
export interface TransactionEventItem {
  readonly seqNo: number;
  readonly eventType: 'Started' | 'Updated' | 'Ended';
  readonly timestamp: string;
  readonly triggerReason: string;
  readonly offline: boolean;
  readonly samples: Sample[];
  readonly chargingState?: string;
  readonly stoppedReason?: string;
}

/** A 1.6 StartTransaction already answered, so a retry gets the same transaction id. */
export interface StartReplayItem {
  readonly transactionId: number;
}

export interface TransactionListQuery {
  readonly stationId?: string;
  readonly status?: TransactionStatus;
  readonly limit: number;
  readonly cursor?: string;
}

/** Replay guards and meter data are kept a year; the summary is kept. */
const DATA_RETENTION_DAYS = 365;

/** Fields of a summary upsert; `first` fields keep the value already stored (if_not_exists). */
export interface SummaryUpdate {
  readonly set?: Partial<Omit<TransactionItem, 'id' | 'stationId' | 'protocol' | 'updatedAt'>>;
  readonly first?: Partial<Omit<TransactionItem, 'id' | 'stationId' | 'protocol' | 'updatedAt'>>;
}

/** Only write when the stored summary is in this state (one conditional write). */
export type UpsertCondition = 'active' | 'closedByCsms';

const CONDITIONS: Record<UpsertCondition, { expression: string; values: Record<string, unknown> }> = {
  active: { expression: '#status = :condActive', values: { ':condActive': 'active' } },
  closedByCsms: { expression: 'closedBy = :condCsms', values: { ':condCsms': 'csms' } },
};

export class TransactionStore {
  constructor(private readonly t: TableRef) {}

  async get(stationId: string, txId: string, consistent = true): Promise<TransactionItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: keys.transaction(stationId, txId),
        ConsistentRead: consistent,
      }),
    );
    return out.Item as TransactionItem | undefined;
  }

  /**
   * Creates or updates a summary in one write. `set` overwrites; `first` only fills what is not
   * stored yet; status 'ended' is never rolled back to 'active' (out-of-order delivery).
   */
  async upsert(
    stationId: string,
    txId: string,
    protocol: OcppProtocol,
    update: SummaryUpdate,
    now: Date,
  ): Promise<TransactionItem> {
    const out = await this.upsertIf(stationId, txId, protocol, update, now);
    if (!out) throw new Error('unconditional upsert reported a failed condition');
    return out;
  }

  /** `upsert` that writes only when the stored summary meets `condition`; undefined when it did not. */
  async upsertIf(
    stationId: string,
    txId: string,
    protocol: OcppProtocol,
    update: SummaryUpdate,
    now: Date,
    condition?: UpsertCondition,
  ): Promise<TransactionItem | undefined> {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':id': txId,
      ':station': stationId,
      ':protocol': protocol,
      ':now': now.toISOString(),
      ':list': LIST.transactions,
    };
    const sets = [
      'id = :id',
      'stationId = :station',
      'protocol = :protocol',
      'updatedAt = :now',
      'gsi1pk = :list',
    ];
    let n = 0;
    const add = (field: string, value: unknown, mode: 'set' | 'first') => {
      if (value === undefined) return;
      const name = `#f${n}`;
      const ref = `:v${n++}`;
      values[ref] = value;
      if (field !== 'status') names[name] = field;
      if (field === 'status') {
        names['#status'] = 'status';
        // 'ended' is final; 'active' only fills an empty status.
        sets.push(value === 'ended' ? `#status = ${ref}` : `#status = if_not_exists(#status, ${ref})`);
      } else {
        sets.push(mode === 'set' ? `${name} = ${ref}` : `${name} = if_not_exists(${name}, ${ref})`);
      }
    };
    for (const [field, value] of Object.entries(update.first ?? {})) add(field, value, 'first');
    for (const [field, value] of Object.entries(update.set ?? {})) add(field, value, 'set');
    const startedAt = update.set?.startedAt ?? update.first?.startedAt;
    if (startedAt) {
      values[':sk1'] = `${startedAt}#${stationId}#${txId}`;
      sets.push(update.set?.startedAt ? 'gsi1sk = :sk1' : 'gsi1sk = if_not_exists(gsi1sk, :sk1)');
    } else {
      // Listed by when we first heard of it until the start is known.
      values[':sk1'] = `${now.toISOString()}#${stationId}#${txId}`;
      sets.push('gsi1sk = if_not_exists(gsi1sk, :sk1)');
    }
    if (condition) {
      Object.assign(values, CONDITIONS[condition].values);
      if (condition === 'active') names['#status'] = 'status';
    }
    try {
      const out = await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: keys.transaction(stationId, txId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ...(condition ? { ConditionExpression: CONDITIONS[condition].expression } : {}),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as TransactionItem;
    } catch (error) {
      if (condition && isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  // ---- the newest transaction of an EVSE (abandoned transactions) ------------------------------

  /**
   * Marks `item` as the newest transaction of the EVSE unless a newer start holds the marker.
   * Returns the marker it replaced (one conditional write, no read); undefined when there was none
   * or when this start is older than the one marked.
   */
  async markActive(
    stationId: string,
    evseId: number,
    item: ActiveTransactionItem,
  ): Promise<{ marked: boolean; previous?: ActiveTransactionItem }> {
    try {
      const out = await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { ...keys.activeTransaction(stationId, evseId), ...item },
          ConditionExpression: 'attribute_not_exists(pk) OR startedAt <= :at OR transactionId = :tx',
          ExpressionAttributeValues: { ':at': item.startedAt, ':tx': item.transactionId },
          ReturnValues: 'ALL_OLD',
        }),
      );
      const previous = out.Attributes as ActiveTransactionItem | undefined;
      return { marked: true, ...(previous ? { previous } : {}) };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { marked: false };
      throw error;
    }
  }

  async getActive(stationId: string, evseId: number): Promise<ActiveTransactionItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: keys.activeTransaction(stationId, evseId) }),
    );
    return out.Item as ActiveTransactionItem | undefined;
  }

  // ---- 2.0.1 / 2.1 transaction events -------------------------------------------------------

  async getEvent(
    stationId: string,
    txId: string,
    seqNo: number,
    variant?: string,
  ): Promise<TransactionEventItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: keys.transactionEvent(stationId, txId, seqNo, variant),
        ConsistentRead: true,
      }),
    );
    return out.Item as TransactionEventItem | undefined;
  }

  /**
   * The replay guard of one event and the transaction's summary in one strongly consistent
   * BatchGet (one round trip): what a TransactionEvent needs before it decides what to write.
   */
  async getEventAndSummary(
    stationId: string,
    txId: string,
    seqNo: number,
  ): Promise<{ event: TransactionEventItem | undefined; summary: TransactionItem | undefined }> {
    const eventKey = keys.transactionEvent(stationId, txId, seqNo);
    const summaryKey = keys.transaction(stationId, txId);
    const items = await batchGet(this.t, [eventKey, summaryKey], { consistent: true });
    const find = (key: { pk: string; sk: string }) => items.find((i) => i.pk === key.pk && i.sk === key.sk);
    return {
      event: find(eventKey) as TransactionEventItem | undefined,
      summary: find(summaryKey) as TransactionItem | undefined,
    };
  }

  /** `variant` keeps a second, different event with the same seqNo beside the first. */
  async putEvent(
    stationId: string,
    txId: string,
    event: TransactionEventItem,
    now: Date,
    variant?: string,
  ): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...keys.transactionEvent(stationId, txId, event.seqNo, variant),
          ...event,
          expiresAt: epochSeconds(new Date(now.getTime() + DATA_RETENTION_DAYS * 86_400_000)),
        },
      }),
    );
  }

  async listEvents(stationId: string, txId: string): Promise<TransactionEventItem[]> {
    return (await this.queryData(stationId, txId, 'EV#')) as unknown as TransactionEventItem[];
  }

  // ---- 1.6 -----------------------------------------------------------------------------------

  async getStartReplay(
    stationId: string,
    connectorId: number,
    timestamp: string,
  ): Promise<StartReplayItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({
        TableName: this.t.tableName,
        Key: keys.startReplay(stationId, connectorId, timestamp),
        ConsistentRead: true,
      }),
    );
    return out.Item as StartReplayItem | undefined;
  }

  /** Records the answer to a StartTransaction; false when a concurrent retry recorded one first. */
  async putStartReplay(
    stationId: string,
    connectorId: number,
    timestamp: string,
    transactionId: number,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: {
            ...keys.startReplay(stationId, connectorId, timestamp),
            transactionId,
            expiresAt: epochSeconds(new Date(now.getTime() + 30 * 86_400_000)),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Stores 1.6 meter samples of a transaction, one item per timestamp: replays overwrite themselves. */
  async putMeterSamples(
    stationId: string,
    txId: string,
    samples: readonly Sample[],
    now: Date,
  ): Promise<void> {
    const byTimestamp = new Map<string, Sample[]>();
    for (const s of samples) byTimestamp.set(s.timestamp, [...(byTimestamp.get(s.timestamp) ?? []), s]);
    const expiresAt = epochSeconds(new Date(now.getTime() + DATA_RETENTION_DAYS * 86_400_000));
    const items = [...byTimestamp.entries()].map(([timestamp, group]) => ({
      ...keys.transactionMeter(stationId, txId, timestamp, contentDigest(group)),
      timestamp,
      samples: group,
      expiresAt,
    }));
    if (items.length === 1 && items[0]) {
      await this.t.db.send(new PutCommand({ TableName: this.t.tableName, Item: items[0] }));
      return;
    }
    await batchPut(this.t, items);
  }

  /** Every meter sample of a transaction (1.6 meter items and 2.0.1 events), oldest first. */
  async listSamples(stationId: string, txId: string): Promise<Sample[]> {
    const items = await this.queryData(stationId, txId, '');
    // The same reading may be stored twice (a 1.6 StopTransaction's transactionData repeats
    // samples its MeterValues sent): each distinct sample once.
    const seen = new Set<string>();
    return items
      .flatMap((i) => (Array.isArray(i.samples) ? (i.samples as Sample[]) : []))
      .filter((sample) => {
        const key = JSON.stringify(sample, Object.keys(sample).sort());
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  }

  private async queryData(
    stationId: string,
    txId: string,
    prefix: string,
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.t, {
      KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :p)' : 'pk = :pk',
      ExpressionAttributeValues: {
        ':pk': keys.txDataPk(stationId, txId),
        ...(prefix ? { ':p': prefix } : {}),
      },
    });
  }

  // ---- queries -------------------------------------------------------------------------------

  async list(query: TransactionListQuery): Promise<{ items: TransactionItem[]; nextCursor: string | null }> {
    if (query.stationId) {
      const page = await this.t.db.send(
        new QueryCommand({
          TableName: this.t.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tx)',
          ExpressionAttributeValues: {
            ':pk': keys.stationPk(query.stationId),
            ':tx': 'TX#',
            ...(query.status ? { ':status': query.status } : {}),
          },
          ...(query.status
            ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
            : {}),
          ScanIndexForward: false,
          Limit: query.limit,
          ExclusiveStartKey: decodeCursor(query.cursor),
        }),
      );
      return {
        items: (page.Items ?? []) as TransactionItem[],
        nextCursor: encodeCursor(page.LastEvaluatedKey),
      };
    }
    const page = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :list',
        ExpressionAttributeValues: { ':list': LIST.transactions },
        ScanIndexForward: false,
        Limit: query.limit,
        ExclusiveStartKey: decodeCursor(query.cursor),
      }),
    );
    // The index holds keys only: fetch the summaries in one BatchGet, in the index's order.
    const listed = (page.Items ?? []).map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
    const got = await batchGet(this.t, listed);
    const byKey = new Map(
      got.map((i) => [`${String(i.pk)}|${String(i.sk)}`, i as unknown as TransactionItem]),
    );
    const items: TransactionItem[] = [];
    for (const key of listed) {
      const item = byKey.get(`${key.pk}|${key.sk}`);
      if (item && (!query.status || item.status === query.status)) items.push(item);
    }
    return { items, nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }
}
