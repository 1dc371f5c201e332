/**
 * 1.6 security whitepaper A02/A03 SignCertificate: this CSMS has no certificate authority yet, so
 * it cannot process a CSR. A02.FR.12 / A03.FR.12: a Central System NOT able to process the request
 * SHALL answer Rejected (rather than NotSupported).
 */
import type {
  SignCertificateRequest,
  SignCertificateResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';

export const signCertificate: Route<SignCertificateRequest, SignCertificateResponse> = {
  async handle(ctx) {
    ctx.log.warn('SignCertificate rejected: no certificate authority is configured', {
      stationId: ctx.stationId,
    });
    return { status: 'Rejected' };
  },
};
