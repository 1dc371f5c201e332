// The local event bus (infra/local/event-bus.ts) with the real EventBridge client: PutEvents
// validation as EventBridge does it, the event envelope, subscribers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  startEventBus,
  summarize,
  type EventEnvelope,
  type LocalEventBus,
} from '../../infra/local/event-bus.js';

describe('local event bus', () => {
  let bus: LocalEventBus;
  let client: EventBridgeClient;
  const received: EventEnvelope[] = [];
  const subscriberErrors: unknown[] = [];

  before(async () => {
    bus = await startEventBus({
      busName: 'csms',
      onSubscriberError: (error) => subscriberErrors.push(error),
    });
    bus.subscribe((event) => void received.push(event));
    client = new EventBridgeClient({
      region: 'us-east-1',
      endpoint: bus.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    client.destroy();
    await bus.close();
  });

  const entry = (overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({
    EventBusName: 'csms',
    Source: 'csms',
    DetailType: 'station.booted',
    Detail: JSON.stringify({ stationId: 'CP-1' }),
    ...overrides,
  });

  test('accepted entries become EventBridge envelopes, delivered in order', async () => {
    received.length = 0;
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Time: new Date('2025-01-02T03:04:05.678Z'), Resources: ['station/CP-1'] }),
          entry({
            DetailType: 'station.connected',
            EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/csms',
          }),
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 0);
    assert.equal(out.Entries?.length, 2);
    assert.deepEqual(
      received.map((e) => e['detail-type']),
      ['station.booted', 'station.connected'],
    );
    const [first] = received;
    assert.deepEqual(first, {
      version: '0',
      id: out.Entries?.[0]?.EventId,
      'detail-type': 'station.booted',
      source: 'csms',
      account: '000000000000',
      time: '2025-01-02T03:04:05Z',
      region: 'us-east-1',
      resources: ['station/CP-1'],
      detail: { stationId: 'CP-1' },
    });
    assert.match(received[1]!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test('invalid entries fail one by one; the others are accepted', async () => {
    received.length = 0;
    const out = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: '[1,2]' }),
          entry({ Detail: 'not json' }),
          entry({ Detail: undefined }),
          entry({ Source: undefined }),
          entry({ DetailType: undefined }),
          entry({ EventBusName: 'other' }),
          entry({ Source: 'aws.ec2' }),
          entry({ DetailType: 'ok' }),
        ],
      }),
    );
    assert.equal(out.FailedEntryCount, 7);
    assert.deepEqual(
      out.Entries?.map((e) => e.ErrorCode ?? 'ok'),
      [
        'MalformedDetail',
        'MalformedDetail',
        'InvalidArgument',
        'InvalidArgument',
        'InvalidArgument',
        'ResourceNotFoundException',
        'NotAuthorizedForSourceException',
        'ok',
      ],
    );
    assert.ok(
      out.Entries?.slice(0, 7).every((e) => e.EventId === undefined && typeof e.ErrorMessage === 'string'),
    );
    assert.deepEqual(
      received.map((e) => e['detail-type']),
      ['ok'],
    );
  });

  test('more than 10 entries, or over 256 KB in total, fail the whole request', async () => {
    await assert.rejects(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
      { name: 'ValidationException' },
    );
    const big = JSON.stringify({ stationId: 'CP-1', blob: 'x'.repeat(100 * 1024) });
    await assert.rejects(
      client.send(
        new PutEventsCommand({
          Entries: [entry({ Detail: big }), entry({ Detail: big }), entry({ Detail: big })],
        }),
      ),
      { name: 'ValidationException' },
    );
  });

  test('a failing subscriber does not stop the others', async () => {
    received.length = 0;
    const remove = bus.subscribe(() => {
      throw new Error('subscriber failed');
    });
    const removeAsync = bus.subscribe(async () => {
      throw new Error('async subscriber failed');
    });
    try {
      const out = await client.send(new PutEventsCommand({ Entries: [entry()] }));
      assert.equal(out.FailedEntryCount, 0);
      assert.equal(received.length, 1);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(subscriberErrors.length, 2);
    } finally {
      remove();
      removeAsync();
    }
  });

  test('summary line', () => {
    assert.equal(
      summarize({ ...received[0]!, 'detail-type': 'station.booted', detail: { stationId: 'CP-1' } }),
      'event station.booted CP-1',
    );
    assert.equal(
      summarize({ ...received[0]!, 'detail-type': 'rollout.progress', detail: {} }),
      'event rollout.progress',
    );
  });
});
