/**
 * What a webhook subscription is on EventBridge: a rule on the CSMS bus whose pattern selects the
 * partner's events, an API destination (the URL) with a connection (the auth, its secret kept by
 * EventBridge in Secrets Manager), and a target with a retry policy and the dead-letter queue.
 * Every resource is named `{bus}-wh-{id}`: the api function's IAM policy is scoped to that prefix.
 */
import { EVENT_BUS } from '../contract.js';
import type { EventPattern } from './pattern.js';

/** The event type POST /v1/webhooks/{id}/test sends; each rule matches only its own. */
export const TEST_EVENT_TYPE = 'webhook.test.v1';

/** EventBridge's defaults for a target: 185 attempts over 24 hours. */
export const DEFAULT_RETRY = { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 } as const;

export interface WebhookFilter {
  readonly stationIds?: readonly string[];
  /** An EventBridge pattern over the event's `detail` (e.g. `{"protocol": ["ocpp1.6"]}`). */
  readonly detail?: Record<string, unknown>;
}

/** Name of the rule, connection and API destination of a subscription (at most 64 characters). */
export function resourceName(busName: string, id: string): string {
  return `${resourcePrefix(busName)}${id}`;
}

export function resourcePrefix(busName: string): string {
  return `${busName}-wh-`;
}

/** The id in a rule ARN or name this CSMS created (`...rule/{bus}/{bus}-wh-{id}`), else undefined. */
export function webhookIdOfRule(busName: string, ruleArnOrName: string): string | undefined {
  const name = ruleArnOrName.split('/').pop() ?? '';
  const prefix = resourcePrefix(busName);
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : undefined;
}

/**
 * The rule's pattern: the CSMS's events of the chosen types (all but test events when none are
 * chosen) that pass the filter, or this subscription's own test event.
 */
export function webhookPattern(
  id: string,
  eventTypes: readonly string[],
  filter: WebhookFilter,
): EventPattern {
  const detail: Record<string, unknown> = { ...(filter.detail ?? {}) };
  if (filter.stationIds && filter.stationIds.length > 0) detail.stationId = [...filter.stationIds];
  const events: Record<string, unknown> = {
    'detail-type': eventTypes.length > 0 ? [...eventTypes] : [{ 'anything-but': TEST_EVENT_TYPE }],
  };
  if (Object.keys(detail).length > 0) events.detail = detail;
  return {
    source: [EVENT_BUS.source],
    $or: [events, { 'detail-type': [TEST_EVENT_TYPE], detail: { webhookId: [id] } }],
  };
}
