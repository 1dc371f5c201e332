/** 1.6 security §A02 InstallCertificate. When Accepted the installed root certificate is stored. */
import type { Methods } from '../../../../shared/ocpp/generated/v16/types.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { recordInstalledCertificate } from '../../call-effects.js';

export const installCertificate: CallOf<Methods, 'InstallCertificate', 'certificates'> = {
  repeatable: true, // the same certificate again
  onResult: (ctx, request, response) => recordInstalledCertificate(ctx, response.status, request),
};
