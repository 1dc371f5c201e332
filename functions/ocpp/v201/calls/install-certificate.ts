/** 2.0.1 M05 InstallCertificate. When Accepted the installed root certificate is stored. */
import type { V2CallOf } from './v2.js';
import { describePem } from '../../../../shared/store/certificates.js';

export const installCertificate: V2CallOf<'InstallCertificate'> = {
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
