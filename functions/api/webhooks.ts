/**
 * Partner webhooks: subscriptions of an HTTPS endpoint to the CSMS's events, delivered by
 * EventBridge (a rule, an API destination and a connection per subscription: shared/webhooks),
 * the failed deliveries it dead-lettered, redrive and replay. docs/adr/0008-webhooks.md.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { EVENTS } from '../../shared/events/catalog.js';
import type { DeadLetterItem, WebhookItem } from '../../shared/store/webhooks.js';
import type { WebhookAuth, WebhookDefinition } from '../../shared/webhooks/control-plane.js';
import { patternErrors } from '../../shared/webhooks/pattern.js';
import { DEFAULT_RETRY, TEST_EVENT_TYPE } from '../../shared/webhooks/rules.js';
import { BadRequestError, ConflictError, NotFoundError } from './errors.js';
import { json, noContent, operation, type ApiDeps, type WebhookDeps } from './http.js';

// ---- schemas ---------------------------------------------------------------------------------

const SUBSCRIBABLE = Object.keys(EVENTS).filter((t) => t !== TEST_EVENT_TYPE) as [string, ...string[]];

export const WebhookEventType = z.enum(SUBSCRIBABLE).meta({
  id: 'WebhookEventType',
  description:
    'An event type of docs/events.md (webhook.test.v1 is sent by POST /v1/webhooks/{id}/test only).',
});

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;
const secret = (what: string) => z.string().min(1).max(512).describe(what);

export const WebhookAuthRequest = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('apiKey'),
      header: z.string().regex(HEADER_NAME, 'An HTTP header name').describe('Header EventBridge sends.'),
      value: secret('The header value. Write only: never returned.'),
    }),
    z.strictObject({
      type: z.literal('basic'),
      username: z.string().min(1).max(512),
      password: secret('Write only: never returned.'),
    }),
    z.strictObject({
      type: z.literal('oauth'),
      tokenUrl: z
        .url({ protocol: /^https?$/ })
        .describe('OAuth 2.0 token endpoint (client credentials grant).'),
      clientId: z.string().min(1).max(512),
      clientSecret: secret('Write only: never returned.'),
      scope: z.string().min(1).max(512).optional(),
    }),
  ])
  .meta({
    id: 'WebhookAuthRequest',
    description:
      'How the CSMS authenticates to the endpoint (an EventBridge connection; the secret is kept in ' +
      'AWS Secrets Manager). Omitted: an `x-csms-webhook-id` header naming the subscription only.',
  });

export const WebhookFilter = z
  .strictObject({
    stationIds: z
      .array(z.string().min(1).max(128))
      .min(1)
      .max(100)
      .optional()
      .describe('Only these stations.'),
    detail: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'An EventBridge event pattern over `detail`, e.g. `{"protocol": ["ocpp2.0.1"]}` or ' +
          '`{"energyWh": [{"numeric": [">", 1000]}]}`.',
      ),
  })
  .superRefine((filter, ctx) => {
    if (filter.detail !== undefined) {
      for (const e of patternErrors(filter.detail)) {
        ctx.addIssue({
          code: 'custom',
          path: ['detail', ...(e.path ? e.path.split('.') : [])],
          message: e.message,
        });
      }
      if (filter.stationIds && 'stationId' in filter.detail) {
        ctx.addIssue({
          code: 'custom',
          path: ['detail', 'stationId'],
          message: 'Use stationIds or detail.stationId, not both',
        });
      }
    }
  })
  .meta({ id: 'WebhookFilter' });

export const WebhookRetry = z
  .strictObject({
    maximumRetryAttempts: z.number().int().min(0).max(185).default(DEFAULT_RETRY.maximumRetryAttempts),
    maximumEventAgeSeconds: z
      .number()
      .int()
      .min(60)
      .max(86_400)
      .default(DEFAULT_RETRY.maximumEventAgeSeconds),
  })
  .meta({
    id: 'WebhookRetry',
    description: "EventBridge's retry policy of the target: after either limit the event is dead-lettered.",
  });

const Url = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe('The endpoint; https (http on loopback locally).');

export const CreateWebhookRequest = z
  .strictObject({
    url: Url,
    eventTypes: z.array(WebhookEventType).max(50).optional().describe('Omitted or empty: every event type.'),
    filter: WebhookFilter.optional(),
    auth: WebhookAuthRequest.optional(),
    description: z.string().max(512).optional(),
    retry: WebhookRetry.optional(),
  })
  .meta({ id: 'CreateWebhookRequest' });

export const UpdateWebhookRequest = z
  .strictObject({
    url: Url.optional(),
    state: z.enum(['enabled', 'disabled']).optional(),
    eventTypes: z.array(WebhookEventType).max(50).optional(),
    filter: WebhookFilter.optional(),
    auth: WebhookAuthRequest.optional().describe('Replaces the credentials (write only).'),
    description: z.string().max(512).optional(),
    retry: WebhookRetry.optional(),
  })
  .meta({ id: 'UpdateWebhookRequest' });

export const WebhookView = z
  .object({
    id: z.string(),
    url: z.string(),
    eventTypes: z.array(z.string()).describe('Empty: every event type.'),
    filter: z.object({
      stationIds: z.array(z.string()).optional(),
      detail: z.record(z.string(), z.unknown()).optional(),
    }),
    state: z.enum(['enabled', 'disabled']),
    auth: z.object({ type: z.enum(['none', 'apiKey', 'basic', 'oauth']), header: z.string().optional() }),
    retry: z.object({ maximumRetryAttempts: z.number(), maximumEventAgeSeconds: z.number() }),
    description: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'WebhookView' });
type WebhookView = z.output<typeof WebhookView>;

export const WebhookList = z
  .object({ items: z.array(WebhookView), limit: z.number() })
  .meta({ id: 'WebhookList' });

export const DeliveryView = z
  .object({
    eventId: z.string().describe('The envelope `id` of the event.'),
    eventType: z.string(),
    eventTime: z.string(),
    status: z.literal('dead-lettered'),
    at: z.string().describe('When EventBridge gave up and dead-lettered it.'),
    attempts: z.number().describe('Retry attempts made (RETRY_ATTEMPTS).'),
    statusCode: z.number().nullable().describe('The last HTTP status the endpoint answered, if any.'),
    errorCode: z.string(),
    errorMessage: z.string(),
    event: z.record(z.string(), z.unknown()).describe('The event as it would have been delivered.'),
  })
  .meta({ id: 'DeliveryView' });

export const DeliveryList = z.object({ items: z.array(DeliveryView) }).meta({
  id: 'DeliveryList',
  description:
    'Failed deliveries waiting in the dead-letter store, newest first. Successful deliveries are ' +
    'not listed: EventBridge does not report them (CloudWatch metrics per rule count them).',
});

const ReplayRequest = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).describe('Start of the window (inclusive), event time.'),
    to: z.iso.datetime({ offset: true }).describe('End of the window (exclusive), not in the future.'),
  })
  .meta({ id: 'WebhookReplayRequest' });

export const ReplayView = z
  .object({
    replayName: z
      .string()
      .nullable()
      .describe('The EventBridge replay; null when there was nothing to send.'),
    from: z.string().nullable(),
    to: z.string().nullable(),
    events: z.number().optional().describe('Redrive: how many dead letters it covers.'),
  })
  .meta({ id: 'WebhookReplayView' });

const WebhookPath = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/, 'A webhook id') });
const DeliveriesQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('At most this many, 1 to 100.'),
});

// ---- helpers ---------------------------------------------------------------------------------

function webhooksOf(deps: ApiDeps): WebhookDeps {
  if (!deps.webhooks) throw new Error('Webhooks are not configured (CSMS_WEBHOOK_* variables)');
  return deps.webhooks;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function checkUrl(url: string, webhooks: WebhookDeps, field = 'url'): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'https:') return;
  if (webhooks.allowLoopbackHttp && LOOPBACK.has(parsed.hostname)) return;
  throw new BadRequestError('Invalid request body', [
    {
      path: field,
      message: webhooks.allowLoopbackHttp
        ? 'Must be https (http only to 127.0.0.1, localhost or [::1])'
        : 'Must be https: EventBridge API destinations call https endpoints only',
    },
  ]);
}

function authOf(auth: z.output<typeof WebhookAuthRequest> | undefined): WebhookAuth {
  return auth ?? { type: 'none' };
}

function definitionOf(item: WebhookItem): WebhookDefinition {
  return {
    id: item.id,
    url: item.url,
    eventTypes: item.eventTypes,
    filter: item.filter,
    enabled: item.state === 'enabled',
    description: item.description,
    retry: item.retry,
  };
}

export function webhookView(item: WebhookItem): WebhookView {
  return {
    id: item.id,
    url: item.url,
    eventTypes: [...item.eventTypes],
    filter: {
      ...(item.filter.stationIds ? { stationIds: [...item.filter.stationIds] } : {}),
      ...(item.filter.detail ? { detail: item.filter.detail } : {}),
    },
    state: item.state,
    auth: { type: item.authType, ...(item.authHeader ? { header: item.authHeader } : {}) },
    retry: { ...item.retry },
    description: item.description ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

function deliveryView(item: DeadLetterItem): z.output<typeof DeliveryView> {
  return {
    eventId: item.eventId,
    eventType: item.eventType,
    eventTime: item.eventTime,
    status: 'dead-lettered',
    at: item.deadLetteredAt,
    attempts: item.retryAttempts,
    statusCode: item.statusCode ?? null,
    errorCode: item.errorCode,
    errorMessage: item.errorMessage,
    event: item.event,
  };
}

async function mustGet(deps: ApiDeps, id: string): Promise<WebhookItem> {
  const item = await deps.store.webhooks.get(id);
  if (!item) throw new NotFoundError(`No webhook ${id}`);
  return item;
}

/** A replay name suffix: unique enough per subscription and second. */
const label = (kind: string, now: Date) =>
  `${kind}-${now
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}-${randomBytes(3).toString('hex')}`;

