/** Authorization: the authorization cache and the local list version (the list itself: ../local-list.ts). */
import { type Outgoing } from './outgoing.js';

/** 1.6 §5.4, 2.0.1 C11: the same empty request. */
export function clearCache(): Outgoing {
  return { action: 'ClearCache', payload: {} };
}

/** 1.6 §5.10, 2.0.1 D02: the same empty request. */
export function getLocalListVersion(): Outgoing {
  return { action: 'GetLocalListVersion', payload: {} };
}
