import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { exampleSteps, generateLoadChart } from '../../scripts/generate-load-chart.js';

test('docs/load-management.svg is what the allocator makes of the worked example', () => {
  assert.ok(
    readFileSync('docs/load-management.svg', 'utf8') === generateLoadChart(),
    'docs/load-management.svg is stale: npx tsx scripts/generate-load-chart.ts',
  );
});

test('the worked example: the numbers docs/load-management.md states', () => {
  assert.deepEqual(
    exampleSteps().map((s) => [s.from / 60, s.limit, s.shares]),
    [
      [8, 32, { 'CP-A': 32 }],
      [8.5, 32, { 'CP-A': 16, 'CP-B': 16 }],
      [9, 32, { 'CP-A': 10.6, 'CP-B': 10.6, 'CP-C': 10.6 }],
      [10, 20, { 'CP-A': 6.6, 'CP-B': 6.6, 'CP-C': 6.6 }],
      [11, 20, { 'CP-A': 10, 'CP-B': 10 }],
      [14, 32, { 'CP-A': 16, 'CP-B': 16 }],
      [15, 32, { 'CP-A': 32 }],
    ],
  );
});
