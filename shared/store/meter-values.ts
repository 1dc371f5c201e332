/** Meter values outside any transaction (1.6 MeterValues without transactionId, 2.0.1 MeterValues). */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Sample } from '../domain/meter-values.js';
import { contentDigest, keys } from './keys.js';
import { epochSeconds, isExpired, type TableRef } from './table.js';

const RETENTION_DAYS = 90;

export class MeterValueStore {
  constructor(private readonly t: TableRef) {}

  /** One item per message: a replay of the same message overwrites itself. */
  async put(stationId: string, evseId: number, samples: readonly Sample[], now: Date): Promise<void> {
    const first = samples[0];
    if (!first) return;
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          ...keys.stationMeter(stationId, first.timestamp, evseId, contentDigest(samples)),
          evseId,
          samples,
          expiresAt: epochSeconds(new Date(now.getTime() + RETENTION_DAYS * 86_400_000)),
        },
      }),
    );
  }

  async list(stationId: string, now: Date, limit = 100): Promise<{ evseId: number; samples: Sample[] }[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `METER#${stationId}` },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return ((out.Items ?? []) as { evseId: number; samples: Sample[]; expiresAt?: number }[])
      .filter((i) => !isExpired(i, now))
      .map(({ evseId, samples }) => ({ evseId, samples }));
  }
}
