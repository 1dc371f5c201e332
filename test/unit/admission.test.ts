/** The local gateway's handshake admission (infra/local/admission.ts; issue 7 defect 1). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HandshakeAdmission } from '../../infra/local/admission.js';

test('past the running limit and the queue, a handshake is refused at once with a Retry-After', async () => {
  const admission = new HandshakeAdmission({ limit: 1, queueLimit: 1, maxWaitMs: 60_000 });
  const first = await admission.acquire(() => false);
  assert.ok(first?.ok);
  const second = admission.acquire(() => false);
  const third = await admission.acquire(() => false);
  assert.equal(third?.ok, false);
  assert.ok(third && !third.ok && third.retryAfterSeconds >= 1);
  assert.equal(admission.shed, 1);
  first.release();
  assert.equal((await second)?.ok, true);
});

test('a waiting handshake whose client went away is dropped, not run', async () => {
  const admission = new HandshakeAdmission({ limit: 1, queueLimit: 4, maxWaitMs: 60_000 });
  const first = await admission.acquire(() => false);
  assert.ok(first?.ok);
  let gone = false;
  const abandoned = admission.acquire(() => gone);
  const waiting = admission.acquire(() => false);
  gone = true;
  first.release();
  assert.equal(await abandoned, undefined);
  assert.equal((await waiting)?.ok, true);
});

test('a handshake that waits too long is refused before its client times out', async () => {
  const admission = new HandshakeAdmission({ limit: 1, queueLimit: 4, maxWaitMs: 20 });
  const first = await admission.acquire(() => false);
  assert.ok(first?.ok);
  const late = await admission.acquire(() => false);
  assert.equal(late?.ok, false);
  first.release();
});
