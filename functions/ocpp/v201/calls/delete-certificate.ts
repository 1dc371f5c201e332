/** 2.0.1 M04 DeleteCertificate. When Accepted the certificate is no longer listed as the station's. */
import type { V2CallOf } from './v2.js';
import { hashDataOf } from '../../certificate-hash.js';

export const deleteCertificate: V2CallOf<'DeleteCertificate', 'certificates'> = {
  repeatable: true, // deleting twice deletes the same
  async onResult({ store, stationId }, request, response) {
    if (response.status !== 'Accepted') return [];
    await store.certificates.deleteByHash(stationId, hashDataOf(request.certificateHashData));
    return [];
  },
};
