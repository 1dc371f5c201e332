/** HTTP API authentication: bearer API keys checked against their scrypt hash, successes cached. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateToken } from '../../shared/auth/secrets.js';
import { ApiKeyAuthenticator, CACHE_TTL_MS } from '../../functions/api/auth.js';
import { UnauthorizedError } from '../../functions/api/errors.js';
import { startHarness, type Harness } from '../support/harness.js';
import type { ErrorResponse } from '../../functions/api/errors.js';

describe('through the local host', () => {
  let h: Harness;
  before(async () => (h = await startHarness()));
  after(() => h.close());

  async function get(path: string, authorization?: string) {
    const res = await fetch(`${h.host.httpUrl}${path}`, {
      headers: authorization === undefined ? {} : { authorization },
    });
    return {
      status: res.status,
      headers: res.headers,
      body: (await res.json()) as Partial<ErrorResponse> & { status?: string },
    };
  }

  test('401 unauthorized with WWW-Authenticate: Bearer without a token', async () => {
    const res = await get('/v1/stations');
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), 'Bearer');
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.equal(res.body.error?.code, 'unauthorized');
    assert.match(res.body.error?.message, /Authorization: Bearer/);
  });

  test('401 for a wrong token, another scheme, or an empty bearer', async () => {
    for (const authorization of [
      `Bearer ${generateToken()}`,
      `Bearer ${h.host.apiToken}x`,
      `Basic ${Buffer.from(`admin:${h.host.apiToken}`).toString('base64')}`,
      'Bearer ',
      h.host.apiToken,
    ]) {
      const res = await get('/v1/stations', authorization);
      assert.equal(res.status, 401, authorization.slice(0, 8));
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.equal(res.body.error?.code, 'unauthorized');
      assert.ok(!JSON.stringify(res.body).includes(h.host.apiToken));
    }
  });

  test('the API key opens every /v1 route, the scheme in any case', async () => {
    assert.equal((await get('/v1/stations', `Bearer ${h.host.apiToken}`)).status, 200);
    assert.equal((await get('/v1/id-tokens', `bearer ${h.host.apiToken}`)).status, 200);
    assert.equal((await get('/v1/transactions', `BEARER ${h.host.apiToken}`)).status, 200);
  });

  test('unknown routes answer 401 to unauthenticated callers (the route table is not probed)', async () => {
    assert.equal((await get('/v1/nothing-here')).status, 401);
    assert.equal((await get('/v1/nothing-here', `Bearer ${h.host.apiToken}`)).status, 404);
  });

  test('GET /health needs no token', async () => {
    const res = await get('/health');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { status: 'ok' });
  });
});

describe('ApiKeyAuthenticator', () => {
  function setup() {
    const verified: string[] = [];
    let now = Date.parse('2026-01-01T00:00:00Z');
    const auth = new ApiKeyAuthenticator(
      async (token) => {
        verified.push(token);
        return token === 'csms_good' ? 'ops' : undefined;
      },
      () => new Date(now),
    );
    return { auth, verified, advance: (ms: number) => (now += ms) };
  }

  test('a verified key is not verified again for 5 minutes, then it is', async () => {
    const { auth, verified, advance } = setup();
    assert.equal(await auth.authenticate('Bearer csms_good'), 'ops');
    advance(CACHE_TTL_MS - 1);
    assert.equal(await auth.authenticate('Bearer csms_good'), 'ops');
    assert.equal(verified.length, 1);
    advance(1);
    assert.equal(await auth.authenticate('Bearer csms_good'), 'ops');
    assert.equal(verified.length, 2);
  });

  test('a refused key is checked every time (a key created since then works at once)', async () => {
    const { auth, verified } = setup();
    await assert.rejects(auth.authenticate('Bearer csms_bad'), UnauthorizedError);
    await assert.rejects(auth.authenticate('Bearer csms_bad'), UnauthorizedError);
    assert.equal(verified.length, 2);
  });

  test('a malformed header never reaches the verifier', async () => {
    const { auth, verified } = setup();
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer a b',
      'Token csms_good',
      `Bearer ${'a'.repeat(513)}`,
    ]) {
      await assert.rejects(auth.authenticate(header), UnauthorizedError);
    }
    assert.deepEqual(verified, []);
  });
});
