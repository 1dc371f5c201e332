/**
 * The checks a certificate signing request passes before the station CA signs it (2.0.1 A02/A03,
 * 1.6 security whitepaper A02/A03: "a Certificate Signing Request (CSR) as described in RFC 2986
 * and then PEM encoded"). Pure: no storage, no clock; every refusal has its own reason so that the
 * security event says what was wrong.
 */
import { createPublicKey } from 'node:crypto';
import { x509 } from './x509.js';

/** The schemas bound `csr` to 5500 characters (2.0.1 and 1.6 SignCertificateRequest). */
export const MAX_CSR_CHARS = 5500;

export type CsrRefusal =
  'TooLarge' | 'MalformedPem' | 'SignatureInvalid' | 'SubjectMismatch' | 'OrganizationMismatch' | 'WeakKey';

export interface CsrPolicy {
  /** The station identity: the subject CN must be exactly this. */
  readonly stationId: string;
  /** When set, the subject O must be exactly this. */
  readonly organization?: string | undefined;
}

export interface AcceptedCsr {
  readonly ok: true;
  readonly csr: x509.Pkcs10CertificateRequest;
  /** The subject as the CSR states it (RFC 4514 string). */
  readonly subject: string;
  /** The public key, DER SubjectPublicKeyInfo: what the certificate will certify. */
  readonly publicKeySpki: ArrayBuffer;
  readonly keyDescription: string;
}

export interface RefusedCsr {
  readonly ok: false;
  readonly reason: CsrRefusal;
  /** For the security event's techInfo: what was found, never key material. */
  readonly detail: string;
}

const PEM =
  /^\s*-----BEGIN (NEW )?CERTIFICATE REQUEST-----\r?\n([A-Za-z0-9+/=\r\n]+)-----END (NEW )?CERTIFICATE REQUEST-----\s*$/;
/** 2.0.1 A00 / 1.6 security §"Certificate Properties": RSA of at least 2048 bits, or EC of at least 256. */
const EC_CURVES: Readonly<Record<string, number>> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };

const refuse = (reason: CsrRefusal, detail: string): RefusedCsr => ({ ok: false, reason, detail });

/** Checks a PEM CSR against the station's identity and the key rules. Never throws. */
export async function checkCsr(pem: string, policy: CsrPolicy): Promise<AcceptedCsr | RefusedCsr> {
  try {
    return await check(pem, policy);
  } catch {
    // Whatever the ASN.1 holds, a request that cannot be read is refused, never an error.
    return refuse('MalformedPem', 'the request cannot be read');
  }
}

async function check(pem: string, policy: CsrPolicy): Promise<AcceptedCsr | RefusedCsr> {
  if (pem.length > MAX_CSR_CHARS)
    return refuse('TooLarge', `${pem.length} characters, at most ${MAX_CSR_CHARS}`);
  const match = PEM.exec(pem);
  if (!match) return refuse('MalformedPem', 'not a PEM "CERTIFICATE REQUEST"');
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(Buffer.from(match[2]!.replace(/\s+/g, ''), 'base64'));
  } catch {
    return refuse('MalformedPem', 'the PEM does not hold a PKCS#10 request');
  }
  let spki: ArrayBuffer;
  let keyDescription: string;
  try {
    spki = csr.publicKey.rawData;
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    const details = key.asymmetricKeyDetails ?? {};
    if (key.asymmetricKeyType === 'rsa') {
      const bits = details.modulusLength ?? 0;
      keyDescription = `RSA ${bits}`;
      if (bits < 2048) return refuse('WeakKey', `${keyDescription}: RSA keys need at least 2048 bits`);
    } else if (key.asymmetricKeyType === 'ec') {
      const bits = EC_CURVES[details.namedCurve ?? ''];
      keyDescription = `EC ${details.namedCurve ?? 'unknown curve'}`;
      if (bits === undefined || bits < 256)
        return refuse('WeakKey', `${keyDescription}: EC keys need a NIST curve of at least 256 bits`);
    } else {
      return refuse('WeakKey', `${key.asymmetricKeyType ?? 'unknown'} keys are not accepted (RSA or EC)`);
    }
  } catch {
    return refuse('MalformedPem', 'the public key of the request cannot be read');
  }
  let verified = false;
  try {
    verified = await csr.verify();
  } catch {
    verified = false;
  }
  if (!verified) return refuse('SignatureInvalid', 'the request is not signed by the key it carries');
  const cn = csr.subjectName.getField('CN');
  if (cn.length !== 1 || cn[0] !== policy.stationId) {
    return refuse(
      'SubjectMismatch',
      `subject CN ${JSON.stringify(cn.join(','))} is not the station identity`,
    );
  }
  if (policy.organization !== undefined) {
    const o = csr.subjectName.getField('O');
    if (o.length !== 1 || o[0] !== policy.organization) {
      return refuse(
        'OrganizationMismatch',
        `subject O ${JSON.stringify(o.join(','))} is not the configured organization`,
      );
    }
  }
  return { ok: true, csr, subject: csr.subject, publicKeySpki: spki, keyDescription };
}
