/**
 * Station payloads as the table can keep them: numbers DynamoDB cannot hold exactly (beyond 2^53,
 * below 1E-130) become strings, and a value over a size budget becomes a short summary. A
 * schema-valid response must never fail to be stored.
 */

import { createHash } from 'node:crypto';

export function storable(value: unknown): unknown {
  if (typeof value === 'number') {
    const magnitude = Math.abs(value);
    const exact =
      Number.isFinite(value) &&
      (magnitude === 0 ||
        (magnitude >= 1e-130 && (Number.isInteger(value) ? Number.isSafeInteger(value) : magnitude < 1e125)));
    return exact ? value : String(value);
  }
  if (Array.isArray(value)) return value.map(storable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, storable(v)]),
    );
  }
  return value;
}

export function storableObject(value: Record<string, unknown>): Record<string, unknown> {
  return storable(value) as Record<string, unknown>;
}

/** `value` when its JSON is at most `maxBytes`, else a note of its size (the full data lives elsewhere). */
export function bounded(value: Record<string, unknown>, maxBytes: number): Record<string, unknown> {
  const bytes = Buffer.byteLength(JSON.stringify(value));
  return bytes <= maxBytes ? storableObject(value) : { truncated: true, bytes };
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What identifies a request behind an idempotency key: the SHA-256 of its canonical JSON. */
export function requestFingerprint(request: unknown): string {
  return createHash('sha256').update(canonicalJson(request)).digest('base64url');
}

/**
 * `value` when it is a safe integer. A stored payload's integer beyond 2^53 became a string
 * (storable): such an id keys nothing.
 */
export function safeInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}
