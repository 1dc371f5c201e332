/**
 * What the API checks of the certificates and signatures an operator hands to stations
 * (InstallCertificate, signed firmware: 1.6 security L01 SignedUpdateFirmware, 2.x L01
 * UpdateFirmware with signingCertificate + signature): that they parse. A station would refuse
 * them anyway (InvalidFirmwareSigningCertificate...), after a download: better a 400 naming the field.
 */
import { X509Certificate } from 'node:crypto';

/** One or more PEM certificates, each of which node:crypto can read; a message when not. */
export function pemCertificateProblem(pem: string): string | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks || blocks.length === 0) return 'must be a PEM certificate (-----BEGIN CERTIFICATE-----)';
  const outside = pem.replace(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g, '').trim();
  if (outside !== '') return 'must hold only PEM certificates';
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return 'is not a readable X.509 certificate';
    }
  }
  return undefined;
}

/** Base64 (RFC 4648 §4, padded or not) of at least one byte; a message when not. */
export function base64Problem(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact) || compact.length % 4 === 1) return 'must be base64';
  return Buffer.from(compact, 'base64').length > 0 ? undefined : 'must be base64 of at least one byte';
}
