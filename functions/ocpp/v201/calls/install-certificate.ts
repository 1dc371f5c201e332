/** 2.0.1 M05 InstallCertificate. When Accepted the installed root certificate is stored. */
import { recordInstalledCertificate } from '../../call-effects.js';
import type { V2CallOf } from './v2.js';

export const installCertificate: V2CallOf<'InstallCertificate', 'certificates'> = {
  repeatable: true, // the same certificate again
  onResult: (ctx, request, response) => recordInstalledCertificate(ctx, response.status, request),
};
