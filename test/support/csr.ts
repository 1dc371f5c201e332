/**
 * Certificate signing requests as a station makes them (2.0.1 A02.FR.02/03: its own key pair, a
 * PKCS#10 request, PEM). The private key stays with the test "station"; only the CSR is sent.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

export type CsrKey = 'ec-p256' | 'ec-p384' | 'rsa-2048' | 'rsa-1024';

const ALGORITHMS: Record<CsrKey, { gen: object; sign: object }> = {
  'ec-p256': { gen: { name: 'ECDSA', namedCurve: 'P-256' }, sign: { name: 'ECDSA', hash: 'SHA-256' } },
  'ec-p384': { gen: { name: 'ECDSA', namedCurve: 'P-384' }, sign: { name: 'ECDSA', hash: 'SHA-384' } },
  'rsa-2048': {
    gen: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
  'rsa-1024': {
    gen: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 1024,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    sign: { name: 'RSASSA-PKCS1-v1_5' },
  },
};

export interface StationCsr {
  readonly pem: string;
  /** DER SubjectPublicKeyInfo of the station's key (what the certificate must certify). */
  readonly publicKeySpki: Buffer;
  /** PKCS#8 PEM of the station's private key: stays with the station (its TLS client key). */
  readonly privateKeyPem: string;
}

export async function makeCsr(name: string, key: CsrKey = 'ec-p256'): Promise<StationCsr> {
  const alg = ALGORITHMS[key];
  const keys = (await webcrypto.subtle.generateKey(alg.gen as never, true, ['sign', 'verify'])) as never;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name, keys, signingAlgorithm: alg.sign as never },
    webcrypto,
  );
  const pkcs8 = await webcrypto.subtle.exportKey(
    'pkcs8',
    (keys as { privateKey: webcrypto.CryptoKey }).privateKey,
  );
  return {
    pem: csr.toString('pem'),
    publicKeySpki: Buffer.from(csr.publicKey.rawData),
    privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'),
  };
}

/** The same request with one byte of its signature changed: it no longer verifies. */
export function tamperSignature(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[^-]+-----|\s+/g, ''), 'base64');
  der[der.length - 2] = der[der.length - 2]! ^ 0x01;
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${body}\n-----END CERTIFICATE REQUEST-----\n`;
}
