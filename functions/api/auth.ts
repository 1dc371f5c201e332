/**
 * Bearer API keys. A key is checked against its scrypt hash in the table; a successful check is
 * remembered for a few minutes (keyed by the token's SHA-256, never the token) so that scrypt
 * does not run on every request. A revoked key therefore keeps working for at most CACHE_TTL_MS
 * in an instance that verified it recently.
 */
import { createHash } from 'node:crypto';
import { UnauthorizedError } from './errors.js';

export const CACHE_TTL_MS = 5 * 60_000;
/** Bounds the memory of an instance that sees many different keys. */
const CACHE_MAX_ENTRIES = 1000;
/** generateToken() makes 37 characters; anything far longer is not a key of ours (and scrypt is slow). */
const MAX_TOKEN_LENGTH = 512;
/** RFC 6750 §2.1: `Bearer` then a token68. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** What a verified key stands for: its name, or its name and role (principals.ts). */
export type VerifyApiKey<K = string> = (token: string) => Promise<K | undefined>;

export class ApiKeyAuthenticator<K = string> {
  readonly #cache = new Map<string, { readonly name: K; readonly until: number }>();

  constructor(
    private readonly verify: VerifyApiKey<K>,
    private readonly clock: () => Date,
  ) {}

  /** The bearer token of an Authorization header; throws UnauthorizedError. */
  static bearerToken(authorization: string | undefined, maxLength = MAX_TOKEN_LENGTH): string {
    if (!authorization)
      throw new UnauthorizedError('Missing API key: send the header Authorization: Bearer <API key>');
    const token = BEARER.exec(authorization)?.[1];
    if (!token || token.length > maxLength) {
      throw new UnauthorizedError('The Authorization header must be: Bearer <API key>');
    }
    return token;
  }

  /** The API key in the Authorization header (what `verify` said of it); throws UnauthorizedError. */
  async authenticate(authorization: string | undefined): Promise<K> {
    const token = ApiKeyAuthenticator.bearerToken(authorization);
    const digest = createHash('sha256').update(token).digest('hex');
    const now = this.clock().getTime();
    const cached = this.#cache.get(digest);
    if (cached && cached.until > now) return cached.name;
    if (cached) this.#cache.delete(digest);

    const name = await this.verify(token);
    if (name === undefined) throw new UnauthorizedError('Invalid API key');
    if (this.#cache.size >= CACHE_MAX_ENTRIES) {
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    this.#cache.set(digest, { name, until: now + CACHE_TTL_MS });
    return name;
  }
}
