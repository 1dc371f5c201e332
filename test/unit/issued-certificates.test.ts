/**
 * The registry of issued certificates (shared/store/issued-certificates.ts) on dynalite: the
 * status the profile-3 authorizer asks for (serials compared as hex without leading zeros),
 * revocation outcomes, and the renewal index (only ACTIVE certificates not yet asked for).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../shared/store/index.js';
import { startStore } from '../support/store.js';

let store: Store;
let close: () => Promise<void>;
before(async () => ({ store, close } = await startStore()));
after(() => close());

const cert = (stationId: string, serialNumber: string, notAfter: string) => ({
  stationId,
  serialNumber,
  certificateType: 'ChargingStationCertificate',
  subject: `CN=${stationId}`,
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter,
  fingerprint: 'ab'.repeat(32),
  chainPem: '-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n',
  issuedAt: '2026-01-01T00:00:00.000Z',
});

test('status: ACTIVE for an issued serial in any hex spelling, undefined for others and other stations', async () => {
  await store.issuedCertificates.put(cert('R-1', '1a2b', '2027-01-01T00:00:00.000Z'));
  assert.equal(await store.issuedCertificates.status('R-1', '1a2b'), 'ACTIVE');
  assert.equal(await store.issuedCertificates.status('R-1', '001A2B'), 'ACTIVE');
  assert.equal(await store.issuedCertificates.status('R-1', 'ffff'), undefined);
  assert.equal(await store.issuedCertificates.status('R-2', '1a2b'), undefined);
  await assert.rejects(store.issuedCertificates.put(cert('R-1', '1A2B', '2027-01-01T00:00:00.000Z')));
});

test('revoke: revoked, then already; unknown for a serial never issued; status REVOKED', async () => {
  await store.issuedCertificates.put(cert('R-3', 'c0de', '2027-01-01T00:00:00.000Z'));
  const now = new Date('2026-06-01T00:00:00Z');
  assert.equal(await store.issuedCertificates.revoke('R-3', 'C0DE', now), 'revoked');
  assert.equal(await store.issuedCertificates.revoke('R-3', 'c0de', now), 'already');
  assert.equal(await store.issuedCertificates.revoke('R-3', 'beef', now), 'unknown');
  assert.equal(await store.issuedCertificates.status('R-3', 'c0de'), 'REVOKED');
  assert.equal((await store.issuedCertificates.get('R-3', 'c0de'))?.revokedAt, now.toISOString());
});

test('renewal index: ACTIVE and not yet asked for, expiring before the horizon; asked for once', async () => {
  await store.issuedCertificates.put(cert('R-4', 'a1', '2026-07-01T00:00:00.000Z'));
  await store.issuedCertificates.put(cert('R-5', 'a2', '2026-12-01T00:00:00.000Z'));
  await store.issuedCertificates.put(cert('R-6', 'a3', '2026-07-02T00:00:00.000Z'));
  await store.issuedCertificates.revoke('R-6', 'a3', new Date());
  const horizon = new Date('2026-08-01T00:00:00Z');
  const due = (await store.issuedCertificates.dueForRenewal(horizon, 100)).map((c) => c.serialNumber);
  assert.ok(due.includes('a1'));
  assert.ok(!due.includes('a2'), 'expires after the horizon');
  assert.ok(!due.includes('a3'), 'revoked');
  await store.issuedCertificates.markRenewalRequested('R-4', 'a1', new Date());
  assert.ok(
    !(await store.issuedCertificates.dueForRenewal(horizon, 100)).some((c) => c.serialNumber === 'a1'),
  );
});
