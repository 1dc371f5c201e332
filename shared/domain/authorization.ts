/**
 * Authorization decisions for id tokens, version-neutral; the handlers turn them into 1.6
 * idTagInfo or 2.0.1/2.1 idTokenInfo.
 */
import type { IdTokenItem } from '../store/id-tokens.js';

export type AuthorizationStatus = 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';

export interface AuthorizationDecision {
  readonly status: AuthorizationStatus;
  /** When the station should stop trusting its cached answer (the token's expiry). */
  readonly expiresAt?: string;
  readonly groupId?: string;
  /**
   * Why: 'known' (stored token), 'unknown', 'free-charging' (unknown, accepted by station setting),
   * 'remote-start' (not stored, but the CSMS sent it in a remote start to this station just now).
   */
  readonly reason: 'known' | 'unknown' | 'free-charging' | 'remote-start';
}

export function decideAuthorization(
  token: IdTokenItem | undefined,
  now: Date,
  options: { freeCharging: boolean; remoteStart?: boolean },
): AuthorizationDecision {
  if (!token) {
    if (options.remoteStart) return { status: 'Accepted', reason: 'remote-start' };
    return options.freeCharging
      ? { status: 'Accepted', reason: 'free-charging' }
      : { status: 'Invalid', reason: 'unknown' };
  }
  const expired = token.expiresAt !== undefined && Date.parse(token.expiresAt) <= now.getTime();
  const status: AuthorizationStatus = expired && token.status === 'Accepted' ? 'Expired' : token.status;
  return {
    status,
    reason: 'known',
    ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}),
    ...(token.groupId ? { groupId: token.groupId } : {}),
  };
}
