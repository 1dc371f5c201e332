/**
 * The api function's contract with API Gateway, invoked directly with payload format 2.0 events
 * (what the local host does not show: /health on AWS, response headers, base64 bodies, 500s).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { ensureTable, startDynamo, type LocalDynamo } from '../../infra/local/dynamodb.js';
import { generateToken } from '../../shared/auth/secrets.js';
import { CommandPath } from '../../shared/calls/service.js';
import { CALLS } from '../../functions/ocpp/calls.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { randomBytes } from 'node:crypto';
import { createApi, type ApiHandler } from '../../functions/api/app.js';
import { CursorSigner } from '../../functions/api/cursors.js';
import type { ApiDeps } from '../../functions/api/http.js';
import { ROUTES } from '../../functions/api/router.js';
import { RecordingSink, silentLog } from '../support/store.js';

let dynamo: LocalDynamo;
let store: Store;
const token = generateToken();
const errors: unknown[][] = [];
const log: ApiDeps['log'] = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (...args: unknown[]) => void errors.push(args),
  appendKeys: () => undefined,
};
let api: ApiHandler;
const cursors = new CursorSigner(randomBytes(32));
/** The real command path, without a connection to post to (commands stay queued). */
const commandsOf = (s: Store) =>
  new CommandPath({
    store: s,
    events: new RecordingSink(),
    sender: undefined,
    calls: CALLS,
    config: { callTimeoutSeconds: 60, queueTtlSeconds: 3600 },
    log: silentLog,
    clock: () => new Date(),
  });

before(async () => {
  dynamo = await startDynamo();
  await ensureTable(dynamo.client, 'api');
  store = createStore({ db: dynamo.documentClient, tableName: 'api' });
  await store.apiKeys.put(token, 'test', new Date());
  api = createApi({
    store,
    commands: commandsOf(store),
    connections: { close: async () => {} },
    log,
    clock: () => new Date(),
    cursors,
  });
});
after(() => dynamo.close());

function event(
  method: string,
  rawPath: string,
  options: Partial<APIGatewayProxyEventV2> = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: rawPath === '/health' ? 'GET /health' : 'ANY /v1/{proxy+}',
    rawPath,
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}` },
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'test',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey: 'ANY /v1/{proxy+}',
      stage: '$default',
      time: '01/Mar/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
    ...options,
  };
}

describe('responses', () => {
  test('GET /health: 200 {"status":"ok"} without a token', async () => {
    const res = await api(event('GET', '/health', { headers: {} }));
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers?.['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(res.body ?? ''), { status: 'ok' });
  });

  test('405 names the allowed methods in Allow', async () => {
    const res = await api(event('PUT', '/v1/stations/CP-1'));
    assert.equal(res.statusCode, 405);
    assert.equal(res.headers?.allow, 'GET, PATCH, DELETE');
    assert.equal(JSON.parse(res.body ?? '').error.code, 'method_not_allowed');
  });

  test('a base64-encoded body (content types API Gateway treats as binary) is decoded', async () => {
    const body = Buffer.from(JSON.stringify({ idToken: 'B64-1' })).toString('base64');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await api(event('POST', '/v1/id-tokens', { body, isBase64Encoded: true, headers }));
    assert.equal(res.statusCode, 201);
    assert.equal(JSON.parse(res.body ?? '').idToken, 'B64-1');
  });

  test('204 has no body and no content type', async () => {
    await store.idTokens.put({
      idToken: 'DEL-1',
      type: 'ISO14443',
      status: 'Accepted',
      createdAt: '2026-01-01T00:00:00Z',
    });
    const res = await api(event('DELETE', '/v1/id-tokens/DEL-1'));
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, undefined);
    assert.equal(res.headers?.['content-type'], undefined);
  });

  test('an unknown error is a generic 500; the details go to the log only', async () => {
    // A real DynamoDB failure: the stations live in a table that does not exist.
    const broken = createStore({ db: dynamo.documentClient, tableName: 'no-such-table' });
    const failing = createApi({
      store: { ...store, stations: broken.stations },
      commands: commandsOf(store),
      connections: { close: async () => {} },
      log,
      clock: () => new Date(),
      cursors,
    });
    errors.length = 0;
    const res = await failing(event('GET', '/v1/stations/CP-1'));
    assert.equal(res.statusCode, 500);
    assert.equal(res.body, JSON.stringify({ error: { code: 'internal', message: 'Internal error' } }));
    assert.equal(errors.length, 1);
    assert.match(
      JSON.stringify(errors[0], (_k, v: unknown) => (v instanceof Error ? v.name : v)),
      /ResourceNotFound/,
    );
  });
});

describe('route table', () => {
  test('each route declares exactly the path parameters of its pattern', () => {
    for (const route of ROUTES) {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const schema = route.operation.params;
      const declared = schema instanceof z.ZodObject ? Object.keys(schema.shape).sort() : [];
      assert.deepEqual(declared, names, `${route.method} ${route.path}`);
    }
  });

  test('one route per method and path, one operation id per route', () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.path.replace(/\{\w+\}/g, '{}')}`);
    assert.equal(new Set(keys).size, keys.length);
    const ids = ROUTES.map((r) => r.operation.id);
    assert.equal(new Set(ids).size, ids.length);
  });

  test('only GET /health is public', () => {
    assert.deepEqual(
      ROUTES.filter((r) => r.public).map((r) => `${r.method} ${r.path}`),
      ['GET /health'],
    );
  });
});
