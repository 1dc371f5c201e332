/**
 * 1.6 idTag authorization shared by Authorize, StartTransaction and StopTransaction: the stored
 * token (a 1.6 idTag carries no type: any type matches) -> the version-neutral decision -> the
 * IdTagInfo of the reply (1.6 §7.27) and the authorization.decided.v1 event.
 */
import { canonicalTime } from '../../../shared/domain/normalize.js';
import { decideAuthorization, type AuthorizationDecision } from '../../../shared/domain/authorization.js';
import type { EventDetail } from '../../../shared/events/catalog.js';
import type { AuthorizeResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { HandlerContext } from '../context.js';
import { remoteStartIssued } from '../remote-start.js';

const ID_TOKEN_MAX_LENGTH = 20;

export type IdTagInfo = AuthorizeResponse['idTagInfo'];

export interface IdTagAuthorization {
  readonly idTag: string;
  readonly decision: AuthorizationDecision;
  /** The type of the stored token that matched, when one did. */
  readonly tokenType: string | undefined;
  readonly idTagInfo: IdTagInfo;
}

/** Reads only: safe to repeat when a retried message is answered again. */
export async function authorizeIdTag(
  ctx: HandlerContext<'idTokens' | 'commands'>,
  idTag: string,
): Promise<IdTagAuthorization> {
  const [token, station] = await Promise.all([ctx.store.idTokens.findAnyType(idTag), ctx.station()]);
  // 1.6 §5.11 (AuthorizeRemoteTxRequests true): the idTag of a RemoteStartTransaction just sent.
  const remoteStart = !token && (await remoteStartIssued(ctx, idTag, undefined));
  const decision = decideAuthorization(token, ctx.now, {
    freeCharging: station?.freeCharging ?? false,
    remoteStart,
  });
  return {
    idTag,
    decision,
    tokenType: token?.type,
    idTagInfo: {
      status: decision.status,
      // 1.6 §7.27: when the station should drop the idTag from its Authorization Cache.
      ...(decision.expiresAt ? { expiryDate: canonicalTime(decision.expiresAt) } : {}),
      // 1.6 §3.10: tokens of one group share a parentIdTag (an IdToken: CiString20, §7.28).
      ...parentIdTag(ctx, decision.groupId),
    },
  };
}

/** A group id too long for a 1.6 parentIdTag is left out rather than failing every answer for the tag. */
function parentIdTag(ctx: HandlerContext<never>, groupId: string | undefined): { parentIdTag?: string } {
  if (!groupId) return {};
  if (groupId.length <= ID_TOKEN_MAX_LENGTH) return { parentIdTag: groupId };
  ctx.log.warn('Group id too long for a 1.6 parentIdTag; left out', { stationId: ctx.stationId, groupId });
  return {};
}

export function authorizationEvent(
  ctx: HandlerContext<never>,
  auth: IdTagAuthorization,
  context: EventDetail<'authorization.decided.v1'>['context'],
): EventDetail<'authorization.decided.v1'> {
  return {
    stationId: ctx.stationId,
    occurredAt: ctx.now.toISOString(),
    idToken: auth.idTag,
    ...(auth.tokenType ? { idTokenType: auth.tokenType } : {}),
    status: auth.decision.status,
    reason: auth.decision.reason,
    context,
  };
}
