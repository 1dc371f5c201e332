/**
 * Webhook subscriptions (metadata only: the endpoint's secret lives in the EventBridge connection,
 * i.e. Secrets Manager) and the deliveries that EventBridge dead-lettered for each.
 *
 * | item                 | pk                | sk                         |
 * |----------------------|-------------------|----------------------------|
 * | subscription         | WEBHOOKS          | WEBHOOK#{id}               |
 * | dead letter (TTL)    | WHDLQ#{id}        | {deadLetteredAt}#{eventId} |
 *
 * All subscriptions share one partition: EventBridge caps rules per bus (300 by default), so the
 * list is one small Query.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, isConditionalCheckFailed, isExpired, type TableRef } from './table.js';

export type WebhookAuthType = 'none' | 'apiKey' | 'basic' | 'oauth';

export interface WebhookItem {
  readonly id: string;
  readonly url: string;
  /** Empty: every event type. */
  readonly eventTypes: readonly string[];
  readonly filter: { readonly stationIds?: readonly string[]; readonly detail?: Record<string, unknown> };
  readonly state: 'enabled' | 'disabled';
  readonly description?: string;
  /** How the CSMS authenticates to the endpoint; no secret. */
  readonly authType: WebhookAuthType;
  /** For apiKey: the header name (not its value). */
  readonly authHeader?: string;
  readonly retry: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
  /** The EventBridge rule (replays name it as their destination filter). */
  readonly ruleArn: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DeadLetterItem {
  readonly webhookId: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The envelope's `time`. */
  readonly eventTime: string;
  readonly deadLetteredAt: string;
  /** EventBridge's ERROR_CODE / ERROR_MESSAGE / RETRY_ATTEMPTS / EXHAUSTED_RETRY_CONDITION. */
  readonly errorCode: string;
  readonly errorMessage: string;
  readonly retryAttempts: number;
  readonly exhaustedRetryCondition?: string;
  /** The HTTP status the endpoint answered last, when there was one. */
  readonly statusCode?: number;
  /** The event as EventBridge would have delivered it. */
  readonly event: Record<string, unknown>;
}

/** SQS keeps messages at most 14 days; dead letters in the table expire the same. */
const DEAD_LETTER_DAYS = 14;
const PK = 'WEBHOOKS';
const sk = (id: string) => `WEBHOOK#${id}`;
const dlqPk = (id: string) => `WHDLQ#${id}`;

export class WebhookExistsError extends Error {}

export class WebhookStore {
  constructor(private readonly t: TableRef) {}

  async create(item: WebhookItem): Promise<void> {
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: { pk: PK, sk: sk(item.id), ...item },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new WebhookExistsError(`Webhook ${item.id} exists`);
      throw error;
    }
  }

  async put(item: WebhookItem): Promise<void> {
    await this.t.db.send(
      new PutCommand({ TableName: this.t.tableName, Item: { pk: PK, sk: sk(item.id), ...item } }),
    );
  }

  async get(id: string): Promise<WebhookItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: { pk: PK, sk: sk(id) } }),
    );
    return out.Item ? strip<WebhookItem>(out.Item) : undefined;
  }

  /** Every subscription, oldest id first (at most a few hundred: the rule quota). */
  async list(): Promise<WebhookItem[]> {
    const items: WebhookItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.t.db.send(
        new QueryCommand({
          TableName: this.t.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PK },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(out.Items ?? []).map((i) => strip<WebhookItem>(i)));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async delete(id: string): Promise<boolean> {
    const out = await this.t.db.send(
      new DeleteCommand({
        TableName: this.t.tableName,
        Key: { pk: PK, sk: sk(id) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes !== undefined;
  }

  /** Idempotent: SQS delivers a message at least once, so the same dead letter may come twice. */
  async putDeadLetter(item: DeadLetterItem, now: Date): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: dlqPk(item.webhookId),
          sk: `${item.deadLetteredAt}#${item.eventId}`,
          ...item,
          expiresAt: epochSeconds(now) + DEAD_LETTER_DAYS * 86_400,
        },
      }),
    );
  }

  /** Dead letters of a subscription, newest first. */
  async deadLetters(webhookId: string, limit: number, now: Date): Promise<DeadLetterItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': dlqPk(webhookId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? []).filter((i) => !isExpired(i, now)).map((i) => strip<DeadLetterItem>(i));
  }

  async deleteDeadLetter(item: DeadLetterItem): Promise<void> {
    await this.t.db.send(
      new DeleteCommand({
        TableName: this.t.tableName,
        Key: { pk: dlqPk(item.webhookId), sk: `${item.deadLetteredAt}#${item.eventId}` },
      }),
    );
  }
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, expiresAt: _expiresAt, ...rest } = item;
  return rest as T;
}
