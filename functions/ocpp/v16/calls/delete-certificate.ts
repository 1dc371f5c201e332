/** 1.6 security DeleteCertificate. When Accepted the certificate is no longer listed as the station's. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { hashDataOf } from '../../certificate-hash.js';

export const deleteCertificate: CallOf<Methods, 'DeleteCertificate', 'certificates'> = {
  repeatable: true, // deleting twice deletes the same
  async onResult({ store, stationId }, request, response) {
    if (response.status !== 'Accepted') return [];
    await store.certificates.deleteByHash(stationId, hashDataOf(request.certificateHashData));
    return [];
  },
};
