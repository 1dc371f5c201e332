/**
 * The dashboard shell: hash routes (#/, #/stations/ID, #/sessions, #/sessions/STATION/TX,
 * #/id-tokens, #/rollouts, #/rollouts/ID, #/webhooks, #/webhooks/ID), the navigation, and the login form, which covers the current view when the session
 * expires instead of replacing it, so that what the operator typed stays where it was.
 */
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type MeView } from './api/client';
import { getToken, loadConfig, onSessionChange, signOut, type DashboardConfig } from './auth';
import { completeLogin } from './cognito';
import { RoleContext } from './role';
import { Fleet } from './views/Fleet';
import { IdTokens } from './views/IdTokens';
import { Login } from './views/Login';
import { Rollouts } from './views/Rollouts';
import { SessionDetail } from './views/SessionDetail';
import { Sessions } from './views/Sessions';
import { Station } from './views/Station';
import { Webhooks } from './views/Webhooks';
import './styles.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function useSession(): string | null {
  const [token, setTokenState] = useState(getToken());
  useEffect(() => onSessionChange(() => setTokenState(getToken())), []);
  return token;
}

function route(hash: string) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'stations' && parts[1]) return <Station id={parts[1]} />;
  if (parts[0] === 'sessions' && parts[1] && parts[2])
    return <SessionDetail stationId={parts[1]} transactionId={parts[2]} />;
  if (parts[0] === 'sessions') return <Sessions />;
  if (parts[0] === 'id-tokens') return <IdTokens />;
  if (parts[0] === 'rollouts') return <Rollouts selected={parts[1] || undefined} />;
  if (parts[0] === 'webhooks') return <Webhooks selected={parts[1] || undefined} />;
  return <Fleet />;
}

const NAV = [
  { href: '#/', label: 'Fleet', match: (h: string) => h === '' || h === '#/' || h.startsWith('#/stations') },
  { href: '#/sessions', label: 'Sessions', match: (h: string) => h.startsWith('#/sessions') },
  { href: '#/id-tokens', label: 'Id tokens', match: (h: string) => h.startsWith('#/id-tokens') },
  { href: '#/rollouts', label: 'Rollouts', match: (h: string) => h.startsWith('#/rollouts') },
  { href: '#/webhooks', label: 'Webhooks', match: (h: string) => h.startsWith('#/webhooks') },
];

function App({ config }: { config: DashboardConfig }) {
  const hash = useHash();
  const token = useSession();
  const [me, setMe] = useState<MeView | null>(null);
  const [everSignedIn, setEverSignedIn] = useState(token !== null);

  useEffect(() => {
    if (!token) return;
    setEverSignedIn(true);
    api<MeView>('GET', '/v1/me').then(setMe, () => setMe(null));
  }, [token]);

  // Move focus to the new view's heading on navigation (keyboard and screen reader users); not on
  // the first render, where the login form's field has the focus.
  const navigated = useRef(false);
  useEffect(() => {
    if (!navigated.current) {
      navigated.current = true;
      return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [hash]);

  if (!token && !everSignedIn) return <Login config={config} />;
  return (
    <RoleContext.Provider value={me?.role ?? null}>
      <div inert={!token} aria-hidden={!token ? 'true' : undefined}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header>
          <span class="brand">CSMS</span>
          <nav aria-label="Main">
            {NAV.map((n) => (
              <a key={n.href} href={n.href} aria-current={n.match(hash) ? 'page' : undefined}>
                {n.label}
              </a>
            ))}
          </nav>
          <span class="who">
            {me ? `${me.name} (${me.role ?? 'no access'})` : ''}{' '}
            <button type="button" class="link" onClick={signOut}>
              Sign out
            </button>
          </span>
        </header>
        <main id="main">{route(hash)}</main>
      </div>
      {!token && <Login config={config} expired />}
    </RoleContext.Provider>
  );
}

async function boot(): Promise<void> {
  const config = await loadConfig();
  let loginError: string | undefined;
  if (config.auth === 'cognito') {
    try {
      await completeLogin(config);
    } catch (e) {
      loginError = e instanceof Error ? e.message : String(e);
    }
  }
  const root = document.getElementById('app');
  if (!root) return;
  render(
    <>
      {loginError && (
        <p class="error" role="alert">
          {loginError}
        </p>
      )}
      <App config={config} />
    </>,
    root,
  );
}

void boot();
