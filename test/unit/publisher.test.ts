/** The EventBridge publisher against the local host's PutEvents endpoint (a real SDK client). */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { startEventBus, type EventEnvelope, type LocalEventBus } from '../../infra/local/event-bus.js';
import { EventBridgePublisher, EventPublishError } from '../../shared/events/publisher.js';
import type { DomainEvent } from '../../shared/events/catalog.js';

let bus: LocalEventBus;
const received: EventEnvelope[] = [];
let client: EventBridgeClient;
before(async () => {
  bus = await startEventBus({ busName: 'csms' });
  bus.subscribe((e) => {
    received.push(e);
  });
  client = new EventBridgeClient({
    region: 'us-east-1',
    endpoint: bus.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});
after(async () => {
  client.destroy();
  await bus.close();
});

const meter = (i: number, bytes: number): DomainEvent => ({
  type: 'meter.values.v1',
  detail: {
    stationId: 'S',
    occurredAt: '2026-01-01T00:00:00.000Z',
    evseId: i,
    samples: [{ timestamp: '2026-01-01T00:00:00.000Z', measurand: 'x'.repeat(bytes), unit: 'Wh', value: i }],
  },
});

test('publishes every event, in order, in as many PutEvents calls as the 10-entry and 256 KB limits need', async () => {
  const start = received.length;
  const events = [
    ...Array.from({ length: 12 }, (_, i) => meter(i, 10)),
    meter(100, 150_000),
    meter(101, 150_000),
  ];
  await new EventBridgePublisher(client, 'csms').publish(events);
  const got = received.slice(start);
  assert.deepEqual(
    got.map((e) => (e.detail as { evseId: number }).evseId),
    events.map((e) => (e.detail as { evseId: number }).evseId),
  );
});

// Issue 14: the functions no longer parse each event with zod before PutEvents; the local bus
// checks every csms event against the catalog, so every test still refuses an off-catalog event.
test('a detail that breaks the catalog, or has fields it does not describe, is refused by the local bus', async () => {
  const start = received.length;
  const bad = { type: 'meter.values.v1', detail: { stationId: 'S' } } as unknown as DomainEvent;
  await assert.rejects(new EventBridgePublisher(client, 'csms').publish([bad]), /does not match the catalog/);
  const extra = meter(1, 1);
  const withExtra = { ...extra, detail: { ...extra.detail, surprise: true } } as unknown as DomainEvent;
  await assert.rejects(
    new EventBridgePublisher(client, 'csms').publish([withExtra]),
    /fields the catalog does not describe/,
  );
  assert.equal(received.length, start, 'nothing delivered');
});

test('entries EventBridge refuses are an error, not silently lost (FailedEntryCount)', async () => {
  await assert.rejects(
    new EventBridgePublisher(client, 'no-such-bus').publish([meter(1, 1)]),
    EventPublishError,
  );
});
