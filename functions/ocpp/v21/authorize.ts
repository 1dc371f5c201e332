/**
 * 2.1 Authorize (C01, C07): the 2.0.1 logic. 2.1 widens IdTokenType.type to an open string
 * (IdTokenEnumStringType) and adds response fields this CSMS does not send yet.
 */
import type { AuthorizeRequest, AuthorizeResponse } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { handleAuthorize } from '../v201/authorize.js';

export const authorize: Route<AuthorizeRequest, AuthorizeResponse, 'commands' | 'idTokens'> = {
  handle: handleAuthorize,
};
