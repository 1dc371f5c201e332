// The local host's API destination delivery (infra/local/webhook-delivery.ts) against receivers
// on 127.0.0.1: the bounded queue, surviving a restart, the request timeout, auth headers.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import type { EventEnvelope } from '../../infra/local/event-bus.js';
import type { LocalConnection, LocalTarget } from '../../infra/local/event-rules.js';
import { createHostLog } from '../../infra/local/log.js';
import {
  WebhookDelivery,
  type DeadLetterMessage,
  type TargetResolver,
} from '../../infra/local/webhook-delivery.js';
import { waitFor } from '../support/commands.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const RULE = 'arn:aws:events:us-east-1:000000000000:rule/csms/csms-wh-0123456789abcdef';
const target: LocalTarget = {
  id: 'webhook',
  arn: 'arn:aws:events:us-east-1:000000000000:api-destination/csms-wh-0123456789abcdef/x',
  maximumRetryAttempts: 2,
  maximumEventAgeSeconds: 3600,
};
let n = 0;
const envelope = (): EventEnvelope => ({
  version: '0',
  id: `event-${++n}`,
  'detail-type': 'station.booted.v1',
  source: 'csms',
  account: '000000000000',
  time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  region: 'us-east-1',
  resources: [],
  detail: { stationId: 'CP-1' },
});
const resolver =
  (url: () => string, connection: Partial<LocalConnection> = {}): TargetResolver =>
  () => ({
    target,
    destination: { name: 'd', arn: target.arn, connectionArn: 'c', endpoint: url(), httpMethod: 'POST' },
    connection: {
      name: 'c',
      arn: 'c',
      authorizationType: 'API_KEY',
      authParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-key', ApiKeyValue: 'secret-1' } },
      ...connection,
    },
  });
