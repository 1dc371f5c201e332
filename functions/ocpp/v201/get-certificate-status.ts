/**
 * 2.0.1 M06 GetCertificateStatus (2.1 the same): the OCSP status of one of the station's V2G
 * certificates, asked of the responder the station names through the provider
 * (shared/pki/contract-certificates.ts): Accepted with the DER OCSPResponse base64-encoded
 * (M06.FR.02, .03, .08, .09), Failed when it could not be retrieved (M06.FR.04).
 */
import type {
  GetCertificateStatusRequest,
  GetCertificateStatusResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { GetCertificateStatusRequest as GetCertificateStatusRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';

export const getCertificateStatus: Route<
  GetCertificateStatusRequest | GetCertificateStatusRequest21,
  GetCertificateStatusResponse,
  never
> = {
  async handle(ctx, req) {
    const { customData: _c, ...data } = req.ocspRequestData;
    const answer = await ctx.contractCertificates.certificateStatus(data);
    if (answer.status !== 'Accepted') {
      ctx.log.warn('OCSP status not retrieved', { reason: answer.reason, serialNumber: data.serialNumber });
    }
    return {
      status: answer.status,
      ...(answer.ocspResult !== undefined ? { ocspResult: answer.ocspResult } : {}),
      ...(answer.status !== 'Accepted' && answer.reason !== undefined
        ? { statusInfo: { reasonCode: 'OCSPFailed', additionalInfo: answer.reason.slice(0, 512) } }
        : {}),
    };
  },
};
