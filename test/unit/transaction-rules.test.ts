/**
 * The transaction rules (shared/domain/transactions.ts) as properties: the billing numbers
 * (start, stop, energy) never depend on arrival order, list position or timestamp ties, are
 * never negative, and an Ended is final.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Sample } from '../../shared/domain/meter-values.js';
import {
  energyBetween,
  isFinal,
  lastReading,
  sameEvent,
  totals16,
  totals2,
  type TxEventContent,
  type TxEventData,
} from '../../shared/domain/transactions.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const iso = (ms: number): string => new Date(T0 + ms).toISOString();
const wh = (value: number, timestamp: string, context?: string): Sample => ({
  timestamp,
  measurand: 'Energy.Active.Import.Register',
  value,
  unit: 'Wh',
  ...(context ? { context } : {}),
});

/** A transaction as a station reports it: Begin, periodic readings counting up, End. */
const session = fc.record({
  begin: fc.integer({ min: 0, max: 1e9 }),
  steps: fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 6 }),
  /** 0: every reading in the same millisecond (defect 18); otherwise spread in time. */
  spacingMs: fc.constantFrom(0, 0, 1, 60_000),
  /** All readings in one Ended event (a station that sends its meter data at the end). */
  oneEvent: fc.boolean(),
  seed: fc.integer(),
});

function eventsOf(s: SessionValue): TxEventData[] {
  const values = [s.begin];
  for (const step of s.steps) values.push((values[values.length - 1] ?? 0) + step);
  const end = (values[values.length - 1] ?? 0) + 1;
  const at = (i: number) => iso(i * s.spacingMs);
  const begin = wh(s.begin, at(0), 'Transaction.Begin');
  const periodic = values.slice(1).map((v, i) => wh(v, at(i + 1), 'Sample.Periodic'));
  const stop = wh(end, at(values.length), 'Transaction.End');
  if (s.oneEvent) {
    return [
      { seqNo: 0, eventType: 'Ended', timestamp: at(values.length), samples: [stop, ...periodic, begin] },
    ];
  }
  return [
    { seqNo: 0, eventType: 'Started', timestamp: at(0), samples: [begin] },
    ...periodic.map((p, i) => ({
      seqNo: i + 1,
      eventType: 'Updated' as const,
      timestamp: p.timestamp,
      samples: [p],
    })),
    { seqNo: values.length, eventType: 'Ended', timestamp: at(values.length), samples: [stop] },
  ];
}
interface SessionValue {
  begin: number;
  steps: number[];
  spacingMs: number;
  oneEvent: boolean;
  seed: number;
}
const endOf = (s: SessionValue): number => s.begin + s.steps.reduce((a, b) => a + b, 0) + 1;

/** A deterministic shuffle of events and of the samples inside each. */
function shuffled(events: readonly TxEventData[], seed: number): TxEventData[] {
  let x = seed | 0 || 1;
  const rand = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  const shuffle = <T>(list: readonly T[]): T[] => {
    const out = [...list];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  };
  return shuffle(events).map((e) => ({ ...e, samples: shuffle(e.samples) }));
}

