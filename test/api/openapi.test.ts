/**
 * The OpenAPI document: generated from the route table, valid OpenAPI 3.1 (checked by an
 * independent validator), every route in it with its schemas, served at GET /v1/openapi.json.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../functions/api/openapi.js';
import { ROUTES } from '../../functions/api/router.js';
import { startHarness, type Harness } from '../support/harness.js';

const doc = openApiDocument(ROUTES) as any;

describe('the generated document', () => {
  test('validates as OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    assert.deepEqual(result.errors, undefined, JSON.stringify(result.errors, null, 2));
    assert.equal(result.valid, true);
    assert.equal(validator.version, '3.1');
  });

  test('every route of the router is in it (method and path), with its operationId', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method.toLowerCase()];
      assert.ok(op, `${route.method} ${route.path} is missing`);
      assert.equal(op.operationId, route.operation.id);
    }
    const documented = Object.values(doc.paths).flatMap((item: any) => Object.keys(item));
    assert.equal(documented.length, ROUTES.length);
  });

  test('each operation has its request schemas: body, query and path parameters, headers', () => {
    for (const route of ROUTES) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      const where = `${route.method} ${route.path}`;
      if (route.operation.body) {
        assert.ok(op.requestBody?.content?.['application/json']?.schema, `${where}: no request body schema`);
      } else {
        assert.equal(op.requestBody, undefined, where);
      }
      const params = (op.parameters ?? []) as any[];
      for (const name of route.path.matchAll(/\{(\w+)\}/g)) {
        assert.ok(
          params.some((p) => p.in === 'path' && p.name === name[1] && p.required === true),
          `${where}: path parameter ${name[1]}`,
        );
      }
      if (route.operation.query)
        assert.ok(
          params.some((p) => p.in === 'query'),
          `${where}: no query parameters`,
        );
      if (route.operation.headers)
        assert.ok(
          params.some((p) => p.in === 'header'),
          `${where}: no header`,
        );
      for (const status of Object.keys(route.operation.responses)) {
        assert.ok(op.responses[status], `${where}: response ${status}`);
      }
      assert.ok(op.responses['400'] && op.responses['500'], `${where}: error responses`);
      if (route.public) assert.deepEqual(op.security, []);
      else assert.ok(op.responses['401'], `${where}: 401`);
    }
  });

  test('command routes document wait, queue and Idempotency-Key', () => {
    const op = doc.paths['/v1/stations/{id}/commands'].post;
    const names = op.parameters.map((p: any) => `${p.in}:${p.name}`);
    assert.deepEqual(names.sort(), ['header:Idempotency-Key', 'path:id', 'query:queue', 'query:wait']);
    const wait = op.parameters.find((p: any) => p.name === 'wait');
    assert.equal(wait.schema.maximum, 25);
    assert.ok(op.responses['202'] && op.responses['409']);
    assert.equal(
      op.responses['202'].content['application/json'].schema.$ref,
      '#/components/schemas/CommandView',
    );
  });

  test('every schema in it is a valid JSON Schema 2020-12 and every $ref resolves', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      ajv.addSchema(schema as object, `#/components/schemas/${name}`);
    }
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      assert.ok(name && doc.components.schemas[name], `${ref} does not resolve`);
    }
    assert.ok(ajv.validateSchema(doc.components.schemas.CommandView), JSON.stringify(ajv.errors));
  });

  test('the request schemas accept what the API accepts and refuse unknown fields', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    const components = { components: doc.components };
    const bodyOf = (path: string, method: string) => ({
      ...doc.paths[path][method].requestBody.content['application/json'].schema,
      ...components,
    });
    // The refs point into #/components: validate against a root that has them.
    const validate = (schema: object, value: unknown) => {
      const root = { $id: `urn:test:${Math.random()}`, ...schema };
      return ajv.validate(root, value);
    };
    const raw = bodyOf('/v1/stations/{id}/commands', 'post');
    assert.equal(validate(raw, { action: 'Reset', payload: { type: 'Soft' } }), true);
    assert.equal(validate(raw, { action: 'Reset', payloads: {} }), false);
    const reset = bodyOf('/v1/stations/{id}/reset', 'post');
    assert.equal(validate(reset, { type: 'soft' }), true);
    assert.equal(validate(reset, { type: 'Soft' }), false);
  });
});

describe('GET /v1/openapi.json', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  test('serves the document to an authenticated caller', async () => {
    const res = await h.api('GET', '/v1/openapi.json');
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.1.0');
    assert.deepEqual(res.body, doc);
  });

  test('401 without an API key, like every route but /health', async () => {
    const res = await h.api('GET', '/v1/openapi.json', undefined, null);
    assert.equal(res.status, 401);
  });
});
