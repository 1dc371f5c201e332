/**
 * The dashboard's cost per open hour in BENCHMARKS.md (issue 12: "put its cost per open
 * dashboard-hour on AWS in BENCHMARKS.md") is the one bench/dashboard-cost.ts computes, from the
 * polling interval the app really uses: a change of the schedule or of the fleet's reads that is
 * not carried into the report fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { dashboardCostSection, POLL_SECONDS } from '../../bench/dashboard-cost.js';

test('the cost assumes the poll interval of web/src/live.ts', () => {
  const live = readFileSync('web/src/live.ts', 'utf8');
  const match = /export const POLL_MS = (\d[\d_]*);/.exec(live);
  assert.ok(match, 'web/src/live.ts exports POLL_MS');
  assert.equal(Number(match[1]!.replaceAll('_', '')) / 1000, POLL_SECONDS);
  // Issue 12: a change at a station shows within 5 s; one interval plus one request must fit.
  assert.ok(POLL_SECONDS < 5, `${POLL_SECONDS} s leaves no room for the request within 5 s`);
});

test('BENCHMARKS.md carries the dashboard cost section as bench/dashboard-cost.ts renders it', () => {
  const report = readFileSync('BENCHMARKS.md', 'utf8');
  const section = dashboardCostSection().join('\n');
  assert.ok(report.includes(section), 'section 6 of BENCHMARKS.md is stale: run npm run bench');
  // The Fleet view reads the whole fleet: its rows grow with it.
  const fleetRows = dashboardCostSection().filter((l) => l.startsWith('| Fleet of '));
  assert.equal(fleetRows.length, 3);
  const perHour = fleetRows.map((l) => Number(/\*\*\$([\d.]+)\*\*/.exec(l)?.[1]));
  assert.ok(perHour[0]! < perHour[1]! && perHour[1]! < perHour[2]!, perHour.join(' < '));
});
