/**
 * Partner webhooks end to end on the local host: subscriptions through the HTTP API, real HTTP
 * delivery to receivers on 127.0.0.1 (EventBridge envelope, auth header), retries, the
 * dead-letter store, redrive and replay, filters. Retry delays are shortened through the host's
 * webhook options; everything else is as `npm start` runs it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EVENTS, type EventType } from '../../shared/events/catalog.js';
import { waitFor } from '../support/commands.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const CP16 = 'WH-CP16';
const CP201 = 'WH-CP201';
const LIMIT = 12;

describe('partner webhooks', () => {
  let h: Harness;
  const receivers: Receiver[] = [];
  const receiver = async (respond?: Receiver['respond']) => {
    const r = await startReceiver(respond);
    receivers.push(r);
    return r;
  };
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await h.api('POST', '/v1/webhooks', body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body as { id: string; [k: string]: unknown };
  };
  const ids = (r: Receiver) => r.delivered().map((e) => e.id as string);

  before(async () => {
    h = await startHarness({
      webhooks: { retryBaseMs: 10, retryMaxDelayMs: 50, timeoutMs: 2000 },
      webhookLimit: LIMIT,
    });
    await h.provision(CP16);
    await h.provision(CP201);
  });
  after(async () => {
    await h.close();
    for (const r of receivers) await r.close();
  });

  test('POST /v1/webhooks: 201 with the subscription and never its secret; GET, PATCH, DELETE', async () => {
    const r = await receiver();
    const created = await subscribe({
      url: r.url,
      eventTypes: ['station.booted.v1'],
      auth: { type: 'basic', username: 'csms', password: 'basic-secret-value' },
      description: 'billing',
    });
    assert.match(created.id, /^[0-9a-f]{16}$/);
    assert.deepEqual(
      { ...created, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        url: r.url,
        eventTypes: ['station.booted.v1'],
        filter: {},
        state: 'enabled',
        auth: { type: 'basic' },
        retry: { maximumRetryAttempts: 185, maximumEventAgeSeconds: 86_400 },
        description: 'billing',
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    const got = await h.api('GET', `/v1/webhooks/${created.id}`);
    assert.equal(got.status, 200);
    assert.ok(!JSON.stringify(got.body).includes('basic-secret-value'));
    const list = await h.api('GET', '/v1/webhooks');
    assert.ok(list.body.items.some((w: { id: string }) => w.id === created.id));
    assert.equal(list.body.limit, LIMIT);
    assert.ok(!JSON.stringify(list.body).includes('basic-secret-value'));

    const patched = await h.api('PATCH', `/v1/webhooks/${created.id}`, {
      state: 'disabled',
      eventTypes: ['station.booted.v1', 'transaction.ended.v1'],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.state, 'disabled');
    assert.deepEqual(patched.body.eventTypes, ['station.booted.v1', 'transaction.ended.v1']);

    assert.equal((await h.api('DELETE', `/v1/webhooks/${created.id}`)).status, 204);
    assert.equal((await h.api('GET', `/v1/webhooks/${created.id}`)).status, 404);
    assert.equal((await h.api('DELETE', `/v1/webhooks/${created.id}`)).status, 404);
  });

  test('bad input: 400 naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ url: 'not a url' }, 'url'],
      [{ url: 'http://partner.example.com/hooks' }, 'url'],
      [{ url: 'ftp://127.0.0.1/hooks' }, 'url'],
      [{ url: 'https://partner.example.com/hooks', eventTypes: ['station.exploded.v1'] }, 'eventTypes.0'],
      [{ url: 'https://partner.example.com/hooks', eventTypes: ['webhook.test.v1'] }, 'eventTypes.0'],
      [
        { url: 'https://partner.example.com/hooks', filter: { detail: { protocol: 'ocpp1.6' } } },
        'filter.detail.protocol',
      ],
      [
        {
          url: 'https://partner.example.com/hooks',
          filter: { detail: { energyWh: [{ numeric: ['>>', 1] }] } },
        },
        'filter.detail.energyWh.0',
      ],
      [{ url: 'https://partner.example.com/hooks', filter: { stationIds: [] } }, 'filter.stationIds'],
      [{ url: 'https://partner.example.com/hooks', auth: { type: 'apiKey', header: 'x-key' } }, 'auth.value'],
      [{ url: 'https://partner.example.com/hooks', auth: { type: 'basic', username: 'u' } }, 'auth.password'],
      [
        { url: 'https://partner.example.com/hooks', retry: { maximumRetryAttempts: 500 } },
        'retry.maximumRetryAttempts',
      ],
      [{ url: 'https://partner.example.com/hooks', secret: 'x' }, 'secret'],
    ];
    for (const [body, field] of cases) {
      const res = await h.api('POST', '/v1/webhooks', body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
      assert.equal(res.body.error.code, 'invalid_request');
      const fields = (res.body.error.fields as { path: string }[]).map((f) => f.path);
      assert.ok(
        fields.includes(field),
        `${JSON.stringify(body)}: fields ${JSON.stringify(fields)}, wanted ${field}`,
      );
    }
    const before = (await h.api('GET', '/v1/webhooks')).body.items.length;
    assert.equal(before, 0, 'no bad request created a subscription');
    const replay = await h.api('POST', '/v1/webhooks/0123456789abcdef/replay', {
      from: 'yesterday',
      to: 'now',
    });
    assert.equal(replay.status, 400);
    assert.equal((await h.api('GET', '/v1/webhooks/0123456789abcdef')).status, 404);
  });

  describe('a full session from a 1.6 and a 2.0.1 station', () => {
    let all: Receiver;
    let onlyCp16: Receiver;
    let only201: Receiver;
    let allId: string;
    let onlyCp16Id: string;
    let windowStart: Date;
    const SECRET = 'partner-api-key-0123456789';

    before(async () => {
      all = await receiver();
      onlyCp16 = await receiver();
      only201 = await receiver();
      allId = (
        await subscribe({ url: all.url, auth: { type: 'apiKey', header: 'x-partner-key', value: SECRET } })
      ).id;
      onlyCp16Id = (await subscribe({ url: onlyCp16.url, filter: { stationIds: [CP16] } })).id;
      await subscribe({ url: only201.url, filter: { detail: { protocol: ['ocpp2.0.1'] } } });
      windowStart = new Date(Math.floor(Date.now() / 1000) * 1000);

      const cp = await h.station(CP16, 'ocpp1.6');
      await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
      await cp.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
      await h.api('POST', '/v1/id-tokens', { idToken: 'WH-TAG' });
      const start = await cp.call('StartTransaction', {
        connectorId: 1,
        idTag: 'WH-TAG',
        meterStart: 1000,
        timestamp: new Date().toISOString(),
      });
      await cp.call('StopTransaction', {
        transactionId: start.transactionId,
        meterStop: 4000,
        timestamp: new Date().toISOString(),
      });
      await cp.close();

      const cs = await h.station(CP201, 'ocpp2.0.1');
      await cs.call('BootNotification', {
        reason: 'PowerUp',
        chargingStation: { model: 'M', vendorName: 'V' },
      });
      await cs.call('StatusNotification', {
        timestamp: new Date().toISOString(),
        connectorStatus: 'Available',
        evseId: 1,
        connectorId: 1,
      });
      const tx = { transactionId: 'WH-TX-1' };
      await cs.call('TransactionEvent', {
        eventType: 'Started',
        timestamp: new Date().toISOString(),
        triggerReason: 'Authorized',
        seqNo: 0,
        transactionInfo: tx,
        evse: { id: 1, connectorId: 1 },
        idToken: { idToken: 'WH-TAG', type: 'ISO14443' },
      });
      await cs.call('TransactionEvent', {
        eventType: 'Ended',
        timestamp: new Date().toISOString(),
        triggerReason: 'StopAuthorized',
        seqNo: 1,
        transactionInfo: { ...tx, stoppedReason: 'Local' },
      });
      await cs.close();
    });

    const published = () =>
      h.host.events.filter(
        (e) => Date.parse(e.time) >= windowStart.getTime() && e['detail-type'] !== 'webhook.test.v1',
      );

    test('every event published reaches the subscriber once, in the EventBridge envelope, schema-valid, with the auth header', async () => {
      const expected = new Set([
        'station.connected.v1',
        'station.booted.v1',
        'connector.status-changed.v1',
        'transaction.started.v1',
        'transaction.ended.v1',
        'station.disconnected.v1',
      ]);
      await waitFor('both sessions at the receiver', () => {
        const got = new Set(
          all
            .delivered()
            .filter((e) => e.detail.stationId === CP201)
            .map((e) => e['detail-type']),
        );
        return [...expected].every((t) => got.has(t)) ? true : undefined;
      });
      await waitFor('every published event', () =>
        published().every((e) => ids(all).includes(e.id)) ? true : undefined,
      );
      const received = all.delivered();
      assert.equal(new Set(ids(all)).size, received.length, 'no event twice');
      for (const stationId of [CP16, CP201]) {
        const types = new Set(
          received.filter((e) => e.detail.stationId === stationId).map((e) => e['detail-type']),
        );
        for (const type of expected) assert.ok(types.has(type), `${stationId}: ${type}`);
      }
      for (const event of received) {
        assert.deepEqual(Object.keys(event).sort(), [
          'account',
          'detail',
          'detail-type',
          'id',
          'region',
          'resources',
          'source',
          'time',
          'version',
        ]);
        assert.equal(event.version, '0');
        assert.equal(event.source, 'csms');
        assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        const schema = EVENTS[event['detail-type'] as EventType];
        assert.ok(schema, event['detail-type']);
        const parsed = schema.safeParse(event.detail);
        assert.ok(parsed.success, `${event['detail-type']}: ${JSON.stringify(parsed.error?.issues)}`);
      }
      for (const request of all.requests) assert.equal(request.headers['x-partner-key'], SECRET);
      assert.equal(all.requests[0]?.headers['content-type'], 'application/json; charset=utf-8');
    });

    test('a station-id filter delivers only that station; a detail filter only matching events', async () => {
      await waitFor('CP16 events', () =>
        onlyCp16.delivered().some((e) => e['detail-type'] === 'station.disconnected.v1') ? true : undefined,
      );
      await waitFor('2.0.1 connected', () => (only201.delivered().length > 0 ? true : undefined));
      const cp16Published = published()
        .filter((e) => e.detail.stationId === CP16)
        .map((e) => e.id);
      await waitFor('all CP16 events', () =>
        cp16Published.every((id) => ids(onlyCp16).includes(id)) ? true : undefined,
      );
      assert.ok(onlyCp16.delivered().every((e) => e.detail.stationId === CP16));
      // Only station.connected.v1 carries `protocol` (and command.completed.v1, none here).
      assert.deepEqual(
        only201.delivered().map((e) => [e['detail-type'], e.detail.stationId, e.detail.protocol]),
        [['station.connected.v1', CP201, 'ocpp2.0.1']],
      );
    });

    test('replay of a window delivers the same events again to that subscriber only', async () => {
      const firstRound = ids(all);
      const cp16Before = onlyCp16.requests.length;
      const to = new Date();
      const res = await h.api('POST', `/v1/webhooks/${allId}/replay`, {
        from: windowStart.toISOString(),
        to: to.toISOString(),
      });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      assert.match(res.body.replayName, /-replay-/);
      const wanted = published()
        .filter((e) => Date.parse(e.time) < to.getTime())
        .map((e) => e.id);
      await waitFor('the replayed events', () => {
        const replayed = all
          .delivered()
          .filter((e) => e['replay-name'] === res.body.replayName)
          .map((e) => e.id);
        return wanted.every((id) => replayed.includes(id)) ? replayed : undefined;
      });
      for (const id of wanted) assert.ok(firstRound.includes(id), 'the same event ids as the first delivery');
      // A marker after the replay: once it arrives, anything the replay sent to others would have too.
      await h.api('POST', `/v1/webhooks/${onlyCp16Id}/test`);
      await waitFor('test event', () =>
        onlyCp16.delivered().some((e) => e['detail-type'] === 'webhook.test.v1') ? true : undefined,
      );
      assert.equal(onlyCp16.requests.length, cp16Before + 1, 'the other subscriber got only its test event');
    });
  });

  test('a disabled subscription receives nothing; enabled again, it receives', async () => {
    const r = await receiver();
    const { id } = await subscribe({ url: r.url });
    assert.equal((await h.api('PATCH', `/v1/webhooks/${id}`, { state: 'disabled' })).status, 200);
    await h.api('POST', `/v1/webhooks/${id}/test`);
    const whileDisabled = h.host.events.at(-1)?.id;
    assert.equal((await h.api('PATCH', `/v1/webhooks/${id}`, { state: 'enabled' })).status, 200);
    await h.api('POST', `/v1/webhooks/${id}/test`);
    const afterwards = h.host.events.at(-1)?.id;
    await waitFor('the second test event', () => (ids(r).includes(afterwards ?? '') ? true : undefined));
    assert.ok(whileDisabled && whileDisabled !== afterwards);
    assert.deepEqual(ids(r), [afterwards], 'the event published while disabled never arrives');
  });

  test('a receiver that fails twice then succeeds gets each event once', async () => {
    const r = await receiver(({ index }) => (index < 2 ? 500 : 200));
    const { id } = await subscribe({ url: r.url });
    const res = await h.api('POST', `/v1/webhooks/${id}/test`);
    assert.equal(res.status, 202);
    await waitFor('delivery', () => (r.delivered().length > 0 ? true : undefined));
    assert.deepEqual(
      r.requests.map((q) => q.status),
      [500, 500, 200],
    );
    assert.equal(new Set(r.requests.map((q) => q.body.id)).size, 1, 'the same event id on every attempt');
    assert.equal(r.delivered()[0].detail.webhookId, id);
    assert.deepEqual((await h.api('GET', `/v1/webhooks/${id}/deliveries`)).body.items, []);
  });

  test('a 4xx other than 401/407/409/429 is not retried: dead-lettered at once', async () => {
    const r = await receiver(() => 400);
    const { id } = await subscribe({ url: r.url });
    await h.api('POST', `/v1/webhooks/${id}/test`);
    const [letter] = await waitFor('dead letter', async () => {
      const items = (await h.api('GET', `/v1/webhooks/${id}/deliveries`)).body.items as any[];
      return items.length > 0 ? items : undefined;
    });
    assert.equal(r.requests.length, 1);
    assert.equal(letter.statusCode, 400);
    assert.equal(letter.attempts, 0);
    assert.equal(letter.errorCode, 'HTTP_CLIENT_ERROR');
  });

  test('a receiver that always fails ends in the dead-letter store, and redrive delivers', async () => {
    const r = await receiver(() => 503);
    const { id } = await subscribe({
      url: r.url,
      retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
    });
    await h.api('POST', `/v1/webhooks/${id}/test`);
    const [letter] = await waitFor('dead letter', async () => {
      const items = (await h.api('GET', `/v1/webhooks/${id}/deliveries`)).body.items as any[];
      return items.length > 0 ? items : undefined;
    });
    assert.equal(r.requests.length, 3, 'the first attempt and 2 retries');
    assert.equal(letter.status, 'dead-lettered');
    assert.equal(letter.eventType, 'webhook.test.v1');
    assert.equal(letter.eventId, r.requests[0]?.body.id);
    assert.equal(letter.statusCode, 503);
    assert.equal(letter.attempts, 2);
    assert.equal(letter.errorCode, 'HTTP_SERVER_ERROR');
    assert.equal(letter.event.detail.webhookId, id);

    r.respond = () => 200;
    const redrive = await h.api('POST', `/v1/webhooks/${id}/redrive`);
    assert.equal(redrive.status, 202, JSON.stringify(redrive.body));
    assert.equal(redrive.body.events, 1);
    await waitFor('redriven delivery', () => (ids(r).includes(letter.eventId) ? true : undefined));
    assert.deepEqual((await h.api('GET', `/v1/webhooks/${id}/deliveries`)).body.items, []);
    const again = await h.api('POST', `/v1/webhooks/${id}/redrive`);
    assert.deepEqual(again.body, { replayName: null, from: null, to: null, events: 0 });
  });

  test('the subscription limit: 409 with the limit', async () => {
    const count = (await h.api('GET', '/v1/webhooks')).body.items.length as number;
    for (let i = count; i < LIMIT; i++) await subscribe({ url: 'https://partner.example.com/hooks' });
    const res = await h.api('POST', '/v1/webhooks', { url: 'https://partner.example.com/hooks' });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.match(res.body.error.message, new RegExp(`${LIMIT}`));
  });
});
