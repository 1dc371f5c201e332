/**
 * Issue 7 defect 15: status ties. A station that pipelines CALLs (1.6 StatusNotifications
 * without a timestamp, sent back to back) gets both handled concurrently; the earlier one must
 * never overwrite the later (1.6 §4.9 / §6.47: without a timestamp, the time of receipt). The
 * order key is the gateway's arrival: API Gateway's requestTimeEpoch (ms), and on the local
 * host also the message's place on its connection. Real routes, real (dynalite) store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch, type DispatchDeps, type StationRef } from '../../functions/ocpp/dispatcher.js';
import { ROUTES } from '../../functions/ocpp/routes.js';
import { readConfig } from '../../shared/aws/config.js';
import type { Store } from '../../shared/store/index.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
before(async () => ({ store, close } = await startStore()));
after(() => close());

function deps(clock: () => Date): DispatchDeps {
  return {
    routes: ROUTES,
    store,
    events: new RecordingSink(),
    config: readConfig({ CSMS_TABLE_NAME: 'x', CSMS_EVENT_BUS_NAME: 'x' }),
    log: silentLog,
    clock,
  };
}

const status = (id: string, value: string): string =>
  JSON.stringify([2, id, 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: value }]);

async function stored(stationId: string): Promise<string | undefined> {
  return (await store.connectors.list(stationId)).find((c) => c.evseId === 1)?.status;
}

describe('1.6 StatusNotification ties are broken by arrival order (issue 7 defect 15)', () => {
  test('same millisecond: the later arrival wins even when the earlier one is handled last (local host)', async () => {
    const stationId = 'TIE-LOCAL';
    await store.stations.create({ id: stationId, passwordHash: 'h', now: new Date() });
    const ref = (sequence: number): StationRef => ({
      stationId,
      protocol: 'ocpp1.6',
      connectionId: 'c1',
      registrationAtConnect: 'Accepted',
      arrival: { epochMs: Date.parse('2026-05-01T10:00:00.123Z'), sequence },
    });
    const d = deps(() => new Date('2026-05-01T10:00:00.200Z'));
    // Sent: Unavailable (0), then Preparing (1). Handled: Preparing first.
    assert.deepEqual(JSON.parse((await dispatch(status('b', 'Preparing'), ref(1), d)).reply!), [3, 'b', {}]);
    assert.deepEqual(JSON.parse((await dispatch(status('a', 'Unavailable'), ref(0), d)).reply!), [
      3,
      'a',
      {},
    ]);
    assert.equal(await stored(stationId), 'Preparing');
  });

  test("AWS: the time of receipt is the gateway's (requestTimeEpoch), not when a late instance got to it", async () => {
    const stationId = 'TIE-AWS';
    await store.stations.create({ id: stationId, passwordHash: 'h', now: new Date() });
    const ref = (epochMs: number): StationRef => ({
      stationId,
      protocol: 'ocpp1.6',
      connectionId: 'c1',
      registrationAtConnect: 'Accepted',
      arrival: { epochMs },
    });
    let clock = Date.parse('2026-05-01T10:00:01.000Z');
    const d = deps(() => new Date((clock += 5)));
    const t = Date.parse('2026-05-01T10:00:00.500Z');
    // Received: Unavailable at t, Preparing at t + 1 ms; handled the other way round.
    await dispatch(status('b', 'Preparing'), ref(t + 1), d);
    await dispatch(status('a', 'Unavailable'), ref(t), d);
    assert.equal(await stored(stationId), 'Preparing');
    const connector = (await store.connectors.list(stationId)).find((c) => c.evseId === 1);
    assert.equal(connector?.statusAt, new Date(t + 1).toISOString());
  });
});