// ---- operations ------------------------------------------------------------------------------

export const createWebhook = operation({
  id: 'createWebhook',
  summary: 'Subscribe an endpoint to events (an EventBridge rule + API destination + connection)',
  description:
    'Events are POSTed as EventBridge envelopes (`version`, `id`, `detail-type`, `source`, `account`, ' +
    '`time`, `region`, `resources`, `detail`), at least once and unordered; see docs/events.md.',
  body: CreateWebhookRequest,
  responses: { 201: WebhookView },
  conflicts: 'The subscription limit is reached (the message gives it).',
  async handle({ body }, deps) {
    const webhooks = webhooksOf(deps);
    checkUrl(body.url, webhooks);
    if (body.auth?.type === 'oauth') checkUrl(body.auth.tokenUrl, webhooks, 'auth.tokenUrl');
    const existing = await deps.store.webhooks.list();
    if (existing.length >= webhooks.limit) {
      throw new ConflictError(
        `The limit of ${webhooks.limit} webhook subscriptions is reached (EventBridge allows 300 rules per bus by default)`,
      );
    }
    const now = deps.clock().toISOString();
    const auth = authOf(body.auth);
    const draft: Omit<WebhookItem, 'ruleArn'> = {
      id: randomBytes(8).toString('hex'),
      url: body.url,
      eventTypes: body.eventTypes ?? [],
      filter: body.filter ?? {},
      state: 'enabled',
      ...(body.description ? { description: body.description } : {}),
      authType: auth.type,
      ...(auth.type === 'apiKey' ? { authHeader: auth.header } : {}),
      retry: body.retry ?? { ...DEFAULT_RETRY },
      createdAt: now,
      updatedAt: now,
    };
    const { ruleArn } = await webhooks.controlPlane.create(definitionOf({ ...draft, ruleArn: '' }), auth);
    const item: WebhookItem = { ...draft, ruleArn };
    try {
      await deps.store.webhooks.create(item);
    } catch (error) {
      await webhooks.controlPlane.remove(item.id).catch(() => undefined);
      throw error;
    }
    return json(201, webhookView(item), { location: `/v1/webhooks/${item.id}` });
  },
});

