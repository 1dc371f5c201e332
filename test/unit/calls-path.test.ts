/**
 * The command path (shared/calls/service.ts) against dynalite, with a recording stand-in for the
 * @connections endpoint and a clock the test moves: the one-CALL-at-a-time rule under concurrent
 * submits, answers and sweeps; Gone and failed posts; results kept bounded and once; passwords
 * never stored in clear.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { hashSecret } from '../../shared/auth/secrets.js';
import { MAX_RESULTS, recordCommandResult } from '../../shared/calls/results.js';
import type { StationSender } from '../../shared/calls/sender.js';
import { CommandPath } from '../../shared/calls/service.js';
import { CALLS } from '../../functions/ocpp/calls.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import type { Store } from '../../shared/store/index.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';

/** What the @connections endpoint was asked to post, per connection. */
class RecordingSender implements StationSender {
  readonly frames: { connectionId: string; frame: unknown[] }[] = [];
  behaviour: 'sent' | 'gone' | 'throw' = 'sent';
  async send(connectionId: string, frame: string): Promise<'sent' | 'gone'> {
    if (this.behaviour === 'throw') throw new Error('ThrottlingException');
    if (this.behaviour === 'gone') return 'gone';
    this.frames.push({ connectionId, frame: JSON.parse(frame) as unknown[] });
    return 'sent';
  }
}

const T0 = Date.parse('2025-05-01T10:00:00.000Z');