describe('transaction rules (shared/domain/transactions.ts)', () => {
  test('defect 18 (E01.FR.09 / E06.FR.11): 1000 Begin, 2500, 4000, 5500 End in one millisecond give 4500 Wh', () => {
    const t = iso(0);
    const events: TxEventData[] = [
      { seqNo: 0, eventType: 'Started', timestamp: t, samples: [wh(1000, t, 'Transaction.Begin')] },
      { seqNo: 1, eventType: 'Updated', timestamp: t, samples: [wh(2500, t, 'Sample.Periodic')] },
      { seqNo: 2, eventType: 'Updated', timestamp: t, samples: [wh(4000, t, 'Sample.Periodic')] },
      { seqNo: 3, eventType: 'Ended', timestamp: t, samples: [wh(5500, t, 'Transaction.End')] },
    ];
    // The start reading already in the summary, as the handler passes it, must not win a tie.
    const totals = totals2([...events].reverse(), { endedSeqNo: 3, knownStart: { wh: 1000, at: t } });
    assert.deepEqual(
      [totals.meterStartWh, totals.meterStopWh, totals.energyWh, totals.anomalies],
      [1000, 5500, 4500, []],
    );
  });

  test('defect 18 property: start, stop and energy are the same for every ordering and every timestamp tie', () => {
    fc.assert(
      fc.property(session, (s) => {
        const events = eventsOf(s);
        const totals = totals2(shuffled(events, s.seed));
        assert.equal(totals.meterStartWh, s.begin);
        assert.equal(totals.meterStopWh, endOf(s));
        assert.equal(totals.energyWh, endOf(s) - s.begin);
        assert.deepEqual(totals.anomalies, []);
      }),
      { numRuns: 500 },
    );
  });

  const anyReading = fc.record({
    value: fc.integer({ min: 0, max: 1e7 }),
    ms: fc.integer({ min: 0, max: 3 }),
    context: fc.constantFrom(
      undefined,
      'Sample.Periodic',
      'Transaction.Begin',
      'Transaction.End',
      'Sample.Clock',
    ),
  });
  const anyEvents = fc.array(
    fc.record({
      seqNo: fc.integer({ min: 0, max: 4 }),
      eventType: fc.constantFrom('Started', 'Updated', 'Ended'),
      readings: fc.array(anyReading, { maxLength: 4 }),
    }),
    { maxLength: 6 },
  );
  type AnyEvent = {
    seqNo: number;
    eventType: TxEventData['eventType'];
    readings: { value: number; ms: number; context: string | undefined }[];
  };
  const toEvents = (list: readonly AnyEvent[]): TxEventData[] =>
    list.map((e) => ({
      seqNo: e.seqNo,
      eventType: e.eventType,
      timestamp: iso(0),
      samples: e.readings.map((r) => wh(r.value, iso(r.ms), r.context)),
    }));

  test('defect 18/19 property: arbitrary readings (duplicate seqNos, ties, any contexts): order never changes the totals', () => {
    fc.assert(
      fc.property(anyEvents, fc.integer(), fc.integer(), (list, a, b) => {
        const events = toEvents(list);
        assert.deepEqual(totals2(shuffled(events, a)), totals2(shuffled(events, b)));
      }),
      { numRuns: 500 },
    );
  });

  test('defect 9 property: energy is never negative; a stop below its start reports 0 and meterStopBelowStart', () => {
    fc.assert(
      fc.property(anyEvents, (list) => {
        const totals = totals2(toEvents(list));
        if (totals.energyWh === undefined) return;
        assert.ok(totals.energyWh >= 0);
        const below = (totals.meterStopWh ?? 0) < (totals.meterStartWh ?? 0);
        assert.equal(totals.anomalies.includes('meterStopBelowStart'), below);
        if (!below) assert.equal(totals.energyWh, (totals.meterStopWh ?? 0) - (totals.meterStartWh ?? 0));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (start, stop) => {
        const e = energyBetween(start, stop);
        assert.equal(e.energyWh, Math.max(0, stop - start));
        assert.equal(e.anomalies.length, stop < start ? 1 : 0);
      }),
    );
  });

  test('defect 9 (1.6 §6.45 / §6.49): meterStop below meterStart and a stop before its start are flagged, raw readings kept', () => {
    assert.deepEqual(
      totals16({ meterStartWh: 5000, meterStopWh: 4000, startedAt: iso(0), endedAt: iso(1000) }),
      { energyWh: 0, anomalies: ['meterStopBelowStart'] },
    );
    assert.deepEqual(
      totals16({ meterStartWh: 1000, meterStopWh: 4000, startedAt: iso(60_000), endedAt: iso(0) }),
      { energyWh: 3000, anomalies: ['stopBeforeStart'] },
    );
    assert.deepEqual(totals16({ meterStopWh: 4000 }), { anomalies: [] });
  });

  test('defect 3 property: events numbered after the Ended never change the totals', () => {
    fc.assert(
      fc.property(session, anyEvents, (s, extra) => {
        const events = eventsOf(s);
        const endedSeqNo = Math.max(...events.map((e) => e.seqNo));
        const late = toEvents(extra).map((e) => ({ ...e, seqNo: endedSeqNo + 1 + e.seqNo }));
        assert.deepEqual(
          totals2(shuffled([...events, ...late], s.seed), { endedSeqNo }),
          totals2(events, { endedSeqNo }),
        );
      }),
      { numRuns: 300 },
    );
  });

  test('defect 3 (E06): what an ended transaction may still change', () => {
    const ended = { status: 'ended', endedSeqNo: 5 };
    assert.equal(isFinal(ended, { seqNo: 6, eventType: 'Updated' }), true, 'numbered after the Ended');
    assert.equal(isFinal(ended, { seqNo: 5, eventType: 'Ended' }), true, 'a second Ended');
    assert.equal(
      isFinal(ended, { seqNo: 2, eventType: 'Updated' }),
      false,
      'offline replay (E04) completes it',
    );
    assert.equal(
      isFinal({ status: 'ended' }, { seqNo: 9, eventType: 'Ended' }),
      false,
      'abandoned: the real Ended wins',
    );
    assert.equal(isFinal({ status: 'active' }, { seqNo: 9, eventType: 'Ended' }), false);
  });

  test('defect 19: a retry is the same event whatever its key order or offline flag; other content is not', () => {
    const base: TxEventContent = {
      seqNo: 0,
      eventType: 'Started',
      timestamp: '2026-03-01T10:00:00.000Z',
      triggerReason: 'Authorized',
      chargingState: 'Charging',
      samples: [wh(10, iso(0), 'Transaction.Begin')],
    };
    // Stored and read back: other key order, an offline flag, undefined fields dropped.
    const reordered = JSON.parse(
      JSON.stringify({
        offline: true,
        samples: base.samples,
        chargingState: 'Charging',
        triggerReason: 'Authorized',
        timestamp: base.timestamp,
        eventType: 'Started',
        seqNo: 0,
        stoppedReason: undefined,
      }),
    ) as TxEventContent;
    assert.equal(sameEvent(base, reordered), true);
    assert.equal(sameEvent(base, { ...base, eventType: 'Ended', triggerReason: 'EVDeparted' }), false);
    assert.equal(sameEvent(base, { ...base, samples: [wh(11, iso(0), 'Transaction.Begin')] }), false);
  });

  test('defect 17: the last known reading of an abandoned transaction is the latest, the highest on a tie', () => {
    assert.deepEqual(lastReading([wh(300, iso(5)), wh(200, iso(9)), wh(250, iso(9))]), {
      wh: 250,
      at: iso(9),
    });
    assert.equal(lastReading([]), undefined);
  });
});
