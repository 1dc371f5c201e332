/** The dispatcher's own guarantees, with a test route table on a real (dynalite) store. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch, type DispatchDeps, type StationRef } from '../../functions/ocpp/dispatcher.js';
import type { AnyRoute } from '../../functions/ocpp/context.js';
import { readConfig } from '../../shared/aws/config.js';
import type { Log } from '../../shared/aws/observability.js';
import type { DomainEvent } from '../../shared/events/catalog.js';
import type { Store } from '../../shared/store/index.js';
import { startStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
before(async () => ({ store, close } = await startStore()));
after(() => close());

const station: StationRef = {
  stationId: 'D1',
  protocol: 'ocpp2.0.1',
  connectionId: 'c',
  registrationAtConnect: 'Accepted',
};

function deps(
  route: AnyRoute,
  publish: (events: readonly DomainEvent[]) => Promise<void>,
  lines: unknown[][],
): DispatchDeps {
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push([level, ...args]);
    };
  const log = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  } as Log;
  return {
    routes: { 'ocpp1.6': {}, 'ocpp2.0.1': { Heartbeat: route }, 'ocpp2.1': {} },
    store,
    events: { publish },
    config: readConfig({ CSMS_TABLE_NAME: 'x', CSMS_EVENT_BUS_NAME: 'x' }),
    log,
    clock: () => new Date('2026-01-01T00:00:00Z'),
  };
}

const heartbeat = '[2,"msg-1","Heartbeat",{}]';
const detail = {
  stationId: 'D1',
  occurredAt: '2026-01-01T00:00:00.000Z',
  type: 'X',
  origin: 'csms' as const,
  critical: false,
};

test("a handler's log lines carry the station, the message id and the action", async () => {
  const lines: unknown[][] = [];
  const route: AnyRoute = {
    handle: async (ctx) => {
      ctx.log.info('handled', { extra: 1 });
      return { currentTime: '2026-01-01T00:00:00.000Z' };
    },
  };
  const out = await dispatch(
    heartbeat,
    station,
    deps(route, async () => {}, lines),
  );
  assert.equal(out.reply, '[3,"msg-1",{"currentTime":"2026-01-01T00:00:00.000Z"}]');
  assert.deepEqual(lines, [
    ['info', 'handled', { stationId: 'D1', messageId: 'msg-1', action: 'Heartbeat' }, { extra: 1 }],
  ]);
});

test('events are published before the reply, and afterPublish writes run only once they are out', async () => {
  const order: string[] = [];
  const route: AnyRoute = {
    handle: async (ctx) => {
      ctx.emit('security.event.v1', detail);
      ctx.afterPublish(async () => {
        order.push('marker');
      });
      return { currentTime: '2026-01-01T00:00:00.000Z' };
    },
  };
  const ok = await dispatch(
    heartbeat,
    station,
    deps(route, async () => void order.push('publish'), []),
  );
  assert.deepEqual(order, ['publish', 'marker']);
  assert.equal(JSON.parse(ok.reply ?? '[]')[0], 3);

  order.length = 0;
  const failing = await dispatch(
    heartbeat,
    station,
    deps(route, async () => {
      throw new Error('EventBridge is down');
    }, []),
  );
  // Not acknowledged: the station retries, and the marker was not written, so the retry publishes.
  assert.deepEqual(order, []);
  assert.deepEqual(JSON.parse(failing.reply ?? '[]').slice(0, 3), [4, 'msg-1', 'InternalError']);
});

test('a handler response that breaks the schema is never sent: InternalError instead', async () => {
  const route: AnyRoute = { handle: async () => ({ currentTime: 'not a date' }) };
  const lines: unknown[][] = [];
  const out = await dispatch(
    heartbeat,
    station,
    deps(route, async () => {}, lines),
  );
  assert.deepEqual(JSON.parse(out.reply ?? '[]').slice(0, 3), [4, 'msg-1', 'InternalError']);
  assert.ok(lines.some(([level]) => level === 'error'));
});

test('an unexpected error reaches the station as a generic InternalError, details only in the log', async () => {
  const route: AnyRoute = {
    handle: async () => {
      throw new Error('secret internal detail');
    },
  };
  const lines: unknown[][] = [];
  const out = await dispatch(
    heartbeat,
    station,
    deps(route, async () => {}, lines),
  );
  assert.ok(out.reply && !out.reply.includes('secret internal detail'));
  assert.ok(
    JSON.stringify(lines, (_k, v: unknown) => (v instanceof Error ? v.message : v)).includes(
      'secret internal detail',
    ),
  );
});
