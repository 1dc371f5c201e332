/**
 * 1.6 security whitepaper A02/A03 SignCertificate: the station CA signs the Charge Point
 * certificate's CSR (../certificate-signing.ts); 1.6 has no certificate type and no statusInfo.
 */
import type {
  SignCertificateRequest,
  SignCertificateResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { signStationCertificate } from '../certificate-signing.js';

export const signCertificate: Route<
  SignCertificateRequest,
  SignCertificateResponse,
  'securityEvents' | 'issuedCertificates'
> = {
  async handle(ctx, request) {
    const { status } = await signStationCertificate(ctx, {
      csr: request.csr,
      certificateType: 'ChargePointCertificate',
    });
    return { status };
  },
};
