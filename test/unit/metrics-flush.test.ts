// Issue 14: counts are summed in memory and written as one EMF line at most once a minute per
// function instance (not one per message), with a `level` that Lambda's WARN filter keeps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { count, flushMetrics, METRICS_FLUSH_MS } from '../../shared/aws/observability.js';

function captured(run: () => void): string[] {
  const lines: string[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const originalLog = console.log;
  process.stdout.write = (chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  };
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(' '));
  try {
    run();
  } finally {
    process.stdout.write = original;
    console.log = originalLog;
  }
  return lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('_aws'));
}

test('three counts, one EMF line with their sum and level WARN; nothing more within the minute; the next minute flushes', () => {
  const t0 = 1_000_000_000_000;
  const first = captured(() => {
    count('MessagesHandled');
    count('MessagesHandled');
    count('MessagesHandled');
    count('CallErrors');
    flushMetrics(t0);
  });
  assert.equal(first.length, 1);
  const emf = JSON.parse(first[0]!) as Record<string, unknown>;
  assert.equal(emf.MessagesHandled, 3);
  assert.equal(emf.CallErrors, 1);
  assert.equal(emf.level, 'WARN');

  const within = captured(() => {
    count('MessagesHandled');
    flushMetrics(t0 + METRICS_FLUSH_MS - 1);
  });
  assert.deepEqual(within, [], 'no line within the minute');

  const next = captured(() => flushMetrics(t0 + METRICS_FLUSH_MS));
  assert.equal(next.length, 1);
  assert.equal((JSON.parse(next[0]!) as Record<string, unknown>).MessagesHandled, 1, 'kept, not lost');
});
