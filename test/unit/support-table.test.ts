import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { csmsTableProblems, readmeWithTable } from '../../scripts/generate-support-table.js';

test('the README support table says what the route tables handle', () => {
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(
    readmeWithTable(readme) === readme,
    'README.md support table is stale: npx tsx scripts/generate-support-table.ts',
  );
});

test('the CSMS → station tables of docs/support-*.md have one row per action sent, and nothing else', () => {
  assert.deepEqual(csmsTableProblems(readFileSync('docs/support-v16.md', 'utf8'), ['ocpp1.6']), []);
  assert.deepEqual(
    csmsTableProblems(readFileSync('docs/support-v2.md', 'utf8'), ['ocpp2.0.1', 'ocpp2.1']),
    [],
  );
});

test('a stray separator row in a CSMS → station table is found', () => {
  const doc = [
    '## Sent by the CSMS',
    '',
    '| Action | Spec | Status | What is kept |',
    '| --- | --- | --- | --- |',
    '| --- | --- | sent | The answer. |',
    '## Behaviour',
  ].join('\n');
  assert.ok(csmsTableProblems(doc, ['ocpp1.6']).includes('row "---" names no action the CSMS sends'));
});