const log = createHostLog({ quiet: true });
const receivers: Receiver[] = [];
const dirs: string[] = [];
after(async () => {
  for (const r of receivers) await r.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const receiver = async (respond?: Receiver['respond']) => {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
};
const collect = (into: DeadLetterMessage[]) => async (messages: readonly DeadLetterMessage[]) => {
  into.push(...messages);
  return [];
};

describe('local webhook delivery', () => {
  test('a full queue dead-letters what overflows, counted, without waiting', async () => {
    const r = await receiver(() => 'hang');
    const delivery = new WebhookDelivery(
      resolver(() => r.url),
      log,
      {
        maxQueuePerTarget: 3,
        concurrencyPerTarget: 1,
        timeoutMs: 60_000,
      },
    );
    const letters: DeadLetterMessage[] = [];
    delivery.setDeadLetterConsumer(collect(letters));
    const events = [envelope(), envelope(), envelope(), envelope(), envelope()];
    for (const e of events) delivery.enqueue(RULE, target, e);
    assert.equal(delivery.stats.overflowed, 2);
    await waitFor('dead letters', () => (letters.length === 2 ? true : undefined));
    assert.deepEqual(
      letters.map((l) => (JSON.parse(l.body) as EventEnvelope).id),
      [events[3]?.id, events[4]?.id],
    );
    assert.equal(letters[0]?.messageAttributes.ERROR_CODE?.stringValue, 'LOCAL_QUEUE_FULL');
    assert.equal(letters[0]?.messageAttributes.RULE_ARN?.stringValue, RULE);
    r.respond = () => 200;
    await delivery.close();
  });

  test('dead letters not yet consumed survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csms-webhooks-'));
    dirs.push(dir);
    const file = join(dir, 'deliveries.json');
    const r = await receiver(() => 400);
    const first = new WebhookDelivery(
      resolver(() => r.url),
      log,
      {},
      file,
    );
    const event = envelope();
    first.enqueue(RULE, target, event);
    await waitFor('dead-lettered', () => (first.pendingDeadLetters === 1 ? true : undefined));
    await first.close();
    const second = new WebhookDelivery(
      resolver(() => r.url),
      log,
      {},
      file,
    );
    const letters: DeadLetterMessage[] = [];
    second.setDeadLetterConsumer(collect(letters));
    await waitFor('consumed after the restart', () => (letters.length === 1 ? true : undefined));
    assert.equal((JSON.parse(letters[0]?.body ?? '{}') as EventEnvelope).id, event.id);
    await second.close();
  });

  test('queued deliveries survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csms-webhooks-'));
    dirs.push(dir);
    const file = join(dir, 'deliveries.json');
    let url = 'http://127.0.0.1:9/down'; // discard port: nothing listens
    const first = new WebhookDelivery(
      resolver(() => url),
      log,
      { retryBaseMs: 60_000, timeoutMs: 500 },
      file,
    );
    const events = [envelope(), envelope()];
    for (const e of events) first.enqueue(RULE, target, e);
    await waitFor('first attempts failed', () => (first.stats.retried === 2 ? true : undefined));
    await first.close();

    const r = await receiver();
    url = r.url;
    const second = new WebhookDelivery(
      resolver(() => url),
      log,
      { retryBaseMs: 10 },
      file,
    );
    await waitFor('delivered after the restart', () => (r.delivered().length === 2 ? true : undefined));
    assert.deepEqual(
      r
        .delivered()
        .map((e) => e.id)
        .sort(),
      events.map((e) => e.id).sort(),
    );
    await second.close();
  });

  test('no answer within the timeout counts as a failed attempt (TIMEOUT), retried, then dead-lettered', async () => {
    const r = await receiver(() => 'hang');
    const delivery = new WebhookDelivery(
      resolver(() => r.url),
      log,
      { timeoutMs: 100, retryBaseMs: 10, retryMaxDelayMs: 20 },
    );
    const letters: DeadLetterMessage[] = [];
    delivery.setDeadLetterConsumer(collect(letters));
    delivery.enqueue(RULE, target, envelope());
    await waitFor('dead letter', () => (letters.length === 1 ? true : undefined));
    assert.equal(r.requests.length, 3);
    assert.equal(letters[0]?.messageAttributes.ERROR_CODE?.stringValue, 'TIMEOUT');
    assert.equal(
      letters[0]?.messageAttributes.EXHAUSTED_RETRY_CONDITION?.stringValue,
      'MaximumRetryAttempts',
    );
    assert.equal(letters[0]?.messageAttributes.RETRY_ATTEMPTS?.stringValue, '2');
    await delivery.close();
  });

  test('429 is retried; auth: API key header, Basic, OAuth client credentials', async () => {
    const r = await receiver(({ index }) => (index === 0 ? 429 : 200));
    const apiKey = new WebhookDelivery(
      resolver(() => r.url),
      log,
      { retryBaseMs: 10 },
    );
    apiKey.enqueue(RULE, target, envelope());
    await waitFor('delivered', () => (r.delivered().length === 1 ? true : undefined));
    assert.deepEqual(
      r.requests.map((q) => q.status),
      [429, 200],
    );
    assert.equal(r.requests[1]?.headers['x-key'], 'secret-1');
    await apiKey.close();

    const basic = new WebhookDelivery(
      resolver(() => r.url, {
        authorizationType: 'BASIC',
        authParameters: { BasicAuthParameters: { Username: 'csms', Password: 'pw' } },
      }),
      log,
    );
    basic.enqueue(RULE, target, envelope());
    await waitFor('delivered', () => (r.delivered().length === 2 ? true : undefined));
    assert.equal(
      r.requests.at(-1)?.headers.authorization,
      `Basic ${Buffer.from('csms:pw').toString('base64')}`,
    );
    await basic.close();

    const token = await import('node:http').then(
      ({ createServer }) =>
        new Promise<{ url: string; close: () => void; forms: string[] }>((resolve) => {
          const forms: string[] = [];
          const server = createServer((req, res) => {
            let body = '';
            req.on('data', (c: Buffer) => (body += c.toString()));
            req.on('end', () => {
              forms.push(`${req.headers.authorization ?? ''} ${body}`);
              res
                .writeHead(200, { 'content-type': 'application/json' })
                .end(JSON.stringify({ access_token: 'tok-1', expires_in: 3600 }));
            });
          });
          server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as { port: number };
            resolve({ url: `http://127.0.0.1:${port}/token`, close: () => server.close(), forms });
          });
        }),
    );
    const oauth = new WebhookDelivery(
      resolver(() => r.url, {
        authorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        authParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: token.url,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: 'id', ClientSecret: 'sec' },
            OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials' }] },
          },
        },
      }),
      log,
    );
    oauth.enqueue(RULE, target, envelope());
    oauth.enqueue(RULE, target, envelope());
    await waitFor('delivered', () => (r.delivered().length === 4 ? true : undefined));
    assert.equal(r.requests.at(-1)?.headers.authorization, 'Bearer tok-1');
    assert.ok(token.forms.length >= 1 && token.forms.length <= 2);
    assert.equal(
      token.forms[0],
      `Basic ${Buffer.from('id:sec').toString('base64')} grant_type=client_credentials`,
    );
    await oauth.close();
    token.close();
  });
});
