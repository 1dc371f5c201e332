/**
 * The session: a bearer token kept in sessionStorage (this tab only, gone when it closes; never
 * in a URL). Locally it is an API token typed into the login form; on AWS a Cognito access token
 * from the hosted login (cognito.ts). When the API answers 401 the token is dropped and the login
 * form shows over the current view, which stays mounted so nothing typed is lost.
 */
const TOKEN_KEY = 'csms.token';

type Listener = () => void;
const listeners = new Set<Listener>();

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
  notify();
}

/** The token was refused (expired, revoked): ask for a new one. */
export function expire(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  notify();
}

export function signOut(): void {
  expire();
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function notify(): void {
  for (const l of listeners) l();
}

/** What the deployment says about login (config.json, written by the CDK deployment). */
export interface DashboardConfig {
  readonly auth: 'token' | 'cognito';
  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  readonly cognitoDomain?: string;
  readonly clientId?: string;
}

export async function loadConfig(): Promise<DashboardConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    if (!res.ok) return { auth: 'token' };
    const config = (await res.json()) as Partial<DashboardConfig>;
    return config.auth === 'cognito' && config.cognitoDomain && config.clientId
      ? { auth: 'cognito', cognitoDomain: config.cognitoDomain, clientId: config.clientId }
      : { auth: 'token' };
  } catch {
    return { auth: 'token' };
  }
}
