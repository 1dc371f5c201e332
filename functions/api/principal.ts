/** Who is calling the HTTP API (principals.ts finds out; http.ts carries it to the operations). */
import type { ApiKeyRole } from '../../shared/store/api-keys.js';

export type Role = ApiKeyRole;

export interface Principal {
  readonly name: string;
  /** undefined: a Cognito user in no group of the dashboard. */
  readonly role: Role | undefined;
  readonly via: 'api-key' | 'cognito';
}