describe('command path', () => {
  let store: Store;
  let close: () => Promise<void>;
  let sender: RecordingSender;
  let events: RecordingSink;
  let t: number;
  let path: CommandPath;
  let n = 0;

  const clock = () => new Date(t);
  const make = (holdMs?: number) =>
    new CommandPath({
      store,
      events,
      sender,
      calls: CALLS,
      config: { callTimeoutSeconds: 60, queueTtlSeconds: 3600 },
      log: silentLog,
      clock,
      ...(holdMs !== undefined ? { secretHoldMs: holdMs } : {}),
    });

  const station = async (protocol: OcppProtocol = 'ocpp2.0.1'): Promise<string> => {
    const id = `CS-${++n}`;
    await store.stations.create({
      id,
      passwordHash: await hashSecret('old-password-0123456789'),
      now: clock(),
    });
    await store.stations.recordConnected(id, `conn-${id}`, protocol, clock());
    await store.stations.recordBoot(id, 'Accepted', { vendor: 'V', model: 'M' }, clock());
    return id;
  };
  const framesOf = (id: string) =>
    sender.frames.filter((f) => f.connectionId === `conn-${id}`).map((f) => f.frame);
  const answer = (id: string, messageId: string, payload: Record<string, unknown>) =>
    path.handleResponse({ type: 3, id: messageId, payload }, { stationId: id });

  before(async () => {
    ({ store, close } = await startStore());
  });
  after(async () => {
    await close();
  });
  beforeEach(() => {
    sender = new RecordingSender();
    events = new RecordingSink();
    t = T0;
    path = make();
  });

  test('twenty concurrent submits: one CALL at a time, in submission order, each answer sends the next', async () => {
    const id = await station();
    const submitted = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        path.submit({ stationId: id, action: 'ClearCache', payload: {}, idempotencyKey: `k${i}` }, clock()),
      ),
    );
    for (let i = 0; i < 20; i++) {
      const frames = framesOf(id);
      assert.equal(frames.length, i + 1, `after ${i} answers, ${i + 1} CALL(s) sent`);
      const [, messageId] = frames[i] as [number, string];
      assert.equal(await answer(id, messageId, { status: 'Accepted' }), true);
    }
    const created = submitted.map((c) => c.createdAt);
    assert.deepEqual(created, [...created].sort(), 'createdAt follows submission');
    const sentOrder = await Promise.all(
      framesOf(id).map(async (f) => {
        const all = await path.listForStation(id, 50);
        return all.items.find((c) => c.messageId === f[1])?.id;
      }),
    );
    assert.deepEqual(
      sentOrder,
      [...submitted].sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((c) => c.id),
    );
    assert.equal(
      events.events.filter(
        (e) => e.type === 'command.completed.v1' && 'stationId' in e.detail && e.detail.stationId === id,
      ).length,
      20,
    );
    assert.equal((await store.stations.get(id))?.outstandingCall, undefined);
  });

  test('a station answering at once while thirty non-repeatable commands are submitted concurrently: all completed, never two CALLs outstanding', async () => {
    const id = await station();
    let inFlight = 0;
    let maxInFlight = 0;
    const answering: StationSender = {
      send: async (_connectionId, frame) => {
        const [, messageId] = JSON.parse(frame) as [number, string];
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setImmediate(() => {
          inFlight--;
          void answer(id, messageId, { status: 'Accepted' });
        });
        return 'sent';
      },
    };
    path = new CommandPath({
      store,
      events,
      sender: answering,
      calls: CALLS,
      config: { callTimeoutSeconds: 60, queueTtlSeconds: 3600 },
      log: silentLog,
      clock,
    });
    // Other invocations (station messages, the sweep) try to send at the same time.
    let done = false;
    const others = Array.from({ length: 4 }, async () => {
      while (!done) await path.pump(id);
    });
    const submitted = await Promise.all(
      Array.from({ length: 30 }, () =>
        path.submit({ stationId: id, action: 'Reset', payload: { type: 'OnIdle' } }, clock()),
      ),
    );
    for (let round = 0; round < 400; round++) {
      const all = await Promise.all(submitted.map((c) => path.get(c.id)));
      if (all.every((c) => c && c.status !== 'queued' && c.status !== 'sent')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    done = true;
    await Promise.all(others);
    const final = await Promise.all(submitted.map((c) => path.get(c.id)));
    assert.deepEqual(
      final.map((c) => c?.status),
      submitted.map(() => 'completed'),
    );
    assert.equal(maxInFlight, 1);
  });

  test('a sender that read the station before another one took the lock does not mistake the CALL for a lost one', async () => {
    const id = await station();
    sender.behaviour = 'gone';
    const command = await path.submit(
      { stationId: id, action: 'Reset', payload: { type: 'OnIdle' } },
      clock(),
    );
    sender.behaviour = 'sent';
    // B reads the station (no CALL outstanding), then is slow to read the queue ...
    const slowQueue = new Proxy(store.commands, {
      get(target, prop: keyof typeof store.commands) {
        if (prop === 'queue') {
          return async (...args: Parameters<typeof target.queue>) => {
            await new Promise((resolve) => setTimeout(resolve, 150));
            return target.queue(...args);
          };
        }
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const b = new CommandPath({
      store: { ...store, commands: slowQueue },
      events,
      sender,
      calls: CALLS,
      config: { callTimeoutSeconds: 60, queueTtlSeconds: 3600 },
      log: silentLog,
      clock,
    });
    const slow = b.pump(id);
    // ... while C sends the command.
    await path.pump(id);
    assert.equal((await path.get(command.id))?.status, 'sent');
    await slow;
    assert.equal((await path.get(command.id))?.status, 'sent', 'still waiting for its answer');
    assert.equal(framesOf(id).length, 1);
  });

  test('an answer and the sweep racing for the same CALL: one outcome, one event', async () => {
    const id = await station();
    const command = await path.submit({ stationId: id, action: 'ClearCache', payload: {} }, clock());
    const [, messageId] = framesOf(id)[0] as [number, string];
    t += 61_000;
    await Promise.all([answer(id, messageId, { status: 'Accepted' }), path.sweep(clock())]);
    const final = await path.get(command.id);
    assert.ok(final && ['completed', 'timeout'].includes(final.status));
    // (The sweep also times out what earlier tests left unanswered: count this station's only.)
    assert.equal(
      events.events.filter(
        (e) => e.type === 'command.completed.v1' && 'stationId' in e.detail && e.detail.stationId === id,
      ).length,
      1,
    );
    assert.equal((await store.stations.get(id))?.outstandingCall, undefined);
    assert.equal(
      await answer(id, messageId, { status: 'Accepted' }),
      false,
      'a second answer matches nothing',
    );
  });

  test('an answer for no outstanding CALL, or from another station, is not taken', async () => {
    const a = await station();
    const b = await station();
    await path.submit({ stationId: a, action: 'ClearCache', payload: {} }, clock());
    const [, messageId] = framesOf(a)[0] as [number, string];
    assert.equal(await answer(b, messageId, { status: 'Accepted' }), false);
    assert.equal(await answer(a, 'not-a-message-id', { status: 'Accepted' }), false);
  });

  test('Gone: the command stays queued and goes out on the next connection', async () => {
    const id = await station();
    sender.behaviour = 'gone';
    const command = await path.submit({ stationId: id, action: 'ClearCache', payload: {} }, clock());
    assert.equal(command.status, 'queued');
    assert.equal((await store.stations.get(id))?.outstandingCall, undefined, 'lock released');
    sender.behaviour = 'sent';
    await store.stations.recordConnected(id, `conn-${id}`, 'ocpp2.0.1', clock());
    await path.onConnected(id, `conn-${id}`);
    assert.equal(framesOf(id).length, 0, 'nothing is posted from $connect');
    await path.wake(id);
    assert.equal(framesOf(id).length, 1);
    assert.equal((await path.get(command.id))?.status, 'sent');
  });

  test('a failed post is tried again by the sweep half a minute later', async () => {
    const id = await station();
    sender.behaviour = 'throw';
    const command = await path.submit({ stationId: id, action: 'ClearCache', payload: {} }, clock());
    assert.equal(command.status, 'queued');
    sender.behaviour = 'sent';
    await path.sweep(clock());
    assert.equal(framesOf(id).length, 0, 'not due yet');
    t += 31_000;
    await path.sweep(clock());
    assert.equal(framesOf(id).length, 1);
  });

  test('the sweep times out an unanswered CALL (ConnectionLost when the station went away) and a queue past its deadline', async () => {
    const id = await station();
    const first = await path.submit(
      { stationId: id, action: 'Reset', payload: { type: 'Immediate' } },
      clock(),
    );
    const second = await path.submit({ stationId: id, action: 'ClearCache', payload: {} }, clock());
    await store.stations.recordDisconnected(id, `conn-${id}`, clock());
    await path.onDisconnected(id, `conn-${id}`);
    assert.equal((await path.get(first.id))?.status, 'sent', 'a Reset is not requeued');
    t += 61_000;
    await path.sweep(clock());
    const timedOut = await path.get(first.id);
    assert.deepEqual([timedOut?.status, timedOut?.error?.code], ['timeout', 'ConnectionLost']);
    assert.equal((await path.get(second.id))?.status, 'queued');
    t += 3600_000;
    await path.sweep(clock());
    const expired = await path.get(second.id);
    assert.deepEqual([expired?.status, expired?.error?.code], ['timeout', 'Timeout']);
    assert.deepEqual(await store.commands.queue(id, 10), []);
  });

  test('a Rejected station is sent nothing (B03.FR.03); a station that changed version gets no stale payload', async () => {
    const id = await station();
    await store.stations.recordBoot(id, 'Rejected', { vendor: 'V', model: 'M' }, clock());
    const command = await path.submit({ stationId: id, action: 'ClearCache', payload: {} }, clock());
    assert.equal(command.status, 'queued');
    assert.equal(framesOf(id).length, 0);
    await store.stations.recordConnected(id, `conn-${id}`, 'ocpp1.6', clock());
    await store.stations.recordBoot(id, 'Accepted', { vendor: 'V', model: 'M' }, clock());
    await path.pump(id);
    const failed = await path.get(command.id);
    assert.deepEqual([failed?.status, failed?.error?.code], ['failed', 'SendFailed']);
    assert.equal(framesOf(id).length, 0);
  });

  test('results: each message once, the first 100 kept, all counted', async () => {
    const id = await station();
    const command = await path.submit(
      { stationId: id, action: 'GetBaseReport', payload: { requestId: 5, reportBase: 'FullInventory' } },
      clock(),
    );
    const source = { store, stationId: id, now: clock() };
    for (let seqNo = 0; seqNo < MAX_RESULTS + 5; seqNo++) {
      assert.equal(await recordCommandResult(source, 5, 'NotifyReport', { seqNo }, { seqNo }), true);
    }
    assert.equal(await recordCommandResult(source, 5, 'NotifyReport', { seqNo: 3 }, { seqNo: 3 }), false);
    assert.equal(await recordCommandResult(source, 6, 'NotifyReport', { seqNo: 0 }, { seqNo: 0 }), false);
    const stored = await path.get(command.id);
    assert.equal(stored?.results?.length, MAX_RESULTS);
    assert.equal(stored?.resultCount, MAX_RESULTS + 5);
    assert.deepEqual(stored?.results?.[0]?.payload, { seqNo: 0 });
  });

  test('a password command: sent in clear, stored redacted with a hash; it cannot wait in the queue', async () => {
    path = make(300);
    const id = await station();
    const busy = await path.submit({ stationId: id, action: 'ClearCache', payload: {} }, clock());
    const rotation = await path.rotatePassword(id, 'new-password-0123456789', clock());
    assert.equal(rotation.status, 'failed', 'the ClearCache never got its answer');
    assert.equal(rotation.error?.code, 'SendFailed');
    assert.equal(framesOf(id).length, 1);
    const [, messageId] = framesOf(id)[0] as [number, string];
    await answer(id, messageId, { status: 'Accepted' });
    assert.equal((await path.get(busy.id))?.status, 'completed');

    const second = await path.rotatePassword(id, 'newer-password-0123456789', clock());
    assert.equal(second.status, 'sent');
    const [, , action, payload] = framesOf(id)[1] as [number, string, string, Record<string, unknown>];
    assert.equal(action, 'SetVariables');
    assert.match(JSON.stringify(payload), /newer-password-0123456789/);
    const item = await store.commands.get(second.id);
    assert.ok(!JSON.stringify(item).includes('newer-password-0123456789'));
    assert.ok(item?.pendingPasswordHash?.startsWith('scrypt$'));
    await assert.rejects(path.rotatePassword(id, 'short', clock()), /password/);
  });
});
