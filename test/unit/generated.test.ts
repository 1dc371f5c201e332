import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAll } from '../../scripts/generate-ocpp.js';

test('generated OCPP types and validators are what `npm run generate` produces', async () => {
  const files = await generateAll();
  for (const [name, content] of Object.entries(files)) {
    const committed = readFileSync(join('shared/ocpp/generated', name), 'utf8');
    assert.ok(committed === content, `shared/ocpp/generated/${name} is stale: run npm run generate`);
  }
});
