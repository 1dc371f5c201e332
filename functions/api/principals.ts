/**
 * Who is calling the HTTP API, and what they may do. Two kinds of bearer token: API keys (checked
 * against their scrypt hash in the table, auth.ts) and, when the deployment has the dashboard's
 * Cognito user pool, that pool's access tokens for the dashboard's app client (a JWT: verified
 * against the pool's JWKS with aws-jwt-verify). Roles: `admin` may do everything, `viewer` only
 * reads (GET/HEAD); any other request of a viewer is a 403. A Cognito user in neither group may
 * do nothing (403).
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { ApiKeyAuthenticator } from './auth.js';
import { ForbiddenError, UnauthorizedError } from './errors.js';
import type { Principal, Role } from './principal.js';

export type { Principal, Role } from './principal.js';

/** The Cognito groups the dashboard knows, most powerful first. */
export const COGNITO_GROUPS: readonly Role[] = ['admin', 'viewer'];

/** A Cognito access token is ~1 KB; allow room for many groups. */
const MAX_JWT_LENGTH = 8192;
/** Three base64url segments: header.payload.signature (API keys contain no dot). */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Verifies a JWT and returns its claims; throws when it is not a valid token of the pool. */
export type JwtVerify = (token: string) => Promise<Record<string, unknown>>;

export interface CognitoOptions {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** aws-jwt-verify for the pool's access tokens; `jwks` hydrates its cache (tests, no network). */
export function cognitoJwtVerify(options: CognitoOptions, jwks?: unknown): JwtVerify {
  const verifier = CognitoJwtVerifier.create({
    userPoolId: options.userPoolId,
    tokenUse: 'access',
    clientId: options.clientId,
  });
  if (jwks !== undefined) verifier.cacheJwks(jwks as Parameters<typeof verifier.cacheJwks>[0]);
  return async (token) => await verifier.verify(token);
}

export function roleOfGroups(groups: unknown): Role | undefined {
  const list = Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  return COGNITO_GROUPS.find((role) => list.includes(role));
}

export class Authenticator {
  readonly #apiKeys: ApiKeyAuthenticator<{ name: string; role: Role }>;

  constructor(
    verifyApiKey: (token: string) => Promise<{ name: string; role: Role } | undefined>,
    clock: () => Date,
    private readonly verifyJwt?: JwtVerify,
  ) {
    this.#apiKeys = new ApiKeyAuthenticator(verifyApiKey, clock);
  }

  /** The caller; throws UnauthorizedError (401) when the token is missing or not valid. */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (this.verifyJwt) {
      const token = ApiKeyAuthenticator.bearerToken(authorization, MAX_JWT_LENGTH);
      if (JWT.test(token)) {
        let claims: Record<string, unknown>;
        try {
          claims = await this.verifyJwt(token);
        } catch {
          throw new UnauthorizedError('Invalid or expired token: sign in again');
        }
        const name = typeof claims.username === 'string' ? claims.username : String(claims.sub);
        return { name, role: roleOfGroups(claims['cognito:groups']), via: 'cognito' };
      }
    }
    const key = await this.#apiKeys.authenticate(authorization);
    return { name: key.name, role: key.role, via: 'api-key' };
  }
}

/** Throws ForbiddenError (403) unless the principal may make this request. */
export function authorize(principal: Principal, method: string): void {
  if (principal.role === 'admin') return;
  if (principal.role === 'viewer') {
    if (method === 'GET' || method === 'HEAD') return;
    throw new ForbiddenError('Read-only access: the viewer role may not change anything');
  }
  throw new ForbiddenError('This user is in no group of the CSMS (admin or viewer)');
}