export const listWebhooks = operation({
  id: 'listWebhooks',
  summary: 'Every webhook subscription (secrets are never returned)',
  responses: { 200: WebhookList },
  async handle(_input, deps) {
    const items = await deps.store.webhooks.list();
    return json(200, { items: items.map(webhookView), limit: webhooksOf(deps).limit });
  },
});

export const getWebhook = operation({
  id: 'getWebhook',
  summary: 'One webhook subscription',
  params: WebhookPath,
  responses: { 200: WebhookView },
  async handle({ params }, deps) {
    return json(200, webhookView(await mustGet(deps, params.id)));
  },
});

export const updateWebhook = operation({
  id: 'updateWebhook',
  summary: 'Enable, disable or change a subscription (types, filter, URL, credentials, retry policy)',
  params: WebhookPath,
  body: UpdateWebhookRequest,
  responses: { 200: WebhookView },
  async handle({ params, body }, deps) {
    const webhooks = webhooksOf(deps);
    const current = await mustGet(deps, params.id);
    if (body.url !== undefined) checkUrl(body.url, webhooks);
    if (body.auth?.type === 'oauth') checkUrl(body.auth.tokenUrl, webhooks, 'auth.tokenUrl');
    const next: WebhookItem = {
      ...current,
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.state !== undefined ? { state: body.state } : {}),
      ...(body.eventTypes !== undefined ? { eventTypes: body.eventTypes } : {}),
      ...(body.filter !== undefined ? { filter: body.filter } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.retry !== undefined ? { retry: body.retry } : {}),
      ...(body.auth !== undefined
        ? { authType: body.auth.type, authHeader: body.auth.type === 'apiKey' ? body.auth.header : undefined }
        : {}),
      updatedAt: deps.clock().toISOString(),
    };
    await webhooks.controlPlane.update(definitionOf(next), body.auth);
    await deps.store.webhooks.put(next);
    return json(200, webhookView(next));
  },
});

