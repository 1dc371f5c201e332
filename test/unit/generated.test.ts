import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAll } from '../../scripts/generate-ocpp.js';
import { generateWebApiTypes, WEB_API_TYPES } from '../../scripts/generate-web-api.js';

test('generated OCPP types and validators are what `npm run generate` produces', async () => {
  const files = await generateAll();
  for (const [name, content] of Object.entries(files)) {
    const committed = readFileSync(join('shared/ocpp/generated', name), 'utf8');
    assert.ok(committed === content, `shared/ocpp/generated/${name} is stale: run npm run generate`);
  }
});

test('the dashboard API types are what `npm run generate:web` makes of the OpenAPI document', async () => {
  const content = await generateWebApiTypes();
  const committed = readFileSync(WEB_API_TYPES, 'utf8');
  assert.ok(committed === content, `${WEB_API_TYPES} is stale: run npm run generate:web`);
});
