/** 2.0.1 A02/A03 CertificateSigned. When Accepted the signed certificate is stored. */
import type { V2CallOf } from './v2.js';
import { describePem } from '../../../../shared/store/certificates.js';

export const certificateSigned: V2CallOf<'CertificateSigned', 'certificates'> = {
  repeatable: false,
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted') return [];
    await store.certificates.putSigned(stationId, {
      certificateType: request.certificateType ?? 'ChargingStationCertificate',
      ...describePem(request.certificateChain),
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
