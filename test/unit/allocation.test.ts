/**
 * The site allocator (shared/domain/allocation.ts) and the time-of-use limit (shared/domain/sites.ts):
 * examples, and properties over random sites: never above the limit, never below a minimum, fair
 * within 1 A between sessions of one priority.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { allocate, type AllocationSession } from '../../shared/domain/allocation.js';
import { limitAt, overlappingWindows } from '../../shared/domain/sites.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 8, minute)).toISOString();
const session = (key: string, minute: number, extra: Partial<AllocationSession> = {}): AllocationSession => ({
  key,
  minimum: 6,
  startedAt: at(minute),
  ...extra,
});

describe('allocate', () => {
  test('three sessions on a 32 A site: 10.6 A each (one decimal, rounded down)', () => {
    const shares = allocate({
      limit: 32,
      unit: 'A',
      policy: 'minimum',
      sessions: [session('a', 0), session('b', 1), session('c', 2)],
    });
    assert.deepEqual(
      shares.map((s) => [s.key, s.value, s.reason]),
      [
        ['a', 10.6, 'fair-share'],
        ['b', 10.6, 'fair-share'],
        ['c', 10.6, 'fair-share'],
      ],
    );
  });

  test('a session capped at its maximum leaves the rest to the others', () => {
    const shares = allocate({
      limit: 32,
      unit: 'A',
      policy: 'minimum',
      sessions: [session('a', 0, { maximum: 8 }), session('b', 1), session('c', 2)],
    });
    assert.deepEqual(
      shares.map((s) => [s.value, s.reason]),
      [
        [8, 'maximum'],
        [12, 'fair-share'],
        [12, 'fair-share'],
      ],
    );
  });

  test('K03.FR.04: a higher priority is fulfilled first; the others keep their minimum', () => {
    const shares = allocate({
      limit: 32,
      unit: 'A',
      policy: 'minimum',
      sessions: [session('low', 0), session('high', 1, { priority: 5, maximum: 16 }), session('low2', 2)],
    });
    assert.deepEqual(
      shares.map((s) => [s.key, s.value, s.reason]),
      [
        ['low', 8, 'fair-share'],
        ['high', 16, 'maximum'],
        ['low2', 8, 'fair-share'],
      ],
    );
  });

  test('site full (minimums do not fit): policy wait keeps the first come; policy minimum serves the newest', () => {
    const sessions = [session('first', 0), session('second', 1), session('third', 2)];
    const wait = allocate({ limit: 14, unit: 'A', policy: 'wait', sessions });
    assert.deepEqual(
      wait.map((s) => [s.key, s.value, s.reason]),
      [
        ['first', 7, 'fair-share'],
        ['second', 7, 'fair-share'],
        ['third', 0, 'waiting'],
      ],
    );
    const minimum = allocate({ limit: 14, unit: 'A', policy: 'minimum', sessions });
    assert.deepEqual(
      minimum.map((s) => [s.key, s.value, s.reason]),
      [
        ['first', 0, 'waiting'],
        ['second', 7, 'fair-share'],
        ['third', 7, 'fair-share'],
      ],
    );
  });

  test('in W: the limit is shared in W, minimums in W', () => {
    const shares = allocate({
      limit: 22_080,
      unit: 'W',
      policy: 'minimum',
      sessions: [session('a', 0, { minimum: 4140 }), session('b', 1, { minimum: 4140 })],
    });
    assert.deepEqual(
      shares.map((s) => s.value),
      [11_040, 11_040],
    );
  });

  const sessions = fc
    .uniqueArray(
      fc.record({
        key: fc.string({ minLength: 1, maxLength: 6 }),
        minimum: fc.integer({ min: 0, max: 160 }).map((n) => n / 10),
        maximum: fc.option(
          fc.integer({ min: 10, max: 800 }).map((n) => n / 10),
          { nil: undefined },
        ),
        priority: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
        startedAt: fc.integer({ min: 0, max: 600 }).map(at),
      }),
      { selector: (s) => s.key, maxLength: 12 },
    )
    .map((list) => list as AllocationSession[]);
  const input = fc.record({
    limit: fc.integer({ min: 0, max: 2000 }).map((n) => n / 10),
    unit: fc.constant('A' as const),
    policy: fc.constantFrom('minimum' as const, 'wait' as const),
    sessions,
  });

  test('property: never above the site limit', () => {
    fc.assert(
      fc.property(input, (i) => {
        const total = allocate(i).reduce((sum, s) => sum + s.value, 0);
        assert.ok(total <= i.limit + 1e-6, `${total} > ${i.limit}`);
      }),
      { numRuns: 2000 },
    );
  });

  test('property: never below a minimum (a session charges at its minimum or more, or waits at 0)', () => {
    fc.assert(
      fc.property(input, (i) => {
        for (const [n, share] of allocate(i).entries()) {
          const s = i.sessions[n]!;
          if (share.reason === 'waiting') assert.equal(share.value, 0);
          else assert.ok(share.value + 1e-9 >= s.minimum, `${share.value} < minimum ${s.minimum}`);
          if (s.maximum !== undefined && share.reason !== 'waiting' && s.maximum >= s.minimum) {
            assert.ok(share.value <= s.maximum + 1e-9, `${share.value} > maximum ${s.maximum}`);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('property: fair within 1 A between uncapped sessions of one priority above their minimums', () => {
    fc.assert(
      fc.property(input, (i) => {
        const shares = allocate(i);
        const fair = shares
          .map((share, n) => ({ share, s: i.sessions[n]! }))
          .filter(({ share }) => share.reason === 'fair-share');
        for (const a of fair) {
          for (const b of fair) {
            if ((a.s.priority ?? 0) !== (b.s.priority ?? 0)) continue;
            assert.ok(Math.abs(a.share.value - b.share.value) <= 1, `${a.share.value} vs ${b.share.value}`);
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  test('property: the limit is used when the sessions can take it (no capacity left idle)', () => {
    fc.assert(
      fc.property(input, (i) => {
        const shares = allocate(i);
        const admitted = shares.filter((s) => s.reason !== 'waiting');
        const canTakeMore = admitted.some((s) => s.reason === 'fair-share' || s.reason === 'minimum');
        if (!canTakeMore || admitted.every((s) => s.reason === 'maximum')) return;
        const total = shares.reduce((sum, s) => sum + s.value, 0);
        // Rounding down to 0.1 loses at most 0.1 per session.
        const uncappedOrMin = shares.filter((s) => s.reason !== 'maximum' && s.reason !== 'waiting').length;
        if (shares.some((s) => s.reason === 'fair-share')) {
          assert.ok(total >= i.limit - 0.1 * uncappedOrMin - 1e-6, `${total} of ${i.limit}`);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('time-of-use limits', () => {
  const site = {
    limit: { value: 32, unit: 'A' as const },
    schedule: {
      timeZone: 'Europe/Paris',
      windows: [
        { from: '10:00', to: '16:00', value: 63 },
        { from: '22:00', to: '06:00', value: 48 },
      ],
    },
  };

  test('the window holding the local time replaces the limit; outside, the site limit', () => {
    // Paris is UTC+1 in January.
    assert.deepEqual(limitAt(site, new Date('2026-01-10T09:00:00Z')).value, 63); // 10:00 local
    assert.deepEqual(limitAt(site, new Date('2026-01-10T14:59:00Z')).value, 63); // 15:59
    assert.deepEqual(limitAt(site, new Date('2026-01-10T15:00:00Z')).value, 32); // 16:00: ended
    assert.deepEqual(limitAt(site, new Date('2026-01-10T23:30:00Z')).value, 48); // 00:30, past midnight
    assert.deepEqual(limitAt(site, new Date('2026-01-10T05:00:00Z')).value, 32); // 06:00
  });

  test('overlapping windows are found', () => {
    assert.deepEqual(
      overlappingWindows([
        { from: '10:00', to: '16:00', value: 1 },
        { from: '15:00', to: '17:00', value: 1 },
      ]),
      [0, 1],
    );
    assert.equal(overlappingWindows(site.schedule.windows), undefined);
  });
});
