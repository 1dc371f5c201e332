/**
 * Reservations (1.6 §5.13 ReserveNow / §5.1 CancelReservation, 2.0.1 H01-H04): created when a
 * ReserveNow is accepted, cancelled by an accepted CancelReservation, ended by the station's
 * ReservationStatusUpdate (Expired, Removed). One item per reservation id, `RESV#{id}` /
 * `{reservationId:10}`, kept 30 days after its expiry (TTL).
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { pad } from './keys.js';
import { epochSeconds, isConditionalCheckFailed, isExpired, type TableRef } from './table.js';

export type ReservationStatus = 'active' | 'cancelled' | 'expired' | 'removed';

export interface ReservationItem {
  readonly reservationId: number;
  readonly evseId?: number;
  readonly connectorType?: string;
  readonly idToken: string;
  readonly idTokenType?: string;
  readonly groupIdToken?: string;
  /** When the station ends the reservation unless it is used (ISO 8601). */
  readonly expiryDateTime: string;
  readonly status: ReservationStatus;
  readonly updatedAt: string;
  readonly commandId?: string;
}

const RETENTION_DAYS = 30;
const reservationKey = (stationId: string, id: number) => ({
  pk: `RESV#${stationId}`,
  sk: pad(id, 10),
});

function ttl(expiryDateTime: string, now: Date): number {
  const expiry = Date.parse(expiryDateTime);
  const base = Number.isNaN(expiry) ? now.getTime() : Math.max(expiry, now.getTime());
  return epochSeconds(new Date(base + RETENTION_DAYS * 86_400_000));
}

export class ReservationStore {
  constructor(private readonly t: TableRef) {}

  /** A new (or replacing: 2.0.1 H01.FR.02, 1.6 §5.13 same reservationId) reservation. */
  async put(stationId: string, item: ReservationItem, now: Date): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...reservationKey(stationId, item.reservationId),
          stationId,
          ...item,
          expiresAt: ttl(item.expiryDateTime, now),
        },
      }),
    );
  }

  /** Sets the status of a known reservation; false when there is none. */
  async setStatus(
    stationId: string,
    reservationId: number,
    status: ReservationStatus,
    now: Date,
  ): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: reservationKey(stationId, reservationId),
          UpdateExpression: 'SET #status = :s, updatedAt = :now',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': status, ':now': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async get(stationId: string, reservationId: number, now: Date): Promise<ReservationItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: reservationKey(stationId, reservationId) }),
    );
    const item = out.Item as (ReservationItem & { expiresAt?: number }) | undefined;
    return item && !isExpired(item, now) ? strip(item) : undefined;
  }

  async list(stationId: string, now: Date): Promise<ReservationItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `RESV#${stationId}` },
        ScanIndexForward: false,
      }),
    );
    return ((out.Items ?? []) as (ReservationItem & { expiresAt?: number })[])
      .filter((i) => !isExpired(i, now))
      .map(strip);
  }
}

function strip(item: ReservationItem): ReservationItem {
  const {
    pk: _pk,
    sk: _sk,
    stationId: _s,
    expiresAt: _e,
    ...rest
  } = item as ReservationItem & Record<string, unknown>;
  return rest;
}
