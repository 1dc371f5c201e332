/** SignCertificate: the station CA signs the CSR (../certificate-signing.ts, A02/A03). */
import type {
  SignCertificateRequest,
  SignCertificateResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Route } from '../context.js';
import { signStationCertificate } from '../certificate-signing.js';

export const signCertificate: Route<
  SignCertificateRequest,
  SignCertificateResponse,
  'securityEvents' | 'issuedCertificates'
> = {
  async handle(ctx, request) {
    // A02.FR.13: the type the update was triggered for; absent means the station's own certificate.
    const certificateType = request.certificateType ?? 'ChargingStationCertificate';
    const { status, reasonCode } = await signStationCertificate(ctx, { csr: request.csr, certificateType });
    return reasonCode === undefined ? { status } : { status, statusInfo: { reasonCode } };
  },
};
