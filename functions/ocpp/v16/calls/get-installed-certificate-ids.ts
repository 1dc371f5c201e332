/**
 * 1.6 security GetInstalledCertificateIds. Accepted, or NotFound (none of that type): the
 * station's certificates of the requested type are replaced by those it reports.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { hashDataOf } from '../../certificate-hash.js';

export const getInstalledCertificateIds: CallOf<Methods, 'GetInstalledCertificateIds', 'certificates'> = {
  repeatable: true, // a read
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted' && response.status !== 'NotFound') return [];
    const at = now.toISOString();
    const type = request.certificateType;
    await store.certificates.replaceReported(
      stationId,
      [type],
      (response.certificateHashData ?? []).map((h) => ({
        certificateType: type,
        hashData: hashDataOf(h),
        at,
        commandId,
      })),
    );
    return [];
  },
};
