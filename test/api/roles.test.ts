/**
 * Who may do what (functions/api/principals.ts): API keys with the admin or viewer role, Cognito
 * access tokens of the dashboard's user pool (verified with aws-jwt-verify against a JWKS made
 * here: no network), 403 for a viewer's writes; GET /v1/me; and conditional GETs (ETag → 304),
 * which the dashboard's live views poll with.
 */
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createApi, type ApiHandler } from '../../functions/api/app.js';
import { CursorSigner } from '../../functions/api/cursors.js';
import { CALLS } from '../../functions/ocpp/calls.js';
import { cognitoJwtVerify } from '../../functions/api/principals.js';
import { ensureTable, startDynamo, type LocalDynamo } from '../../infra/local/dynamodb.js';
import { CommandPath } from '../../shared/calls/service.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { RecordingSink, silentLog } from '../support/store.js';

const POOL = 'eu-west-1_Dashb0ard';
const CLIENT = 'dashboardclient123';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
const ADMIN_KEY = 'csms_admin-key-for-roles-test';
const VIEWER_KEY = 'csms_viewer-key-for-roles-test';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const KID = 'test-key-1';
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A Cognito-shaped access token signed with the test key (or another one). */
function accessToken(claims: Record<string, unknown>, key = privateKey): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: 'RS256', kid: KID, typ: 'JWT' });
  const payload = b64({
    sub: randomUUID(),
    iss: ISSUER,
    client_id: CLIENT,
    token_use: 'access',
    scope: 'openid email',
    auth_time: now,
    iat: now,
    exp: now + 3600,
    jti: randomUUID(),
    username: 'operator1',
    ...claims,
  });
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

let dynamo: LocalDynamo;
let store: Store;
let api: ApiHandler;

before(async () => {
  dynamo = await startDynamo();
  await ensureTable(dynamo.client, 'roles');
  store = createStore({ db: dynamo.documentClient, tableName: 'roles' });
  await store.apiKeys.put(ADMIN_KEY, 'ops', new Date());
  await store.apiKeys.put(VIEWER_KEY, 'auditor', new Date(), 'viewer');
  const log = { ...silentLog, appendKeys: () => undefined };
  api = createApi(
    {
      store,
      commands: new CommandPath({
        store,
        calls: CALLS,
        events: new RecordingSink(),
        sender: undefined,
        config: { callTimeoutSeconds: 60, queueTtlSeconds: 3600 },
        log: silentLog,
        clock: () => new Date(),
      }),
      connections: { close: async () => {} },
      cursors: CursorSigner.fromSecret('the-roles-test-cursor-secret-0123456789'),
      log,
      clock: () => new Date(),
    },
    { verifyJwt: cognitoJwtVerify({ userPoolId: POOL, clientId: CLIENT }, jwks) },
  );
});
after(() => dynamo.close());

async function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const event = {
    version: '2.0',
    routeKey: 'ANY /v1/{proxy+}',
    rawPath: path,
    rawQueryString: '',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    isBase64Encoded: false,
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 't' } },
  } as unknown as APIGatewayProxyEventV2;
  const res = await api(event);
  return {
    status: res.statusCode ?? 0,
    body: res.body ? JSON.parse(res.body) : undefined,
    headers: res.headers ?? {},
  };
}

const newStation = () => ({ id: `CS-${randomUUID().slice(0, 8)}`, password: 'a-very-secret-password' });

describe('roles: API keys', () => {
  test('an API key made without a role is an admin: it may write', async () => {
    assert.equal((await call('POST', '/v1/stations', ADMIN_KEY, newStation())).status, 201);
    assert.deepEqual((await call('GET', '/v1/me', ADMIN_KEY)).body, {
      name: 'ops',
      role: 'admin',
      via: 'api-key',
    });
  });

  test('a viewer key reads, and every write is a 403 that changes nothing', async () => {
    assert.equal((await call('GET', '/v1/stations', VIEWER_KEY)).status, 200);
    const station = newStation();
    const res = await call('POST', '/v1/stations', VIEWER_KEY, station);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    assert.equal((await call('GET', `/v1/stations/${station.id}`, ADMIN_KEY)).status, 404, 'not created');
    assert.deepEqual((await call('GET', '/v1/me', VIEWER_KEY)).body, {
      name: 'auditor',
      role: 'viewer',
      via: 'api-key',
    });
  });
});

describe('roles: Cognito access tokens beside API keys', () => {
  test('a token of the admin group may write', async () => {
    const token = accessToken({ 'cognito:groups': ['admin'] });
    assert.equal((await call('POST', '/v1/stations', token, newStation())).status, 201);
    assert.deepEqual((await call('GET', '/v1/me', token)).body, {
      name: 'operator1',
      role: 'admin',
      via: 'cognito',
    });
  });

  test('a token of the viewer group reads and gets 403 on writes', async () => {
    const token = accessToken({ 'cognito:groups': ['viewer'] });
    assert.equal((await call('GET', '/v1/stations', token)).status, 200);
    assert.equal((await call('POST', '/v1/stations', token, newStation())).status, 403);
  });

  test('a user in no group may not even read (403)', async () => {
    assert.equal((await call('GET', '/v1/stations', accessToken({}))).status, 403);
  });

  test('expired, foreign-signed, other-client and id tokens are refused with 401', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const groups = { 'cognito:groups': ['admin'] };
    for (const token of [
      accessToken({ ...groups, exp: Math.floor(Date.now() / 1000) - 60 }),
      accessToken(groups, other),
      accessToken({ ...groups, client_id: 'someone-else' }),
      accessToken({ ...groups, token_use: 'id' }),
      accessToken({ ...groups, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' }),
    ]) {
      const res = await call('GET', '/v1/stations', token);
      assert.equal(res.status, 401, token.slice(-12));
      assert.equal(res.body.error.code, 'unauthorized');
    }
  });
});

describe('conditional GET', () => {
  test('a GET carries an ETag; If-None-Match with it answers 304 without a body until the resource changes', async () => {
    const first = await call('GET', '/v1/stations', ADMIN_KEY);
    const etag = first.headers.etag as string;
    assert.match(etag, /^W\/".+"$/);
    const again = await call('GET', '/v1/stations', ADMIN_KEY, undefined, { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, undefined);
    assert.equal((await call('POST', '/v1/stations', ADMIN_KEY, newStation())).status, 201);
    const changed = await call('GET', '/v1/stations', ADMIN_KEY, undefined, { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.etag, etag);
  });
});
