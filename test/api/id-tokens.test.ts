/** HTTP API: id tokens, created, replaced, read, listed and deleted; and what stations then get. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('POST /v1/id-tokens', () => {
  test('201 with the view; defaults: type ISO14443, status Accepted', async () => {
    const res = await h.api('POST', '/v1/id-tokens', { idToken: 'CARD-1' });
    assert.equal(res.status, 201);
    assert.match(res.body.createdAt, ISO);
    assert.deepEqual(res.body, {
      idToken: 'CARD-1',
      type: 'ISO14443',
      status: 'Accepted',
      expiresAt: null,
      groupId: null,
      createdAt: res.body.createdAt,
    });
  });

  test('the same idToken and type again replaces it: 200, createdAt kept, absent fields cleared', async () => {
    const created = await h.api('POST', '/v1/id-tokens', {
      idToken: 'CARD-2',
      type: 'ISO15693',
      groupId: 'FLEET-A',
      expiresAt: '2030-06-01T12:00:00+02:00',
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.expiresAt, '2030-06-01T10:00:00.000Z', 'stored in UTC');

    const replaced = await h.api('POST', '/v1/id-tokens', {
      idToken: 'CARD-2',
      type: 'ISO15693',
      status: 'Blocked',
    });
    assert.equal(replaced.status, 200);
    assert.deepEqual(replaced.body, {
      idToken: 'CARD-2',
      type: 'ISO15693',
      status: 'Blocked',
      expiresAt: null,
      groupId: null,
      createdAt: created.body.createdAt,
    });
    assert.deepEqual((await h.api('GET', '/v1/id-tokens/CARD-2?type=ISO15693')).body, replaced.body);
  });

  test('400 with a message per field', async () => {
    const res = await h.api('POST', '/v1/id-tokens', {
      idToken: 'x'.repeat(37),
      type: 'RFID',
      status: 'Ok',
      expiresAt: '2030-06-01T12:00:00',
      groupId: '',
      color: 'blue',
    });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.fields.map((f: FieldError) => f.path).sort(), [
      'color',
      'expiresAt',
      'groupId',
      'idToken',
      'status',
      'type',
    ]);
    const missing = await h.api('POST', '/v1/id-tokens', {});
    assert.deepEqual(missing.body.error.fields, [{ path: 'idToken', message: 'Required' }]);
  });
});

describe('GET and DELETE /v1/id-tokens/{idToken}', () => {
  test('type selects the token; without it, ISO14443', async () => {
    await h.api('POST', '/v1/id-tokens', { idToken: 'KEY-1', type: 'KeyCode' });
    assert.equal((await h.api('GET', '/v1/id-tokens/KEY-1?type=KeyCode')).status, 200);
    const noType = await h.api('GET', '/v1/id-tokens/KEY-1');
    assert.equal(noType.status, 404);
    assert.deepEqual(noType.body, {
      error: { code: 'not_found', message: 'No id token KEY-1 of type ISO14443' },
    });
    const badType = await h.api('GET', '/v1/id-tokens/KEY-1?type=Pin');
    assert.equal(badType.status, 400);
    assert.deepEqual(
      badType.body.error.fields.map((f: FieldError) => f.path),
      ['type'],
    );
  });

  test('DELETE: 204 without a body, then 404', async () => {
    await h.api('POST', '/v1/id-tokens', { idToken: 'GONE-1', type: 'eMAID' });
    const deleted = await h.api('DELETE', '/v1/id-tokens/GONE-1?type=eMAID');
    assert.equal(deleted.status, 204);
    assert.equal(deleted.body, undefined);
    assert.equal((await h.api('GET', '/v1/id-tokens/GONE-1?type=eMAID')).status, 404);
    const again = await h.api('DELETE', '/v1/id-tokens/GONE-1?type=eMAID');
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, 'not_found');
  });

  test('an idToken with reserved URL characters is addressed percent-encoded', async () => {
    const idToken = 'a/b c?d#e%f';
    assert.equal((await h.api('POST', '/v1/id-tokens', { idToken })).status, 201);
    const res = await h.api('GET', `/v1/id-tokens/${encodeURIComponent(idToken)}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.idToken, idToken);
    assert.equal((await h.api('DELETE', `/v1/id-tokens/${encodeURIComponent(idToken)}`)).status, 204);
  });
});

describe('what stations get', () => {
  test('a created token is Accepted, a blocked one Blocked, a deleted one Invalid (1.6 Authorize)', async () => {
    const password = await h.provision('CP-auth');
    const station = await h.station('CP-auth', 'ocpp1.6', { password });
    await station.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'M' });
    const authorize = async (idTag: string) => (await station.call('Authorize', { idTag })).idTagInfo.status;

    await h.api('POST', '/v1/id-tokens', { idToken: 'TAG-1' });
    assert.equal(await authorize('TAG-1'), 'Accepted');
    await h.api('POST', '/v1/id-tokens', { idToken: 'TAG-1', status: 'Blocked' });
    assert.equal(await authorize('TAG-1'), 'Blocked');
    await h.api('DELETE', '/v1/id-tokens/TAG-1');
    assert.equal(await authorize('TAG-1'), 'Invalid');
  });
});
