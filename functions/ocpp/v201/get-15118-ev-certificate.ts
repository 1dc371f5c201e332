/**
 * 2.0.1 M01 / M02 Get15118EVCertificate (2.1 the same, with maximumContractCertificateChains and
 * prioritizedEMAIDs): the EV's EXI request goes to the contract-certificate provider
 * (shared/pki/contract-certificates.ts) and its EXI answer back to the station. Without a
 * provider configured: Failed, with the reason in statusInfo.
 */
import type {
  Get15118EVCertificateRequest,
  Get15118EVCertificateResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { Get15118EVCertificateRequest as Get15118EVCertificateRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';

export const get15118EVCertificate: Route<
  Get15118EVCertificateRequest | Get15118EVCertificateRequest21,
  Get15118EVCertificateResponse,
  never
> = {
  async handle(ctx, req) {
    const extra = req as Partial<Get15118EVCertificateRequest21>;
    const answer = await ctx.contractCertificates.get15118EvCertificate({
      stationId: ctx.stationId,
      iso15118SchemaVersion: req.iso15118SchemaVersion,
      action: req.action,
      exiRequest: req.exiRequest,
      ...(extra.maximumContractCertificateChains !== undefined
        ? { maximumContractCertificateChains: extra.maximumContractCertificateChains }
        : {}),
      ...(extra.prioritizedEMAIDs !== undefined ? { prioritizedEMAIDs: extra.prioritizedEMAIDs } : {}),
    });
    ctx.log.info('Get15118EVCertificate answered', { status: answer.status, reason: answer.reason });
    return {
      status: answer.status,
      exiResponse: answer.exiResponse,
      ...(answer.reason !== undefined && answer.status !== 'Accepted'
        ? { statusInfo: { reasonCode: 'NoCertificate', additionalInfo: answer.reason.slice(0, 512) } }
        : {}),
    };
  },
};
