/** A real store on an in-process dynalite table (the local host's own DynamoDB stand-in). */
import { randomUUID } from 'node:crypto';
import { startDynamo, ensureTable } from '../../infra/local/dynamodb.js';
import { createStore, type Store } from '../../shared/store/index.js';
import type { DomainEvent } from '../../shared/events/catalog.js';
import type { EventSink } from '../../shared/events/publisher.js';
import { EVENTS } from '../../shared/events/catalog.js';
import type { Log } from '../../shared/aws/observability.js';

export async function startStore(): Promise<{ store: Store; close: () => Promise<void> }> {
  const dynamo = await startDynamo();
  const tableName = `t${randomUUID().slice(0, 8)}`;
  await ensureTable(dynamo.client, tableName);
  return { store: createStore({ db: dynamo.documentClient, tableName }), close: () => dynamo.close() };
}

/** Records published events after checking them against the catalog, like the real publisher. */
export class RecordingSink implements EventSink {
  readonly events: DomainEvent[] = [];
  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const e of events) EVENTS[e.type].parse(e.detail);
    this.events.push(...events);
  }
}

export const silentLog: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
