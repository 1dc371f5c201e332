/**
 * SignCertificate (2.0.1 / 2.1 A02-A03, 1.6 security whitepaper A02-A03), alike in every version:
 * the station CA (shared/pki) checks the CSR and signs it; the certificate is recorded in the
 * registry (shared/store/issued-certificates.ts) and `certificate.issued.v1` is published. The
 * chain reaches the station in a CertificateSigned CALL through the command path, sent once this
 * answer is out (topology EVENT_RULES `certificate-delivery`, shared/pki/delivery.ts).
 *
 * A02.FR.11 / A02.FR.12: Accepted when the CSMS can process the request, Rejected when it cannot:
 * no CA configured, a certificate type this CA does not issue, or a CSR that fails a check (then
 * also a security event, stored and published). A bad CSR is never an InternalError.
 */
import { isCriticalSecurityEvent } from '../../shared/domain/security-events.js';
import { CsrRefusedError } from '../../shared/pki/errors.js';
import type { EventSink } from '../../shared/events/publisher.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import type { Store } from '../../shared/store/index.js';
import type { HandlerContext } from './context.js';

/** The security event the CSMS records when it refuses a certificate signing request. */
export const CSR_REFUSED_EVENT = 'InvalidCertificateSigningRequest';

/** What the CSMS signs: the station's own client certificate (2.x / 1.6 names). */
const SIGNED_TYPES = ['ChargingStationCertificate', 'ChargePointCertificate'];

export interface SignOutcome {
  readonly status: 'Accepted' | 'Rejected';
  /** 2.x statusInfo.reasonCode (at most 20 characters). */
  readonly reasonCode?: string;
}

export async function signStationCertificate(
  ctx: HandlerContext<'securityEvents' | 'issuedCertificates'>,
  request: { readonly csr: string; readonly certificateType: string },
): Promise<SignOutcome> {
  if (!ctx.ca) {
    ctx.log.warn('SignCertificate rejected: no certificate authority is configured');
    return { status: 'Rejected', reasonCode: 'NoCA' };
  }
  if (!SIGNED_TYPES.includes(request.certificateType)) {
    // V2G certificates chain to the V2G root (ISO 15118 PKI), not to this CA (A02.FR.21 applies).
    ctx.log.info('SignCertificate rejected: certificate type not issued here', {
      certificateType: request.certificateType,
    });
    return { status: 'Rejected', reasonCode: 'UnsupportedType' };
  }
  let issued;
  try {
    issued = await ctx.ca.issue({
      csrPem: request.csr,
      stationId: ctx.stationId,
      certificateType: request.certificateType,
    });
  } catch (error) {
    if (!(error instanceof CsrRefusedError)) throw error; // the CA failed: InternalError, the station retries
    const techInfo = `${error.reason}: ${error.detail}`.slice(0, 255);
    await ctx.store.securityEvents.put(
      {
        stationId: ctx.stationId,
        type: CSR_REFUSED_EVENT,
        timestamp: ctx.now.toISOString(),
        techInfo,
        origin: 'csms',
      },
      ctx.now,
    );
    ctx.emit('security.event.v1', {
      stationId: ctx.stationId,
      occurredAt: ctx.now.toISOString(),
      type: CSR_REFUSED_EVENT,
      techInfo,
      origin: 'csms',
      critical: isCriticalSecurityEvent(ctx.protocol, CSR_REFUSED_EVENT),
    });
    ctx.log.warn('SignCertificate rejected: the CSR failed a check', { reason: error.reason });
    return { status: 'Rejected', reasonCode: 'InvalidCSR' };
  }
  const { chainPem, serialNumber, notBefore, notAfter, subject, fingerprint } = issued;
  await ctx.store.issuedCertificates.put({
    stationId: ctx.stationId,
    serialNumber,
    certificateType: request.certificateType,
    subject,
    notBefore,
    notAfter,
    fingerprint,
    chainPem,
    issuedAt: ctx.now.toISOString(),
  });
  ctx.emit('certificate.issued.v1', {
    stationId: ctx.stationId,
    occurredAt: ctx.now.toISOString(),
    serialNumber,
    certificateType: request.certificateType,
    subject,
    notBefore,
    notAfter,
  });
  return { status: 'Accepted' };
}

/**
 * A SignCertificate the schema refuses (a CSR over 5500 characters, an unknown certificateType) is
 * answered with a CALLERROR, as OCPP-J requires of every schema violation (§4.2.3), not Rejected;
 * it is still a refused CSR, recorded and published as the same security event (A02.FR.12's
 * intent: the operator sees every refused signing request).
 */
export async function recordInvalidSigningRequest(
  deps: { readonly store: Pick<Store, 'securityEvents'>; readonly events: EventSink },
  stationId: string,
  protocol: OcppProtocol,
  reason: string,
  now: Date,
): Promise<void> {
  const techInfo = `schema: ${reason}`.slice(0, 255);
  await deps.store.securityEvents.put(
    { stationId, type: CSR_REFUSED_EVENT, timestamp: now.toISOString(), techInfo, origin: 'csms' },
    now,
  );
  await deps.events.publish([
    {
      type: 'security.event.v1',
      detail: {
        stationId,
        occurredAt: now.toISOString(),
        type: CSR_REFUSED_EVENT,
        techInfo,
        origin: 'csms',
        critical: isCriticalSecurityEvent(protocol, CSR_REFUSED_EVENT),
      },
    },
  ]);
}
