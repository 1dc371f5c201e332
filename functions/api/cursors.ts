/**
 * Pagination cursors the client cannot edit: the store's cursor (the DynamoDB key where the next
 * page starts) with an HMAC-SHA256 over it and the list it belongs to, under a key of the
 * deployment (docs/adr/0007-cursor-signing.md). An altered cursor, or one of another list, is a
 * 400 before anything reads the table.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { InvalidCursorError } from '../../shared/store/table.js';

/** 128 bits of the MAC are kept: forging one takes 2^128 tries, and cursors stay short. */
const MAC_BYTES = 16;
const SEPARATOR = '.';

export class CursorSigner {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('A cursor key has at least 32 bytes');
    this.#key = key;
  }

  /** The key for cursors, derived (HKDF-SHA256, RFC 5869) from a secret of the deployment. */
  static fromSecret(secret: string): CursorSigner {
    return new CursorSigner(Buffer.from(hkdfSync('sha256', secret, '', 'csms api cursor v1', 32)));
  }

  #mac(list: string, cursor: string): Buffer {
    return createHmac('sha256', this.#key).update(`${list}\n${cursor}`).digest().subarray(0, MAC_BYTES);
  }

  /** The store's cursor as the client sees it; null (the last page) stays null. */
  seal(list: string, cursor: string | null): string | null {
    if (cursor === null) return null;
    return `${cursor}${SEPARATOR}${this.#mac(list, cursor).toString('base64url')}`;
  }

  /** The store's cursor of a sealed one; InvalidCursorError when altered or of another list. */
  open(list: string, sealed: string | undefined): string | undefined {
    if (sealed === undefined) return undefined;
    const at = sealed.lastIndexOf(SEPARATOR);
    if (at <= 0) throw new InvalidCursorError();
    const cursor = sealed.slice(0, at);
    const given = Buffer.from(sealed.slice(at + 1), 'base64url');
    const expected = this.#mac(list, cursor);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidCursorError();
    return cursor;
  }
}

/**
 * One page of `list`: opens the client's cursor, runs the query with the store's cursor, seals the
 * next one. `list` names the list and its filters, so a cursor is only good for the same list.
 */
export async function signedPage<T extends { readonly nextCursor: string | null }>(
  signer: CursorSigner,
  list: string,
  cursor: string | undefined,
  query: (storeCursor: string | undefined) => Promise<T>,
): Promise<T> {
  const storeCursor = signer.open(list, cursor);
  const page = await withCursor(storeCursor, () => query(storeCursor));
  return { ...page, nextCursor: signer.seal(list, page.nextCursor) };
}

/**
 * Runs a paged query. DynamoDB refuses an ExclusiveStartKey that does not fit the query
 * (ValidationException): the cursor came from another query or was edited, a client error.
 */
async function withCursor<T>(cursor: string | undefined, query: () => Promise<T>): Promise<T> {
  try {
    return await query();
  } catch (error) {
    if (cursor !== undefined && error instanceof Error && error.name === 'ValidationException') {
      throw new InvalidCursorError();
    }
    throw error;
  }
}
