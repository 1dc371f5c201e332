/** Security events: from stations (SecurityEventNotification) and from the CSMS (failed logins). */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { contentDigest, keys } from './keys.js';
import { epochSeconds, isExpired, type TableRef } from './table.js';

/** Kept 180 days, then removed by DynamoDB TTL (filtered on read before that). */
const RETENTION_DAYS = 180;

export interface SecurityEventItem {
  readonly stationId: string;
  /** Security event type, e.g. the 2.0.1 appendix names (InvalidCentralSystemCertificate, ...) or CSMS-side ones. */
  readonly type: string;
  readonly timestamp: string;
  readonly techInfo?: string;
  /** 'station' when the station reported it, 'csms' when the CSMS detected it. */
  readonly origin: 'station' | 'csms';
}

export class SecurityEventStore {
  constructor(private readonly t: TableRef) {}

  async put(event: SecurityEventItem, now: Date): Promise<void> {
    const expires = new Date(now.getTime() + RETENTION_DAYS * 86_400_000);
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          // A station queues a security event until it is confirmed (2.0.1 A04.FR.02): the same event
          // sent again gets the same key.
          ...keys.securityEvent(
            event.stationId,
            event.timestamp,
            contentDigest([event.type, event.techInfo, event.origin]),
          ),
          ...event,
          expiresAt: epochSeconds(expires),
        },
      }),
    );
  }

  async list(stationId: string, now: Date, limit = 100): Promise<SecurityEventItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sec)',
        ExpressionAttributeValues: { ':pk': keys.stationPk(stationId), ':sec': 'SEC#' },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return ((out.Items ?? []) as (SecurityEventItem & { expiresAt?: number })[]).filter(
      (i) => !isExpired(i, now),
    );
  }
}
