/**
 * Id token checks shared by Authorize and TransactionEvent, for 2.0.1 and 2.1 (version-neutral:
 * they take the fields both versions' IdTokenType have; 2.1 widened `type` to an open string).
 */
import { decideAuthorization, type AuthorizationDecision } from '../../../shared/domain/authorization.js';
import type { EventDetail } from '../../../shared/events/catalog.js';
import type { HandlerContext } from '../context.js';
import { remoteStartIssued } from '../remote-start.js';

export interface IdTokenInput {
  readonly idToken: string;
  readonly type: string;
}

/**
 * 2.0.1/2.1 AuthorizationStatusEnumType values the CSMS answers: the version-neutral decision, with
 * an unknown identifier answered Unknown ("Identifier is unknown"), which 1.6 does not have.
 */
export type TokenStatus = AuthorizationDecision['status'] | 'Unknown';

/** What the CSMS answers about an id token: a decision about a token, or "no token to decide on". */
export type TokenCheck =
  | { readonly kind: 'no-authorization' }
  | { readonly kind: 'decided'; readonly decision: AuthorizationDecision; readonly status: TokenStatus };

/** The idTokenInfo both versions accept (2.0.1 and 2.1 IdTokenInfoType share these fields). */
export interface IdTokenInfo {
  readonly status: TokenStatus;
  readonly cacheExpiryDateTime?: string;
  readonly groupIdToken?: { readonly idToken: string; readonly type: 'Central' };
}

export async function checkIdToken(
  ctx: HandlerContext<'idTokens' | 'commands'>,
  token: IdTokenInput,
): Promise<TokenCheck> {
  // C02.FR.01/02: a start button sends type NoAuthorization with an empty idToken; the CSMS answers
  // Accepted. There is no identifier to look up (C01.FR.04), so nothing is decided or published.
  if (token.type === 'NoAuthorization') return { kind: 'no-authorization' };
  const [exact, station] = await Promise.all([
    ctx.store.idTokens.get(token.idToken, token.type),
    ctx.station(),
  ]);
  let stored = exact;
  let remoteStart = false;
  if (!exact && (await remoteStartIssued(ctx, token.idToken, token.type))) {
    // F01.FR.01 / F01.FR.03: a token the CSMS just sent in a RequestStartTransaction (type Central
    // by default) is vouched for; stored under another type, it is answered as stored there (a
    // blocked card stays blocked, its group and expiry go with it).
    stored = await ctx.store.idTokens.findAnyType(token.idToken);
    remoteStart = !stored;
  }
  // C01.FR.07 / E01.FR.11 / E05.FR.01: the CSMS verifies the identifier itself, every time.
  const decision = decideAuthorization(stored, ctx.now, {
    freeCharging: station?.freeCharging ?? false,
    remoteStart,
  });
  return { kind: 'decided', decision, status: decision.reason === 'unknown' ? 'Unknown' : decision.status };
}

export function idTokenInfo(check: TokenCheck): IdTokenInfo {
  if (check.kind === 'no-authorization') return { status: 'Accepted' };
  const d = check.decision;
  return {
    status: check.status,
    // The token's expiry: after it the station must not trust its cached answer.
    ...(d.expiresAt ? { cacheExpiryDateTime: d.expiresAt } : {}),
    // C01.FR.06 / C09.FR.12 / E01.FR.12: the group id whenever the token has one; the group is a
    // CSMS-side identifier, hence type Central.
    ...(d.groupId ? { groupIdToken: { idToken: d.groupId, type: 'Central' as const } } : {}),
  };
}

/** Queues authorization.decided.v1 for a decided token (not for NoAuthorization). */
export function emitDecision(
  ctx: HandlerContext<never>,
  token: IdTokenInput,
  check: TokenCheck,
  context: EventDetail<'authorization.decided.v1'>['context'],
  status: TokenStatus = check.kind === 'decided' ? check.status : 'Accepted',
): void {
  if (check.kind !== 'decided') return;
  ctx.emit('authorization.decided.v1', {
    stationId: ctx.stationId,
    occurredAt: ctx.now.toISOString(),
    idToken: token.idToken,
    idTokenType: token.type,
    status,
    reason: check.decision.reason,
    context,
  });
}
