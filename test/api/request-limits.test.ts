/**
 * What a careless client gets: oversized path ids, large bodies, huge headers or queries, JSON sent
 * as text. Always a 4xx with the documented `{"error": {"code", "message"}}` body, never a 500.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import { MAX_BODY_BYTES } from '../../functions/api/app.js';

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h.close());

function fieldsOf(body: { error: { fields?: FieldError[] } }): string[] {
  return (body.error.fields ?? []).map((f) => f.path);
}

describe('path ids are bounded before they reach the table', () => {
  const long = (n: number) => 'A'.repeat(n);

  test('a 2,048-character station id is a 400 naming the parameter, on every station route', async () => {
    for (const [method, path] of [
      ['GET', `/v1/stations/${long(2048)}`],
      ['PATCH', `/v1/stations/${long(2048)}`],
      ['DELETE', `/v1/stations/${long(4096)}`],
      ['GET', `/v1/stations/${long(2048)}/commands`],
      ['POST', `/v1/stations/${long(2048)}/reset`],
      ['GET', `/v1/stations/${long(2048)}/device-model`],
      ['GET', `/v1/stations/${long(2048)}/transactions/1`],
    ] as const) {
      const res = await h.api(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      assert.equal(res.status, 400, `${method} ${path.slice(0, 40)}`);
      assert.equal(res.body.error.code, 'invalid_request');
      assert.ok(
        fieldsOf(res.body).some((p) => p === 'id' || p === 'stationId'),
        JSON.stringify(res.body),
      );
    }
  });

  test('a station id with characters no station can have is a 400', async () => {
    const res = await h.api('GET', `/v1/stations/${encodeURIComponent('a b/c')}`);
    assert.equal(res.status, 400);
    assert.deepEqual(fieldsOf(res.body), ['id']);
  });

  test('a 1,024-character transaction id, command id or id token is a 400 naming it', async () => {
    await h.provision('LIM-1');
    const tx = await h.api('GET', `/v1/stations/LIM-1/transactions/${long(1024)}`);
    assert.equal(tx.status, 400);
    assert.deepEqual(fieldsOf(tx.body), ['transactionId']);

    const command = await h.api('GET', `/v1/commands/${long(2048)}`);
    assert.equal(command.status, 400);
    assert.deepEqual(fieldsOf(command.body), ['id']);

    for (const method of ['GET', 'DELETE']) {
      const token = await h.api(method, `/v1/id-tokens/${long(2048)}`);
      assert.equal(token.status, 400, method);
      assert.deepEqual(fieldsOf(token.body), ['idToken']);
    }
    const filter = await h.api('GET', `/v1/transactions?stationId=${long(2048)}`);
    assert.equal(filter.status, 400);
    assert.deepEqual(fieldsOf(filter.body), ['stationId']);
  });

  test('ids within the bounds still answer 404 when nothing has them', async () => {
    assert.equal((await h.api('GET', `/v1/stations/${long(48)}`)).status, 404);
    assert.equal((await h.api('GET', `/v1/commands/${long(36)}`)).status, 404);
    assert.equal((await h.api('GET', `/v1/stations/LIM-1/transactions/${long(36)}`)).status, 404);
  });
});

describe('bodies, headers and media types', () => {
  async function post(path: string, body: string, contentType: string | undefined) {
    const res = await fetch(`${h.host.httpUrl}${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${h.host.apiToken}`,
        ...(contentType ? { 'content-type': contentType } : {}),
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text), headers: res.headers };
  }

  test('JSON sent as text/plain (or untyped) is a 415 in the documented shape', async () => {
    const body = JSON.stringify({ idToken: 'MEDIA-1' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const res = await post('/v1/id-tokens', body, type);
      assert.equal(res.status, 415, String(type));
      assert.equal(res.body.error.code, 'unsupported_media_type');
      assert.equal(typeof res.body.error.message, 'string');
    }
    assert.equal((await h.api('GET', '/v1/id-tokens/MEDIA-1')).status, 404, 'nothing was stored');
  });

  test('application/json with a charset and +json types are accepted', async () => {
    const a = await post(
      '/v1/id-tokens',
      JSON.stringify({ idToken: 'MEDIA-2' }),
      'application/json; charset=utf-8',
    );
    assert.equal(a.status, 201);
    const b = await post(
      '/v1/id-tokens',
      JSON.stringify({ idToken: 'MEDIA-3' }),
      'application/merge-patch+json',
    );
    assert.equal(b.status, 201);
  });

  test('a body over the API limit is a 413 in the documented shape (from the function)', async () => {
    const body = JSON.stringify({ idToken: 'BIG', groupId: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await post('/v1/id-tokens', body, 'application/json');
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  test('a 10 MB body is a 413 in the documented shape (from the host)', async () => {
    const res = await post('/v1/id-tokens', 'x'.repeat(10 * 1024 * 1024 + 1), 'application/json');
    assert.equal(res.status, 413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  test('a huge query string or header is a 431 in the documented shape', async () => {
    const url = new URL(`${h.host.httpUrl}/v1/stations?cursor=${'c'.repeat(100_000)}`);
    for (const headers of [{}, { 'x-big': 'h'.repeat(100_000) }]) {
      const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          url,
          { headers: { authorization: `Bearer ${h.host.apiToken}`, ...headers } },
          (r) => {
            let text = '';
            r.on('data', (c: Buffer) => (text += c.toString()));
            r.on('end', () => resolve({ status: r.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(res.status, 431);
      assert.equal(JSON.parse(res.text).error.code, 'headers_too_large');
    }
  });
});
