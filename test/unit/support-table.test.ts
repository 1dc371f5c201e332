import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readmeWithTable } from '../../scripts/generate-support-table.js';

test('the README support table says what the route tables handle', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(
    readmeWithTable(readme) === readme,
    'README.md support table is stale: npx tsx scripts/generate-support-table.ts',
  );
});
