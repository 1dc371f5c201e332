/**
 * The station CA's CSR checks (shared/pki/csr.ts) and issuance (shared/pki/authority.ts): each
 * refusal of issue 11 "Bad input" has its reason, and what is issued verifies against the CA.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt, X509Certificate } from 'node:crypto';
import { checkCsr, MAX_CSR_CHARS } from '../../shared/pki/csr.js';
import { CsrRefusedError, SigningAuthority } from '../../shared/pki/authority.js';
import { KeySigner, MemoryCertificateStore } from '../../shared/pki/local.js';
import { makeCsr, tamperSignature } from '../support/csr.js';

const policy = { stationId: 'CS-1' };

async function refusal(pem: string, p: Parameters<typeof checkCsr>[1] = policy) {
  const result = await checkCsr(pem, p);
  assert.equal(result.ok, false, 'refused');
  return result.ok ? undefined : result.reason;
}

test('A02.FR.03: a PEM PKCS#10 request for the station identity with an EC P-256 key passes', async () => {
  const csr = await makeCsr('CN=CS-1, O=Acme');
  const result = await checkCsr(csr.pem, { stationId: 'CS-1', organization: 'Acme' });
  assert.equal(result.ok, true);
  assert.ok(result.ok && Buffer.from(result.publicKeySpki).equals(csr.publicKeySpki));
});

test('RSA 2048 and EC P-384 keys pass', async () => {
  assert.equal((await checkCsr((await makeCsr('CN=CS-1', 'rsa-2048')).pem, policy)).ok, true);
  assert.equal((await checkCsr((await makeCsr('CN=CS-1', 'ec-p384')).pem, policy)).ok, true);
});

test('refused: malformed PEM (not PEM, PEM of garbage, a certificate instead of a request)', async () => {
  assert.equal(await refusal('hello'), 'MalformedPem');
  assert.equal(
    await refusal('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'),
    'MalformedPem',
  );
  assert.equal(await refusal((await makeCsr('CN=CS-1')).pem.replaceAll('REQUEST', 'X')), 'MalformedPem');
});

test('refused: a request whose signature does not verify', async () => {
  assert.equal(await refusal(tamperSignature((await makeCsr('CN=CS-1')).pem)), 'SignatureInvalid');
});

test('refused: subject CN of another station, no CN, two CNs', async () => {
  assert.equal(await refusal((await makeCsr('CN=CS-2')).pem), 'SubjectMismatch');
  assert.equal(await refusal((await makeCsr('O=Acme')).pem), 'SubjectMismatch');
  assert.equal(await refusal((await makeCsr('CN=CS-1, CN=CS-2')).pem), 'SubjectMismatch');
});

test('refused: an RSA key under 2048 bits', async () => {
  assert.equal(await refusal((await makeCsr('CN=CS-1', 'rsa-1024')).pem), 'WeakKey');
});

test('refused: an organization other than the configured one (and none when one is configured)', async () => {
  assert.equal(
    await refusal((await makeCsr('CN=CS-1, O=Other')).pem, { ...policy, organization: 'Acme' }),
    'OrganizationMismatch',
  );
  assert.equal(
    await refusal((await makeCsr('CN=CS-1')).pem, { ...policy, organization: 'Acme' }),
    'OrganizationMismatch',
  );
});

test('refused: a request longer than the schema allows', async () => {
  assert.equal(await refusal('x'.repeat(MAX_CSR_CHARS + 1)), 'TooLarge');
});

async function authority() {
  const { signer } = await KeySigner.generate();
  return new SigningAuthority(signer, new MemoryCertificateStore(), {
    caName: 'CN=Test CA',
    organization: undefined,
    validityDays: 30,
    clock: () => new Date(),
  });
}

test('issue: the leaf has the CSR subject and key, chains to the CA, and the chain is leaf first', async () => {
  const ca = await authority();
  const csr = await makeCsr('CN=CS-1');
  const issued = await ca.issue({
    csrPem: csr.pem,
    stationId: 'CS-1',
    certificateType: 'ChargingStationCertificate',
  });
  const [caPem] = await ca.caCertificatesPem();
  const root = new X509Certificate(caPem!);
  const leaf = new X509Certificate(issued.chainPem);
  assert.equal(leaf.subject, 'CN=CS-1');
  assert.ok(leaf.publicKey.export({ format: 'der', type: 'spki' }).equals(csr.publicKeySpki));
  assert.ok(leaf.verify(root.publicKey), 'signed by the CA key');
  assert.ok(leaf.checkIssued(root));
  assert.ok(root.ca && !leaf.ca);
  assert.ok(root.verify(root.publicKey), 'the CA certificate is self-signed');
  assert.ok(issued.chainPem.endsWith(root.toString()), 'the CA certificate follows the leaf');
  assert.equal(leaf.serialNumber.toLowerCase().replace(/^0+/, ''), issued.serialNumber);
  assert.match(issued.serialNumber, /^[1-9a-f][0-9a-f]*$/);
  assert.equal(new Date(leaf.validTo).toISOString(), issued.notAfter);
  assert.equal(leaf.keyUsage?.includes('1.3.6.1.5.5.7.3.2'), true, 'clientAuth');
});

test('issue refuses what the checks refuse (CsrRefusedError), and two CAs never share a key', async () => {
  const ca = await authority();
  await assert.rejects(
    ca.issue({
      csrPem: (await makeCsr('CN=CS-2')).pem,
      stationId: 'CS-1',
      certificateType: 'ChargingStationCertificate',
    }),
    (error: unknown) => error instanceof CsrRefusedError && error.reason === 'SubjectMismatch',
  );
  const other = await authority();
  const issued = await ca.issue({
    csrPem: (await makeCsr('CN=CS-1')).pem,
    stationId: 'CS-1',
    certificateType: 'x',
  });
  const [otherCa] = await other.caCertificatesPem();
  assert.equal(new X509Certificate(issued.chainPem).verify(new X509Certificate(otherCa!).publicKey), false);
});

test('never throws: random bytes and truncated requests are refused; a bit flip is refused or leaves the signed part intact', async () => {
  const good = Buffer.from((await makeCsr('CN=CS-1')).pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  const armour = (der: Buffer) =>
    `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
  const inputs = [
    armour(randomBytes(300)),
    armour(good.subarray(0, good.length - 20)),
    armour(Buffer.alloc(0)),
  ];
  for (let i = 0; i < 60; i++) {
    const flipped = Buffer.from(good);
    const at = randomInt(flipped.length);
    flipped[at] = flipped[at]! ^ (1 << randomInt(8));
    inputs.push(armour(flipped));
  }
  const original = await checkCsr(armour(good), policy);
  assert.ok(original.ok);
  for (const [i, pem] of inputs.entries()) {
    const result = await checkCsr(pem, policy);
    if (i < 3) assert.equal(result.ok, false, 'refused');
    // A flip outside the signed part (an encoding detail of the outer structure) may still
    // verify: then what would be certified is exactly what the station signed.
    else if (result.ok) {
      assert.equal(result.subject, original.subject);
      assert.ok(Buffer.from(result.publicKeySpki).equals(Buffer.from(original.publicKeySpki)));
    }
  }
});
