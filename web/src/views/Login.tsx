/**
 * Login. Locally (and with any deployment without Cognito): the API token, in a password field,
 * kept in sessionStorage, never in the URL. On AWS: the Cognito hosted login. `expired` shows it
 * as a dialog over the current view after a 401.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { setToken, type DashboardConfig } from '../auth';
import { startLogin } from '../cognito';

async function check(token: string): Promise<void> {
  const res = await fetch('/v1/me', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  if (res.ok) return;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { message?: string } };
    message = body.error?.message ?? message;
  } catch {
    // keep the status line
  }
  throw new ApiError(res.status, 'unauthorized', message);
}

export function Login({ config, expired = false }: { config: DashboardConfig; expired?: boolean }) {
  const [token, setTokenText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const value = token.trim();
    if (!value) {
      setError('API token: enter the token (npm start prints it)');
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await check(value);
      setToken(value);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const body =
    config.auth === 'cognito' ? (
      <div class="login">
        <h1 tabIndex={-1}>{expired ? 'Your session expired' : 'Sign in'}</h1>
        <button type="button" onClick={() => void startLogin(config)}>
          Sign in with your CSMS account
        </button>
      </div>
    ) : (
      <form class="login" onSubmit={(e) => void submit(e)} noValidate>
        <h1 tabIndex={-1}>{expired ? 'Your session expired: sign in again' : 'Sign in to the CSMS'}</h1>
        {expired && <p>What you typed is kept; it is still there after you sign in.</p>}
        <label for="api-token">API token</label>
        <input
          id="api-token"
          ref={field}
          type="password"
          autoComplete="current-password"
          value={token}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'login-error' : 'login-help'}
          onInput={(e) => setTokenText(e.currentTarget.value)}
        />
        <p id="login-help" class="help">
          The admin API token that <code>npm start</code> prints, or another API key.
        </p>
        {error && (
          <p id="login-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    );
  if (!expired) return <main id="main">{body}</main>;
  return (
    <div class="overlay">
      <div role="dialog" aria-modal="true" aria-label="Sign in again">
        {body}
      </div>
    </div>
  );
}