export const deleteWebhook = operation({
  id: 'deleteWebhook',
  summary: 'Unsubscribe: removes the rule, API destination and connection',
  params: WebhookPath,
  responses: { 204: null },
  async handle({ params }, deps) {
    await mustGet(deps, params.id);
    await webhooksOf(deps).controlPlane.remove(params.id);
    await deps.store.webhooks.delete(params.id);
    return noContent;
  },
});

export const testWebhook = operation({
  id: 'testWebhook',
  summary: 'Send a webhook.test.v1 event to this subscription only',
  params: WebhookPath,
  responses: { 202: z.object({ eventType: z.literal(TEST_EVENT_TYPE) }).meta({ id: 'WebhookTestView' }) },
  async handle({ params }, deps) {
    await mustGet(deps, params.id);
    await webhooksOf(deps).events.publish([
      {
        type: 'webhook.test.v1',
        detail: {
          webhookId: params.id,
          occurredAt: deps.clock().toISOString(),
          message: 'A test event from the CSMS: your endpoint is reachable.',
        },
      },
    ]);
    return json(202, { eventType: TEST_EVENT_TYPE });
  },
});

export const listDeliveries = operation({
  id: 'listWebhookDeliveries',
  summary: 'Failed deliveries of a subscription waiting in the dead-letter store',
  params: WebhookPath,
  query: DeliveriesQuery,
  responses: { 200: DeliveryList },
  async handle({ params, query }, deps) {
    await mustGet(deps, params.id);
    const items = await deps.store.webhooks.deadLetters(params.id, query.limit, deps.clock());
    return json(200, { items: items.map(deliveryView) });
  },
});

/** Redrive covers at most this many dead letters a call (call again for more). */
const REDRIVE_BATCH = 500;

export const redriveWebhook = operation({
  id: 'redriveWebhook',
  summary: 'Send the dead-lettered events of a subscription again',
  description:
    'Replays, to this subscription only, the archived events of the window that holds its dead ' +
    'letters, then clears them. Events of that window that were delivered before arrive again: ' +
    'dedupe by event `id`. Up to 500 dead letters a call.',
  params: WebhookPath,
  responses: { 202: ReplayView },
  async handle({ params }, deps) {
    const item = await mustGet(deps, params.id);
    const now = deps.clock();
    const letters = await deps.store.webhooks.deadLetters(params.id, REDRIVE_BATCH, now);
    if (letters.length === 0) return json(202, { replayName: null, from: null, to: null, events: 0 });
    const times = letters.map((l) => Date.parse(l.eventTime)).filter((t) => Number.isFinite(t));
    const from = new Date(Math.min(...times));
    // Envelope times are whole seconds: the window ends after the last one's second.
    const to = new Date(Math.max(...times) + 1000);
    const replayName = await webhooksOf(deps).controlPlane.replay(
      item.id,
      item.ruleArn,
      from,
      to,
      label('redrive', now),
    );
    for (const letter of letters) await deps.store.webhooks.deleteDeadLetter(letter);
    return json(202, { replayName, from: from.toISOString(), to: to.toISOString(), events: letters.length });
  },
});

export const replayWebhook = operation({
  id: 'replayWebhook',
  summary: 'Replay a window of archived events to this subscription only',
  description: 'EventBridge replay from the bus archive with the rule as the only destination.',
  params: WebhookPath,
  body: ReplayRequest,
  responses: { 202: ReplayView },
  async handle({ params, body }, deps) {
    const item = await mustGet(deps, params.id);
    const now = deps.clock();
    const from = new Date(body.from);
    const to = new Date(body.to);
    if (from.getTime() >= to.getTime()) {
      throw new BadRequestError('Invalid request body', [{ path: 'to', message: 'Must be after from' }]);
    }
    if (to.getTime() > now.getTime()) {
      throw new BadRequestError('Invalid request body', [
        { path: 'to', message: 'Must not be in the future' },
      ]);
    }
    const replayName = await webhooksOf(deps).controlPlane.replay(
      item.id,
      item.ruleArn,
      from,
      to,
      label('replay', now),
    );
    return json(202, { replayName, from: from.toISOString(), to: to.toISOString() });
  },
});
