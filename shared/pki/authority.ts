/**
 * The station certificate authority: one interface, a local implementation (a CA key in the data
 * dir, ./local.ts) and an AWS one (a KMS asymmetric key, ./kms.ts; docs/adr/0014-station-ca.md).
 * Both sign the same way: this module builds the certificate and asks a `CaSigner` for the
 * signature over its TBS part, so the CA key never leaves its signer (a file or KMS).
 *
 * 2.0.1 A02.FR.04 recommends a CA apart from the CSMS; here the CSMS only holds a signing
 * capability, and the CA certificate a station installs to verify its chain (A02.FR.06) is
 * `caCertificatesPem()`.
 */
import { createHash, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { checkCsr, type CsrPolicy } from './csr.js';
import { x509 } from './x509.js';
import { CsrRefusedError } from './errors.js';

export { CsrRefusedError };

export interface IssueRequest {
  readonly csrPem: string;
  readonly stationId: string;
  /** 2.0.1 ChargingStationCertificate (1.6: ChargePointCertificate). */
  readonly certificateType: string;
}

export interface IssuedCertificate {
  /** PEM, leaf first, then the CA certificate. */
  readonly chainPem: string;
  /** Hex, lower case, no leading zeros (as GetInstalledCertificateIds reports it). */
  readonly serialNumber: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly subject: string;
  /** SHA-256 of the leaf's DER, hex. */
  readonly fingerprint: string;
}

export interface StationCa {
  /** The CA certificate(s) a station installs to verify what this CA issues (A02.FR.06). */
  caCertificatesPem(): Promise<string[]>;
  /** Checks the CSR (./csr.ts) and signs it; throws CsrRefusedError when a check fails. */
  issue(request: IssueRequest): Promise<IssuedCertificate>;
}

/** Signs with the CA key: ECDSA P-256 / SHA-256, the signature as WebCrypto gives it (r || s). */
export interface CaSigner {
  /** DER SubjectPublicKeyInfo of the CA key. */
  publicKeySpki(): Promise<ArrayBuffer>;
  sign(data: ArrayBuffer): Promise<ArrayBuffer>;
}

/** Where the CA certificate is kept; the first one written wins (concurrent first starts agree). */
export interface CaCertificateStore {
  get(): Promise<string | undefined>;
  /** Stores `pem` unless one is there; returns the one that is there afterwards. */
  putIfAbsent(pem: string): Promise<string>;
}

export interface AuthorityOptions {
  /** Subject of the CA certificate, e.g. `CN=CSMS station CA`. */
  readonly caName: string;
  readonly organization?: string | undefined;
  readonly validityDays: number;
  readonly clock: () => Date;
}

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const CA_YEARS = 20;
/** Stations' clocks drift; a certificate valid from a few minutes ago is usable at once (A02.FR.08). */
const BACKDATE_MS = 5 * 60_000;

/** A positive serial of 16 random bytes: hex, lower case, no leading zero (RFC 5280 §4.1.2.2). */
export function newSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x10;
  return bytes.toString('hex');
}

/**
 * @peculiar/x509 types its crypto provider and keys with the DOM's Crypto / CryptoKey, which this
 * project (Node types only) does not have: they are passed as opaque values.
 */
type X509Crypto = never;
type X509Key = never;

/** Bytes of a BufferSource as an ArrayBuffer of their own. */
function bytesOf(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
}

/** Node's WebCrypto, typed as @peculiar/x509 wants it. */
const nodeCrypto = webcrypto as unknown as X509Crypto;

/** A WebCrypto whose `sign` is the CA signer: @peculiar/x509 builds the TBS, the signer signs it. */
function signerCrypto(signer: CaSigner): { crypto: X509Crypto; key: X509Key } {
  const subtle = {
    sign: (_algorithm: unknown, _key: unknown, data: ArrayBuffer | ArrayBufferView) =>
      signer.sign(bytesOf(data)),
    digest: (algorithm: string, data: ArrayBuffer | ArrayBufferView) =>
      webcrypto.subtle.digest(algorithm, data),
  };
  const crypto = {
    subtle,
    getRandomValues: <T extends Uint8Array>(array: T) => webcrypto.getRandomValues(array),
  } as unknown as X509Crypto;
  // Only its algorithm is read (to name the signature algorithm); the signer holds the key.
  const key = {
    algorithm: EC_P256,
    type: 'private',
    extractable: false,
    usages: ['sign'],
  } as unknown as X509Key;
  return { crypto, key };
}

