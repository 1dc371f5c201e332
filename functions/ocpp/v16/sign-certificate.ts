/** SignCertificate: answered Rejected until a certificate authority exists (see ../station-reports.ts). */
import type {
  SignCertificateRequest,
  SignCertificateResponse,
} from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { rejectSignCertificate } from '../station-reports.js';

export const signCertificate: Route<SignCertificateRequest, SignCertificateResponse> = {
  handle: rejectSignCertificate,
};
