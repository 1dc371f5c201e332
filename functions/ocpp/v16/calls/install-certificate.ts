/** 1.6 security §A02 InstallCertificate. When Accepted the installed root certificate is stored. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { describePem } from '../../../../shared/store/certificates.js';

export const installCertificate: CallOf<Methods, 'InstallCertificate'> = {
  repeatable: true, // the same certificate again
  async onResult({ store, stationId, commandId, now }, request, response) {
    if (response.status !== 'Accepted') return [];
    await store.certificates.putInstalled(stationId, {
      certificateType: request.certificateType,
      ...describePem(request.certificate),
      at: now.toISOString(),
      commandId,
    });
    return [];
  },
};
