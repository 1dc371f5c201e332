/** Id tokens (RFID cards, app tokens, key codes, ...) that stations ask the CSMS to authorize. */
import { z } from 'zod';
import { DEFAULT_ID_TOKEN_TYPE, type IdTokenItem } from '../../shared/store/id-tokens.js';
import { NotFoundError } from './errors.js';
import { json, noContent, operation, page, pageQuery } from './http.js';
import { IdTokenParam } from './path-ids.js';
import { signedPage } from './cursors.js';

// ---- schemas ---------------------------------------------------------------------------------

/** 2.0.1 IdTokenEnumType. */
export const IdTokenType = z
  .enum(['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'])
  .meta({
    id: 'IdTokenType',
    description: 'OCPP 2.0.1 IdTokenEnumType. A 1.6 idTag matches a token of any type.',
  });

export const IdTokenStatus = z
  .enum(['Accepted', 'Blocked', 'Expired', 'Invalid'])
  .meta({ id: 'IdTokenStatus' });

/** 2.0.1 IdTokenType.idToken is string[36]; a 1.6 idTag (CiString20) fits. */
const IdTokenValue = z.string().min(1).max(36);

export const PutIdTokenRequest = z
  .strictObject({
    idToken: IdTokenValue.describe('The token as stations send it (2.0.1 idToken, 1.6 idTag).'),
    type: IdTokenType.default(DEFAULT_ID_TOKEN_TYPE),
    status: IdTokenStatus.default('Accepted'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('After this instant the token is answered Expired. Stored in UTC.'),
    groupId: z.string().min(1).max(36).optional().describe('2.0.1 groupIdToken / 1.6 parentIdTag.'),
  })
  .meta({ id: 'PutIdTokenRequest' });

export const IdTokenView = z
  .object({
    idToken: z.string(),
    type: z.string(),
    status: IdTokenStatus.describe('As stored; an Accepted token past expiresAt is answered Expired.'),
    expiresAt: z.string().nullable(),
    groupId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'IdTokenView' });
export type IdTokenView = z.output<typeof IdTokenView>;

export const IdTokenPage = page(IdTokenView).meta({ id: 'IdTokenPage' });

const IdTokenPath = z.object({ idToken: IdTokenParam });
const IdTokenQuery = z.strictObject({ type: IdTokenType.default(DEFAULT_ID_TOKEN_TYPE) });
const ListIdTokensQuery = z.strictObject(pageQuery);

export function idTokenView(item: IdTokenItem): IdTokenView {
  return {
    idToken: item.idToken,
    type: item.type,
    status: item.status,
    expiresAt: item.expiresAt ?? null,
    groupId: item.groupId ?? null,
    createdAt: item.createdAt,
  };
}

// ---- operations ------------------------------------------------------------------------------

export const putIdToken = operation({
  id: 'putIdToken',
  summary: 'Create an id token, or replace the one with the same idToken and type',
  body: PutIdTokenRequest,
  responses: { 201: IdTokenView, 200: IdTokenView },
  async handle({ body }, deps) {
    const existing = await deps.store.idTokens.get(body.idToken, body.type);
    const item: IdTokenItem = {
      idToken: body.idToken,
      type: body.type,
      status: body.status,
      // Stations get this as cacheExpiryDateTime: RFC 3339 with at most 3 decimals (2.0.1 part 2 §2.1.4).
      ...(body.expiresAt ? { expiresAt: new Date(body.expiresAt).toISOString() } : {}),
      ...(body.groupId ? { groupId: body.groupId } : {}),
      createdAt: existing?.createdAt ?? deps.clock().toISOString(),
    };
    await deps.store.idTokens.put(item);
    return json(existing ? 200 : 201, idTokenView(item));
  },
});

export const getIdToken = operation({
  id: 'getIdToken',
  summary: 'One id token',
  params: IdTokenPath,
  query: IdTokenQuery,
  responses: { 200: IdTokenView },
  async handle({ params, query }, deps) {
    const item = await deps.store.idTokens.get(params.idToken, query.type);
    if (!item) throw new NotFoundError(`No id token ${params.idToken} of type ${query.type}`);
    return json(200, idTokenView(item));
  },
});

export const listIdTokens = operation({
  id: 'listIdTokens',
  summary: 'Id tokens ordered by idToken and type, a page at a time',
  query: ListIdTokensQuery,
  responses: { 200: IdTokenPage },
  async handle({ query }, deps) {
    const result = await signedPage(deps.cursors, 'id-tokens', query.cursor, (cursor) =>
      deps.store.idTokens.list(query.limit, cursor),
    );
    const body: z.output<typeof IdTokenPage> = {
      items: result.items.map(idTokenView),
      nextCursor: result.nextCursor,
    };
    return json(200, body);
  },
});

export const deleteIdToken = operation({
  id: 'deleteIdToken',
  summary: 'Forget an id token (stations asking for it get Invalid, or Accepted where free charging is on)',
  params: IdTokenPath,
  query: IdTokenQuery,
  responses: { 204: null },
  async handle({ params, query }, deps) {
    const deleted = await deps.store.idTokens.delete(params.idToken, query.type);
    if (!deleted) throw new NotFoundError(`No id token ${params.idToken} of type ${query.type}`);
    return noContent;
  },
});
