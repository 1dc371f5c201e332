/**
 * Certificates for tests, minted in process (@peculiar/x509 on WebCrypto, ECDSA P-256): a CA,
 * station certificates it issues, self-signed ones. Nothing is written to disk.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface TestCa {
  readonly certPem: string;
  readonly keys: CryptoKeyPair;
  readonly cert: x509.X509Certificate;
}

export interface TestCertificate {
  readonly certPem: string;
  /** PKCS#8 PEM of the private key (a TLS client needs it). */
  readonly keyPem: string;
  /** Lower-case hex, as node:crypto reports it. */
  readonly serialHex: string;
}

let serial = 0x10000000;
function nextSerial(): string {
  serial += 1;
  return serial.toString(16);
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

export async function createTestCa(name = 'CSMS Test Station CA'): Promise<TestCa> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${name}, O=CSMS Test`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { certPem: cert.toString('pem'), keys, cert };
}

export async function issueStationCertificate(
  ca: TestCa,
  commonName: string,
  validity: { notBefore?: Date; notAfter?: Date } = {},
): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const serialNumber = nextSerial();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: `CN=${commonName}, O=CSMS Test`,
    issuer: ca.cert.subject,
    notBefore: validity.notBefore ?? new Date(now - DAY),
    notAfter: validity.notAfter ?? new Date(now + 30 * DAY),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey), serialHex: serialNumber };
}

export async function selfSignedCertificate(commonName: string): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const serialNumber = nextSerial();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: `CN=${commonName}, O=CSMS Test`,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey), serialHex: serialNumber };
}

/** A TLS server certificate for 127.0.0.1 / localhost, from the given CA. */
export async function issueServerCertificate(ca: TestCa): Promise<TestCertificate> {
  const keys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const now = Date.now();
  const serialNumber = nextSerial();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject: 'CN=localhost',
    issuer: ca.cert.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 30 * DAY),
    signingKey: ca.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
      ]),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyPem(keys.privateKey), serialHex: serialNumber };
}
