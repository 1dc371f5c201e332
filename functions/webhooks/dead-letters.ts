/**
 * The webhook dead-letter queue's consumer (an SQS event source on AWS; the local bus invokes it
 * the same way): each message is an event EventBridge could not deliver to a subscription, with
 * the reason in message attributes (RULE_ARN, ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS,
 * EXHAUSTED_RETRY_CONDITION). It is kept in the table under the subscription, where the HTTP API
 * lists it and redrive finds it. A message that cannot be stored is reported back to SQS
 * (ReportBatchItemFailures), so nothing is dropped silently.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { config } from '../../shared/aws/config.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { WebhookStore, type DeadLetterItem } from '../../shared/store/webhooks.js';
import { webhookIdOfRule } from '../../shared/webhooks/rules.js';

const store = new WebhookStore({ db: dynamoDocumentClient(), tableName: config().tableName });

/** The dead letter a message describes; undefined when it is not one of a CSMS subscription. */
export function deadLetterOf(record: SQSRecord, busName: string, now: Date): DeadLetterItem | undefined {
  const attribute = (name: string) => record.messageAttributes[name]?.stringValue;
  const webhookId = webhookIdOfRule(busName, attribute('RULE_ARN') ?? '');
  if (!webhookId) return undefined;
  const event = JSON.parse(record.body) as Record<string, unknown>;
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
  const errorMessage = attribute('ERROR_MESSAGE') ?? '';
  const status = /\b([1-5]\d\d)\b/.exec(errorMessage)?.[1];
  const exhausted = attribute('EXHAUSTED_RETRY_CONDITION');
  return {
    webhookId,
    eventId: text(event.id, record.messageId),
    eventType: text(event['detail-type'], ''),
    eventTime: text(event.time, ''),
    deadLetteredAt: new Date(Number(record.attributes.SentTimestamp) || now.getTime()).toISOString(),
    errorCode: attribute('ERROR_CODE') ?? 'UNKNOWN',
    errorMessage,
    retryAttempts: Number(attribute('RETRY_ATTEMPTS') ?? 0),
    ...(exhausted ? { exhaustedRetryCondition: exhausted } : {}),
    ...(status ? { statusCode: Number(status) } : {}),
    event,
  };
}

export const handler = middy(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failures: { itemIdentifier: string }[] = [];
  const now = new Date();
  for (const record of event.Records) {
    try {
      const item = deadLetterOf(record, config().eventBusName, now);
      if (!item) {
        logger.warn('Dead letter of a rule that is no webhook subscription: dropped', {
          messageId: record.messageId,
          rule: record.messageAttributes.RULE_ARN?.stringValue,
        });
        continue;
      }
      await store.putDeadLetter(item, now);
      logger.info('Webhook delivery dead-lettered', {
        webhookId: item.webhookId,
        eventId: item.eventId,
        errorCode: item.errorCode,
      });
    } catch (error) {
      logger.error('Dead letter not stored; SQS will deliver it again', {
        error: error as Error,
        messageId: record.messageId,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}).use(injectLambdaContext(logger, { resetKeys: true }));
