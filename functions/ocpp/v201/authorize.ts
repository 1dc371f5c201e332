/**
 * 2.0.1 C01 (and C02, C06, C07, C09) Authorize: look the id token up, answer its status, expiry
 * and group; publish the decision. Version-neutral: 2.1 uses `handleAuthorize` through its own
 * route (functions/ocpp/v21/authorize.ts).
 */
import type { AuthorizeRequest, AuthorizeResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { HandlerContext, Route } from '../context.js';
import { checkIdToken, emitDecision, idTokenInfo, type IdTokenInfo, type IdTokenInput } from './id-token.js';

/** The fields of AuthorizeRequest that 2.0.1 and 2.1 share and the CSMS reads. */
export interface AuthorizeInput {
  readonly idToken: IdTokenInput;
  readonly certificate?: string;
  readonly iso15118CertificateHashData?: readonly unknown[];
}

export interface AuthorizeResult {
  readonly idTokenInfo: IdTokenInfo;
  readonly certificateStatus?: 'CertChainError';
}

export async function handleAuthorize(
  ctx: HandlerContext<'idTokens' | 'commands'>,
  req: AuthorizeInput,
): Promise<AuthorizeResult> {
  const check = await checkIdToken(ctx, req.idToken);
  const info = idTokenInfo(check);
  if (req.certificate !== undefined || req.iso15118CertificateHashData !== undefined) {
    // C07.FR.17: this CSMS has no contract certificate trust store nor OCSP client, so it cannot
    // verify the chain: certificateStatus CertChainError and idTokenInfo.status Invalid.
    emitDecision(ctx, req.idToken, check, 'Authorize', 'Invalid');
    return { idTokenInfo: { ...info, status: 'Invalid' }, certificateStatus: 'CertChainError' };
  }
  // C01.FR.07 / C06.FR.04: always a status, Accepted or the reason for rejection.
  emitDecision(ctx, req.idToken, check, 'Authorize');
  return { idTokenInfo: info };
}

export const authorize: Route<AuthorizeRequest, AuthorizeResponse, 'idTokens' | 'commands'> = {
  handle: handleAuthorize,
};
