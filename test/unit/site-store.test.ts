/**
 * Sites against dynalite: a station's claim is a conditional write (two sites claiming one station
 * at once: exactly one wins, the loser leaves nothing behind), and the recompute lease never lets
 * two recomputes of one site overlap nor loses a request (docs/adr/0013-site-load-management.md).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Site } from '../../shared/domain/sites.js';
import { SiteConflictError } from '../../shared/store/sites.js';
import type { Store } from '../../shared/store/index.js';
import { dueForSchedule, requestRecompute, type SiteDeps } from '../../functions/sites/service.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';

const site = (id: string, stationIds: string[]): Site => ({
  id,
  name: id,
  limit: { value: 32, unit: 'A' },
  stationIds,
  minimumPolicy: 'minimum',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('site store', () => {
  let store: Store;
  let close: () => Promise<void>;

  before(async () => {
    ({ store, close } = await startStore());
  });
  after(async () => {
    await close();
  });

  test('two sites claiming one station at once: exactly one wins; the loser leaves no site and no claim', async () => {
    for (let round = 0; round < 10; round++) {
      const shared = `ST-${round}`;
      const results = await Promise.allSettled([
        store.sites.create(site(`a-${round}`, [`A-${round}`, shared])),
        store.sites.create(site(`b-${round}`, [`B-${round}`, shared])),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      assert.equal(won.length, 1, `round ${round}`);
      assert.ok((lost[0] as PromiseRejectedResult).reason instanceof SiteConflictError);
      const winner = results[0].status === 'fulfilled' ? 'a' : 'b';
      const loser = winner === 'a' ? 'b' : 'a';
      assert.equal(await store.sites.siteOf(shared), `${winner}-${round}`);
      assert.equal(await store.sites.get(`${loser}-${round}`), undefined);
      assert.equal(await store.sites.siteOf(`${loser.toUpperCase()}-${round}`), undefined);
    }
  });

  test('the lease: 30 concurrent requests, never two recomputes at once, and every request followed by a run', async () => {
    await store.sites.create(site('leased', []));
    let clock = 0;
    let active = 0;
    let most = 0;
    const runStarts: number[] = [];
    const deps: SiteDeps = {
      store,
      table: undefined as never, // the work below reads nothing
      commands: { submit: () => Promise.reject(new Error('not used')) },
      events: new RecordingSink(),
      clock: () => new Date(),
      log: silentLog,
    };
    const work = async () => {
      active++;
      most = Math.max(most, active);
      runStarts.push(++clock);
      await delay(5);
      active--;
    };
    const issued: number[] = [];
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        await delay(i % 7);
        issued.push(++clock);
        await requestRecompute('leased', deps, work);
      }),
    );
    assert.equal(most, 1);
    assert.ok(runStarts.length >= 1 && runStarts.length <= 30, `${runStarts.length} runs`);
    for (const at of issued) {
      assert.ok(
        runStarts.some((start) => start > at),
        `request at ${at} has no run after it`,
      );
    }
    // Released at the end: the next request runs at once.
    const before = runStarts.length;
    await requestRecompute('leased', deps, work);
    assert.equal(runStarts.length, before + 1);
  });

  test('the minute tick: a site is due when the limit in force differs from its last allocation (a window began or ended)', async () => {
    await store.sites.create({
      ...site('solar', []),
      schedule: { timeZone: 'UTC', windows: [{ from: '10:00', to: '16:00', value: 48 }] },
    });
    let now = new Date('2026-06-01T09:59:00Z');
    const deps = {
      store,
      table: undefined as never,
      commands: { submit: () => Promise.reject(new Error('not used')) },
      events: new RecordingSink(),
      clock: () => now,
    } satisfies SiteDeps;
    const due = async () => (await dueForSchedule(deps)).filter((id) => id === 'solar');
    assert.deepEqual(await due(), ['solar']); // never computed
    await store.sites.putAllocation({
      siteId: 'solar',
      limit: 32,
      unit: 'A',
      evses: [],
      computedAt: now.toISOString(),
    });
    assert.deepEqual(await due(), []);
    now = new Date('2026-06-01T10:00:00Z'); // the window begins
    assert.deepEqual(await due(), ['solar']);
    await store.sites.putAllocation({
      siteId: 'solar',
      limit: 48,
      unit: 'A',
      evses: [],
      computedAt: now.toISOString(),
    });
    assert.deepEqual(await due(), []);
    now = new Date('2026-06-01T16:00:00Z'); // and ends
    assert.deepEqual(await due(), ['solar']);
  });
});
