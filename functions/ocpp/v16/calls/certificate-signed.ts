/** 1.6 security A02/A03 CertificateSigned. When Accepted the signed certificate is stored. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { describePem } from '../../../../shared/store/certificates.js';

export const certificateSigned: CallOf<Methods, 'CertificateSigned', 'certificates'> = {
  repeatable: false,
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted') return [];
    await store.certificates.putSigned(stationId, {
      // 1.6 signs only the Charge Point certificate.
      certificateType: 'ChargePointCertificate',
      ...describePem(request.certificateChain),
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
