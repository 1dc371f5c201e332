/**
 * Remembers, for a few minutes, that a secret matched a stored scrypt hash, so that a station
 * reconnecting (or a fleet reconnecting at once) does not cost a scrypt check (~20 ms of CPU)
 * every time. The key is a SHA-256 of (identity, secret, stored hash), never the secret: a
 * changed password (a new hash) or another secret misses, and a dump of the cache reveals
 * nothing a guess could not already test against the stored hash, which is slower on purpose.
 */
import { createHash } from 'node:crypto';
import { verifySecret } from './secrets.js';

export const VERIFIED_TTL_MS = 5 * 60_000;
/** Bounds the memory of an instance that sees many stations (oldest entries go first). */
const MAX_ENTRIES = 10_000;

export class VerifiedSecrets {
  readonly #until = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  /**
   * Whether `secret` matches `stored` for `identity`; only a match is remembered. `beforeScrypt`
   * runs only when scrypt must run: it may throw to spare the CPU (e.g. no time left).
   */
  async verify(
    identity: string,
    secret: string,
    stored: string,
    beforeScrypt?: () => void,
  ): Promise<boolean> {
    const key = cacheKey(identity, secret, stored);
    const now = this.clock();
    const until = this.#until.get(key);
    if (until !== undefined && until > now) return true;
    if (until !== undefined) this.#until.delete(key);
    beforeScrypt?.();
    if (!(await verifySecret(secret, stored))) return false;
    if (this.#until.size >= MAX_ENTRIES) {
      const oldest = this.#until.keys().next();
      if (!oldest.done) this.#until.delete(oldest.value);
    }
    this.#until.set(key, this.clock() + VERIFIED_TTL_MS);
    return true;
  }
}

function cacheKey(identity: string, secret: string, stored: string): string {
  return createHash('sha256')
    .update(identity)
    .update('\0')
    .update(secret)
    .update('\0')
    .update(stored)
    .digest('base64');
}
