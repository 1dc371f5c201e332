/**
 * Failed logins per station identity (issue 11): counted in fixed windows, one item per identity
 * and window (`LOGINFAIL#{id}` / `W#{window}`, expires with the window), an atomic ADD each. When
 * a window's count reaches the limit the identity is throttled until a time kept on the station
 * item itself (`loginThrottledUntil`): the authorizer reads that item anyway, so a handshake that
 * is not throttled costs no extra read.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { isConditionalCheckFailed, type TableRef } from './table.js';

export interface LoginThrottlePolicy {
  /** Failures within one window that throttle the identity. */
  readonly limit: number;
  readonly windowSeconds: number;
  /** How long the identity is then refused. */
  readonly throttleSeconds: number;
}

export class LoginFailureStore {
  constructor(private readonly t: TableRef) {}

  /**
   * Counts one failed login of `stationId`. Returns the window's count and, when this failure
   * reached the limit, until when the identity is now throttled.
   */
  async recordFailure(
    stationId: string,
    now: Date,
    policy: LoginThrottlePolicy,
  ): Promise<{ failures: number; throttledUntil: Date | undefined }> {
    const windowMs = policy.windowSeconds * 1000;
    const window = Math.floor(now.getTime() / windowMs);
    const out = await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: { pk: `LOGINFAIL#${stationId}`, sk: `W#${window}` },
        UpdateExpression: 'ADD n :one SET expiresAt = :exp',
        ExpressionAttributeValues: { ':one': 1, ':exp': Math.ceil(((window + 2) * windowMs) / 1000) },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const failures = (out.Attributes as { n: number }).n;
    if (failures < policy.limit) return { failures, throttledUntil: undefined };
    const until = new Date(now.getTime() + policy.throttleSeconds * 1000);
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: keys.station(stationId),
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression: 'SET loginThrottledUntil = :until',
          ExpressionAttributeValues: { ':until': until.toISOString() },
        }),
      );
    } catch (error) {
      // The station was deleted meanwhile: nothing left to throttle.
      if (!isConditionalCheckFailed(error)) throw error;
      return { failures, throttledUntil: undefined };
    }
    return { failures, throttledUntil: until };
  }
}
