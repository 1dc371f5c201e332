/**
 * Limits on admitting unknown stations (CSMS_ADMIT_UNKNOWN_STATIONS, issue 7 defect 11): a count
 * of stations admitted but not provisioned yet, capped; and admissions per source address per
 * minute. Items: `ADMISSIONS` / `PENDING` (the count) and `ADMISSIONS` / `FROM#{ip}#{minute}`
 * (expires). DynamoDB has no transaction here that dynalite runs, so the count is kept with
 * conditional ADDs: a crash between the reservation and the station's put over-counts by one
 * (erring on the side of refusing), never lets more in.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, type TableRef } from './table.js';

const PK = 'ADMISSIONS';

export class AdmissionStore {
  constructor(private readonly t: TableRef) {}

  /** Takes one of `max` pending places; false when all are taken. */
  async reservePending(max: number): Promise<boolean> {
    return this.#add({ pk: PK, sk: 'PENDING' }, 1, max);
  }

  /** Gives a pending place back (the station was provisioned, deleted, or existed already). */
  async releasePending(): Promise<void> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: { pk: PK, sk: 'PENDING' },
          UpdateExpression: 'ADD n :minus',
          ConditionExpression: 'n > :zero',
          ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }

  /** Counts an admission from `sourceIp` in the current minute; false past `perMinute`. */
  async countFromAddress(sourceIp: string, perMinute: number, now: Date): Promise<boolean> {
    const minute = Math.floor(now.getTime() / 60_000);
    return this.#add({ pk: PK, sk: `FROM#${sourceIp}#${minute}` }, 1, perMinute, (minute + 2) * 60);
  }

  async pending(): Promise<number> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: { pk: PK, sk: 'PENDING' }, ConsistentRead: true }),
    );
    return (out.Item?.n as number | undefined) ?? 0;
  }

  async #add(key: { pk: string; sk: string }, by: number, max: number, expiresAt?: number): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: key,
          UpdateExpression: `ADD n :by${expiresAt === undefined ? '' : ' SET expiresAt = :exp'}`,
          ConditionExpression: 'attribute_not_exists(n) OR n < :max',
          ExpressionAttributeValues: {
            ':by': by,
            ':max': max,
            ...(expiresAt === undefined ? {} : { ':exp': expiresAt }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }
}
