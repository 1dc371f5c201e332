/**
 * Security profile 3 admission (2.0.1 A00.FR.401-408, 1.6 security whitepaper §2.4): is the TLS
 * client certificate the front door forwarded good for this station identity, now?
 *
 * Pure: node:crypto's X509Certificate only (the authorizer bundle stays small), no I/O but the
 * `status` look-up it is given. The certificate must
 * - parse as one X.509 certificate (PEM),
 * - be valid now (notBefore <= now <= notAfter; A00.FR.407),
 * - not be a CA certificate nor self-signed,
 * - be issued directly by one of the trust anchors, checked by issuer name AND signature
 *   (A00.FR.403; the issuing CA is the anchor: CloudFront forwards the leaf only),
 * - not be REVOKED in the registry of issued certificates,
 * - carry the station identity as its subject CN (A00.FR.405; this CSMS requires equality).
 */
import { X509Certificate } from 'node:crypto';

export type CertificateStatus = 'ACTIVE' | 'REVOKED';

/** Where the trust comes from: the CA certificates, and the registry of issued certificates. */
export interface ClientCertificateTrust {
  /** PEM certificates of the CAs whose station certificates are accepted. */
  trustAnchorsPem(): Promise<string[]>;
  /** The registry's word on one issued certificate; undefined when it does not know it. */
  status(stationId: string, serialHex: string): Promise<CertificateStatus | undefined>;
}

export type ClientCertificateRefusal =
  | 'Unparseable'
  | 'NotYetValid'
  | 'Expired'
  | 'CaCertificate'
  | 'SelfSigned'
  | 'UntrustedIssuer'
  | 'NoTrustAnchors'
  | 'Revoked'
  | 'IdentityMismatch';

export type ClientCertificateCheck =
  | {
      readonly ok: true;
      /** Lower-case hex, as node:crypto reports it (no separators). */
      readonly serialHex: string;
      readonly notAfter: Date;
      readonly subjectCn: string;
    }
  | { readonly ok: false; readonly reason: ClientCertificateRefusal; readonly detail: string };

export interface ClientCertificateInput {
  readonly pem: string;
  readonly stationId: string;
  readonly trustAnchorsPem: readonly string[];
  readonly now: Date;
  readonly status: (stationId: string, serialHex: string) => Promise<CertificateStatus | undefined>;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text (a bundle may hold several); unparseable blocks are skipped. */
export function parseCertificates(pem: string): X509Certificate[] {
  const out: X509Certificate[] = [];
  for (const block of pem.match(PEM_BLOCK) ?? []) {
    try {
      out.push(new X509Certificate(block));
    } catch {
      // not a certificate: ignored here, the caller decides whether none is an error
    }
  }
  return out;
}

/** The subject's CN; undefined when there is none or more than one. */
export function subjectCommonName(cert: X509Certificate): string | undefined {
  // node:crypto renders the subject one RDN per line, `CN=value` (multi-valued RDNs joined by '+').
  const names = cert.subject
    .split('\n')
    .flatMap((rdn) => rdn.split('+'))
    .filter((attribute) => attribute.startsWith('CN='))
    .map((attribute) => attribute.slice(3));
  return names.length === 1 ? names[0] : undefined;
}

export async function checkClientCertificate(input: ClientCertificateInput): Promise<ClientCertificateCheck> {
  const refuse = (reason: ClientCertificateRefusal, detail: string): ClientCertificateCheck => ({
    ok: false,
    reason,
    detail,
  });
  const certificates = parseCertificates(input.pem);
  const leaf = certificates[0];
  if (!leaf) return refuse('Unparseable', 'the client certificate is not a PEM X.509 certificate');
  const now = input.now.getTime();
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()))
    return refuse('Unparseable', 'the client certificate has no readable validity period');
  if (now < notBefore.getTime()) return refuse('NotYetValid', `not valid before ${notBefore.toISOString()}`);
  if (now > notAfter.getTime()) return refuse('Expired', `expired at ${notAfter.toISOString()}`);
  if (leaf.ca) return refuse('CaCertificate', 'a CA certificate is not a charging station certificate');
  if (leaf.checkIssued(leaf) && leaf.verify(leaf.publicKey))
    return refuse('SelfSigned', 'the client certificate is self-signed');

  const anchors = input.trustAnchorsPem.flatMap(parseCertificates);
  if (anchors.length === 0) return refuse('NoTrustAnchors', 'no CA certificate is configured to trust');
  // A00.FR.403: the issuer's name AND its signature; an anchor outside its own validity is no anchor.
  const issuer = anchors.find(
    (anchor) =>
      leaf.checkIssued(anchor) &&
      leaf.verify(anchor.publicKey) &&
      now >= new Date(anchor.validFrom).getTime() &&
      now <= new Date(anchor.validTo).getTime(),
  );
  if (!issuer) return refuse('UntrustedIssuer', `issued by "${oneLine(leaf.issuer)}", not a trusted CA`);

  const serialHex = leaf.serialNumber.toLowerCase();
  if ((await input.status(input.stationId, serialHex)) === 'REVOKED')
    return refuse('Revoked', `certificate ${serialHex} is revoked`);

  // A00.FR.405: the certificate belongs to this station.
  const cn = subjectCommonName(leaf);
  if (cn !== input.stationId)
    return refuse('IdentityMismatch', `subject CN "${cn ?? ''}" is not the station identity`);
  return { ok: true, serialHex, notAfter, subjectCn: cn };
}

function oneLine(name: string): string {
  return name.split('\n').join(', ');
}
