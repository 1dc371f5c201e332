/** A certificate's hash data (1.6 security and 2.x CertificateHashDataType) as stored: without customData. */
import type { CertificateHashData } from '../../shared/store/certificates.js';

export function hashDataOf(h: CertificateHashData): CertificateHashData {
  return {
    hashAlgorithm: h.hashAlgorithm,
    issuerNameHash: h.issuerNameHash,
    issuerKeyHash: h.issuerKeyHash,
    serialNumber: h.serialNumber,
  };
}
