/**
 * Narrow ports (issue 8): a station handler declares the store capabilities it uses as its Route's
 * third type argument and receives only those. Here the declared handlers run against a context
 * whose store holds nothing but their ports (real dynalite stores); touching another port would
 * throw. The compile-time half is checked by `npm run typecheck`: the `@ts-expect-error` lines
 * below fail it the day an undeclared port stops being refused.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HandlerContext, Route, RouteTable, StorePort } from '../../functions/ocpp/context.js';
import { authorize as authorize16 } from '../../functions/ocpp/v16/authorize.js';
import { statusNotification as statusNotification201 } from '../../functions/ocpp/v201/status-notification.js';
import { readConfig } from '../../shared/aws/config.js';
import type { DomainEvent } from '../../shared/events/catalog.js';
import type { Methods } from '../../shared/ocpp/generated/v16/types.js';
import type { Store } from '../../shared/store/index.js';
import { silentLog, startStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
before(async () => ({ store, close } = await startStore()));
after(() => close());

const now = new Date('2026-01-01T00:00:00Z');

/** A handler context whose store has exactly `ports` (nothing else exists at run time). */
function contextWith<P extends StorePort>(
  ports: readonly P[],
  events: DomainEvent[],
  stationId: string,
): HandlerContext<P> {
  const narrow = Object.fromEntries(ports.map((p) => [p, store[p]])) as Pick<Store, P>;
  return {
    stationId,
    protocol: 'ocpp1.6',
    messageId: 'm1',
    connectionId: 'c1',
    now,
    receivedAt: now,
    arrival: '0001',
    store: narrow,
    config: readConfig({ CSMS_TABLE_NAME: 'x', CSMS_EVENT_BUS_NAME: 'x' }),
    log: silentLog,
    station: async () => undefined,
    emit: (type, detail) => events.push({ type, detail } as DomainEvent),
    afterPublish: () => {},
    afterReply: () => {},
    // Smart-charging seams no handler tested here reaches: they refuse if one ever does.
    evseLimits: { limitFor: () => Promise.reject(new Error('not a declared port')) },
    contractCertificates: {
      get15118EvCertificate: () => Promise.reject(new Error('not a declared port')),
      certificateStatus: () => Promise.reject(new Error('not a declared port')),
    },
  };
}

test('1.6 Authorize runs on its declared ports only (idTokens, commands): a known idTag is Accepted', async () => {
  await store.idTokens.put({
    idToken: 'TAG-P1',
    type: 'ISO14443',
    status: 'Accepted',
    createdAt: now.toISOString(),
  });
  const events: DomainEvent[] = [];
  const ctx = contextWith(['idTokens', 'commands'], events, 'PORTS-1');
  assert.deepEqual(await authorize16.handle(ctx, { idTag: 'TAG-P1' }), { idTagInfo: { status: 'Accepted' } });
  assert.deepEqual(
    events.map((e) => e.type),
    ['authorization.decided.v1'],
  );
});

test('2.0.1 StatusNotification runs on its declared ports only (connectors, transactions): the status is stored', async () => {
  const events: DomainEvent[] = [];
  const ctx = contextWith(['connectors', 'transactions'], events, 'PORTS-2');
  const reply = await statusNotification201.handle(ctx, {
    timestamp: now.toISOString(),
    connectorStatus: 'Occupied',
    evseId: 1,
    connectorId: 1,
  });
  assert.deepEqual(reply, {});
  const statuses = await store.connectors.list('PORTS-2');
  assert.deepEqual(
    statuses.map((s) => [s.evseId, s.connectorId, s.status]),
    [[1, 1, 'Occupied']],
  );
  assert.deepEqual(
    events.map((e) => e.type),
    ['connector.status-changed.v1'],
  );
});

// ---- compile-time: what the type checker refuses and accepts (npm run typecheck) ----------------

export const declared: Route<{ idTag: string }, { ok: boolean }, 'idTokens'> = {
  async handle(ctx, req) {
    const token = await ctx.store.idTokens.findAnyType(req.idTag);
    // @ts-expect-error transactions is not a declared port of this handler
    await ctx.store.transactions.get(ctx.stationId, 'T1');
    return { ok: token !== undefined };
  },
};

/** An old-style handler, typed without ports, still sees the whole Store and fits a route table. */
export const oldStyle: Route<Methods['Heartbeat']['request'], Methods['Heartbeat']['response']> = {
  async handle(ctx) {
    await ctx.store.stations.get(ctx.stationId);
    return { currentTime: ctx.now.toISOString() };
  },
};
export const table: RouteTable<Methods> = { Heartbeat: oldStyle };

/** A helper declares its ports too; a handler with fewer cannot call it. */
async function needsTransactions(ctx: HandlerContext<'transactions'>): Promise<void> {
  await ctx.store.transactions.get(ctx.stationId, 'T1');
}
export const tooFew: Route<object, object, 'idTokens'> = {
  async handle(ctx) {
    // @ts-expect-error the helper needs transactions, which this handler did not declare
    await needsTransactions(ctx);
    return {};
  },
};
