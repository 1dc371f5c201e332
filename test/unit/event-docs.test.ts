import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateEventDocs } from '../../scripts/generate-event-docs.js';

test('docs/events.md and docs/events.schema.json match the event catalog', () => {
  const { markdown, schema } = generateEventDocs();
  assert.ok(
    readFileSync('docs/events.md', 'utf8') === markdown,
    'docs/events.md is stale: npx tsx scripts/generate-event-docs.ts',
  );
  assert.ok(
    readFileSync('docs/events.schema.json', 'utf8') === schema,
    'docs/events.schema.json is stale: npx tsx scripts/generate-event-docs.ts',
  );
});
