/** 1.6 §4.1 Authorize: is this idTag allowed to charge? Answered from the CSMS's id tokens. */
import type { AuthorizeRequest, AuthorizeResponse } from '../../../shared/ocpp/generated/v16/types.js';
import type { Route } from '../context.js';
import { authorizationEvent, authorizeIdTag } from './id-tag-info.js';

export const authorize: Route<AuthorizeRequest, AuthorizeResponse, 'commands' | 'idTokens'> = {
  async handle(ctx, req) {
    // 1.6 §4.1: the CSMS SHALL answer whether the idTag is accepted, MAY add a parentIdTag.
    const auth = await authorizeIdTag(ctx, req.idTag);
    ctx.emit('authorization.decided.v1', authorizationEvent(ctx, auth, 'Authorize'));
    return { idTagInfo: auth.idTagInfo };
  },
};