const toPem = (der: ArrayBuffer) => new X509Certificate(Buffer.from(der)).toString();

export class SigningAuthority implements StationCa {
  #ca: Promise<{ pem: string; cert: x509.X509Certificate }> | undefined;

  constructor(
    private readonly signer: CaSigner,
    private readonly certificates: CaCertificateStore,
    private readonly options: AuthorityOptions,
  ) {}

  async caCertificatesPem(): Promise<string[]> {
    return [(await this.#caCertificate()).pem];
  }

  async issue(request: IssueRequest): Promise<IssuedCertificate> {
    const policy: CsrPolicy = { stationId: request.stationId, organization: this.options.organization };
    const checked = await checkCsr(request.csrPem, policy);
    if (!checked.ok) throw new CsrRefusedError(checked.reason, checked.detail);
    const ca = await this.#caCertificate();
    const now = this.options.clock().getTime();
    const notBefore = new Date(Math.floor((now - BACKDATE_MS) / 1000) * 1000);
    const notAfter = new Date(Math.floor((now + this.options.validityDays * 86_400_000) / 1000) * 1000);
    const serialNumber = newSerialNumber();
    const { crypto, key } = signerCrypto(this.signer);
    const leafPublicKey = new x509.PublicKey(checked.publicKeySpki);
    const rsa = checked.keyDescription.startsWith('RSA');
    const leaf = await x509.X509CertificateGenerator.create(
      {
        serialNumber,
        subject: checked.csr.subjectName,
        issuer: ca.cert.subjectName,
        notBefore,
        notAfter,
        publicKey: checked.publicKeySpki,
        signingKey: key,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature |
              (rsa ? x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.keyAgreement),
            true,
          ),
          // The station is the TLS client of security profile 3.
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
          await x509.SubjectKeyIdentifierExtension.create(leafPublicKey, false, nodeCrypto),
          await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false, nodeCrypto),
        ],
      },
      crypto,
    );
    const leafPem = toPem(leaf.rawData);
    return {
      chainPem: `${leafPem}${ca.pem}`,
      serialNumber,
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      subject: checked.subject,
      fingerprint: createHash('sha256').update(Buffer.from(leaf.rawData)).digest('hex'),
    };
  }

  /** The CA certificate: stored, or created (self-signed by the signer) on first use. */
  #caCertificate(): Promise<{ pem: string; cert: x509.X509Certificate }> {
    this.#ca ??= (async () => {
      const stored =
        (await this.certificates.get()) ?? (await this.certificates.putIfAbsent(await this.#selfSigned()));
      return { pem: new X509Certificate(stored).toString(), cert: new x509.X509Certificate(stored) };
    })();
    this.#ca.catch(() => (this.#ca = undefined));
    return this.#ca;
  }

  async #selfSigned(): Promise<string> {
    const spki = await this.signer.publicKeySpki();
    const publicKey = new x509.PublicKey(spki);
    const now = this.options.clock().getTime();
    const name = new x509.Name(
      this.options.organization !== undefined
        ? `${this.options.caName}, O=${this.options.organization}`
        : this.options.caName,
    );
    const { crypto, key } = signerCrypto(this.signer);
    const cert = await x509.X509CertificateGenerator.create(
      {
        serialNumber: newSerialNumber(),
        subject: name,
        issuer: name,
        notBefore: new Date(now - BACKDATE_MS),
        notAfter: new Date(now + CA_YEARS * 365 * 86_400_000),
        publicKey: spki,
        signingKey: key,
        signingAlgorithm: SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(true, 0, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(publicKey, false, nodeCrypto),
        ],
      },
      crypto,
    );
    return toPem(cert.rawData);
  }
}
