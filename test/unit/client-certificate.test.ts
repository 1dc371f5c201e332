/** The profile-3 client certificate check (functions/ocpp/client-certificate.ts), A00.FR.403-407. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkClientCertificate,
  type CertificateStatus,
  type ClientCertificateInput,
} from '../../functions/ocpp/client-certificate.js';
import { clientCertificateTrust } from '../../functions/ocpp/client-certificate-trust.js';
import { readConfig } from '../../shared/aws/config.js';
import { startStore } from '../support/store.js';
import { createTestCa, issueStationCertificate, selfSignedCertificate } from '../support/pki.js';

const DAY = 86_400_000;
const ca = await createTestCa();
const otherCa = await createTestCa('Some Other CA');
const good = await issueStationCertificate(ca, 'CP-1');

function input(overrides: Partial<ClientCertificateInput> = {}): ClientCertificateInput {
  return {
    pem: good.certPem,
    stationId: 'CP-1',
    trustAnchorsPem: [ca.certPem],
    now: new Date(),
    status: () => Promise.resolve(undefined),
    ...overrides,
  };
}

test('A00.FR.403/405: a certificate issued by the trusted CA with the identity as CN is admitted', async () => {
  const result = await checkClientCertificate(input());
  assert.equal(result.ok, true);
  assert.ok(result.ok);
  assert.equal(result.serialHex, good.serialHex);
  assert.equal(result.subjectCn, 'CP-1');
});

test('ACTIVE in the registry is admitted; the registry is asked with the identity and the serial', async () => {
  const asked: string[] = [];
  const result = await checkClientCertificate(
    input({
      status: (stationId, serial) => {
        asked.push(`${stationId}/${serial}`);
        return Promise.resolve<CertificateStatus>('ACTIVE');
      },
    }),
  );
  assert.equal(result.ok, true);
  assert.deepEqual(asked, [`CP-1/${good.serialHex}`]);
});

test('A00.FR.407: an expired certificate is refused', async () => {
  const expired = await issueStationCertificate(ca, 'CP-1', {
    notBefore: new Date(Date.now() - 10 * DAY),
    notAfter: new Date(Date.now() - DAY),
  });
  const result = await checkClientCertificate(input({ pem: expired.certPem }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'Expired');
});

test('A00.FR.407: a certificate not yet valid is refused', async () => {
  const future = await issueStationCertificate(ca, 'CP-1', {
    notBefore: new Date(Date.now() + DAY),
    notAfter: new Date(Date.now() + 10 * DAY),
  });
  const result = await checkClientCertificate(input({ pem: future.certPem }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'NotYetValid');
});

test('A00.FR.403: a self-signed certificate is refused, even with the right CN', async () => {
  const self = await selfSignedCertificate('CP-1');
  const result = await checkClientCertificate(input({ pem: self.certPem }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'SelfSigned');
});

test('A00.FR.403: a certificate from another CA is refused', async () => {
  const foreign = await issueStationCertificate(otherCa, 'CP-1');
  const result = await checkClientCertificate(input({ pem: foreign.certPem }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'UntrustedIssuer');
});

test('A00.FR.403: a CA with the same name but another key is no issuer (the signature is checked)', async () => {
  const impostor = await createTestCa('CSMS Test Station CA');
  const forged = await issueStationCertificate(impostor, 'CP-1');
  const result = await checkClientCertificate(input({ pem: forged.certPem }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'UntrustedIssuer');
});

test('a certificate REVOKED in the registry is refused', async () => {
  const result = await checkClientCertificate(input({ status: () => Promise.resolve('REVOKED') }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'Revoked');
});

test('A00.FR.405: a certificate for another identity is refused', async () => {
  const result = await checkClientCertificate(input({ stationId: 'CP-2' }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'IdentityMismatch');
});

test('garbage PEM, an empty text and a CA certificate are refused, never thrown', async () => {
  for (const pem of [
    '',
    'not a certificate',
    '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
  ]) {
    const result = await checkClientCertificate(input({ pem }));
    assert.deepEqual(result.ok ? undefined : result.reason, 'Unparseable', JSON.stringify(pem));
  }
  const result = await checkClientCertificate(input({ pem: ca.certPem, stationId: 'CSMS Test Station CA' }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'CaCertificate');
});

test('no trust anchor configured: refused (NoTrustAnchors), unparseable anchors are ignored', async () => {
  const result = await checkClientCertificate(input({ trustAnchorsPem: ['garbage'] }));
  assert.deepEqual(result.ok ? undefined : result.reason, 'NoTrustAnchors');
  const withGood = await checkClientCertificate(input({ trustAnchorsPem: ['garbage', ca.certPem] }));
  assert.equal(withGood.ok, true);
});

test('a bundle of anchors: the other CA first, the issuing CA second', async () => {
  const result = await checkClientCertificate(
    input({ trustAnchorsPem: [`${otherCa.certPem}\n${ca.certPem}`] }),
  );
  assert.equal(result.ok, true);
});

test('the configured trust: CSMS_CLIENT_CA_PEM, the PEM files of CSMS_CLIENT_CA_FILES (a missing file is none), the own CA; status from the registry', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'csms-ca-'));
  const { store, close } = await startStore();
  try {
    const file = join(dir, 'ca.pem');
    await writeFile(file, otherCa.certPem);
    const config = readConfig({
      CSMS_TABLE_NAME: 'x',
      CSMS_EVENT_BUS_NAME: 'x',
      CSMS_CLIENT_CA_PEM: ca.certPem,
      CSMS_CLIENT_CA_FILES: [join(dir, 'missing.pem'), file].join(delimiter),
    });
    const own = await createTestCa('Own Station CA');
    const trust = clientCertificateTrust(config, store, () => Promise.resolve([own.certPem]));
    assert.deepEqual(await trust.trustAnchorsPem(), [ca.certPem, otherCa.certPem, own.certPem]);
    // A certificate the registry does not know: the chain decides.
    assert.equal(await trust.status('CP-1', good.serialHex), undefined);
    const now = new Date();
    await store.issuedCertificates.put({
      stationId: 'CP-1',
      serialNumber: good.serialHex,
      certificateType: 'ChargingStationCertificate',
      subject: 'CN=CP-1',
      notBefore: now.toISOString(),
      notAfter: new Date(now.getTime() + 86_400_000).toISOString(),
      fingerprint: 'f',
      chainPem: good.certPem,
      issuedAt: now.toISOString(),
    });
    assert.equal(await trust.status('CP-1', good.serialHex), 'ACTIVE');
    await store.issuedCertificates.revoke('CP-1', good.serialHex, now);
    assert.equal(await trust.status('CP-1', good.serialHex), 'REVOKED');
  } finally {
    await close();
    await rm(dir, { recursive: true, force: true });
  }
});
