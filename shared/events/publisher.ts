/**
 * Publishes domain events to the one EventBridge bus. The details are typed by the catalog
 * (shared/events/catalog.ts) and checked against it by the local bus in every test and locally,
 * not here: parsing each event on the hot path cost the functions zod (issue 14). A failed entry (FailedEntryCount) is retried, and still failing is an error
 * the caller must not acknowledge: a lost event is a bug.
 */
import {
  PutEventsCommand,
  type EventBridgeClient,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { EVENT_BUS } from '../contract.js';
import type { DomainEvent } from './catalog.js';

export interface EventSink {
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export class EventPublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPublishError';
  }
}

const MAX_ENTRIES = 10;
/** PutEvents takes at most 256 KB per request, entries measured as EventBridge does. */
const MAX_REQUEST_BYTES = 256 * 1024;

/** EventBridge's entry size: 14 bytes for Time plus the UTF-8 bytes of the other fields. */
function sizeOf(entry: PutEventsRequestEntry): number {
  return (
    14 +
    Buffer.byteLength(entry.Source ?? '') +
    Buffer.byteLength(entry.DetailType ?? '') +
    Buffer.byteLength(entry.Detail ?? '') +
    (entry.Resources ?? []).reduce((n, r) => n + Buffer.byteLength(r), 0)
  );
}
const ATTEMPTS = 3;

export class EventBridgePublisher implements EventSink {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    const entries: PutEventsRequestEntry[] = events.map((e) => ({
      EventBusName: this.busName,
      Source: EVENT_BUS.source,
      DetailType: e.type,
      Detail: JSON.stringify(e.detail),
      Resources: [],
    }));
    let batch: PutEventsRequestEntry[] = [];
    let size = 0;
    for (const entry of entries) {
      const entrySize = sizeOf(entry);
      if (batch.length === MAX_ENTRIES || (batch.length > 0 && size + entrySize > MAX_REQUEST_BYTES)) {
        await this.send(batch);
        batch = [];
        size = 0;
      }
      batch.push(entry);
      size += entrySize;
    }
    if (batch.length > 0) await this.send(batch);
  }

  private async send(batch: PutEventsRequestEntry[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const out = await this.client.send(new PutEventsCommand({ Entries: pending }));
      if (!out.FailedEntryCount) return;
      const failed = pending.filter((_, i) => out.Entries?.[i]?.ErrorCode);
      const reasons = (out.Entries ?? [])
        .filter((e) => e.ErrorCode)
        .map((e) => `${e.ErrorCode}: ${e.ErrorMessage ?? ''}`);
      if (attempt === ATTEMPTS || failed.length === 0) {
        throw new EventPublishError(`${out.FailedEntryCount} event(s) not published: ${reasons.join('; ')}`);
      }
      pending = failed;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}
