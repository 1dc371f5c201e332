import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSecret, tokenLookupId, verifySecret } from '../../shared/auth/secrets.js';

test('scrypt hashes verify the secret and nothing else, and never contain it', async () => {
  const hash = await hashSecret('correct horse battery');
  assert.ok(hash.startsWith('scrypt$'));
  assert.ok(!hash.includes('correct horse battery'));
  assert.equal(await verifySecret('correct horse battery', hash), true);
  assert.equal(await verifySecret('correct horse batterz', hash), false);
  assert.equal(await verifySecret('x', 'garbage'), false);
  assert.notEqual(await hashSecret('same'), await hashSecret('same'), 'salted');
});

test('token lookup ids are stable and do not reveal the token', () => {
  assert.equal(tokenLookupId('abc'), tokenLookupId('abc'));
  assert.notEqual(tokenLookupId('abc'), tokenLookupId('abd'));
  assert.equal(tokenLookupId('abc').length, 16);
});
