/**
 * 2.0.1 M03 GetInstalledCertificateIds. Accepted, or NotFound (none of the requested types): the
 * station's certificates of those types (none given: all) are replaced by the chains it reports.
 */
import type { V2CallOf } from './v2.js';
import { hashDataOf } from '../../certificate-hash.js';

export const getInstalledCertificateIds: V2CallOf<'GetInstalledCertificateIds', 'certificates'> = {
  repeatable: true, // a read
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted' && response.status !== 'NotFound') return [];
    const at = now.toISOString();
    await store.certificates.replaceReported(
      stationId,
      request.certificateType ? [...request.certificateType] : undefined,
      (response.certificateHashDataChain ?? []).map((c) => ({
        certificateType: c.certificateType,
        hashData: hashDataOf(c.certificateHashData),
        ...(c.childCertificateHashData
          ? { childCertificateHashData: c.childCertificateHashData.map(hashDataOf) }
          : {}),
        at,
        commandId,
      })),
    );
    return [];
  },
};
