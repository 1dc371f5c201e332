/**
 * New webhook subscription: the endpoint, the event types (checkboxes from the API's own
 * WebhookEventType enum, read from its OpenAPI document) and the optional credentials. Checked in
 * the browser first (each problem names its field, as the API's 400s do), then the API's errors
 * are shown with their message.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type CreateWebhookRequest, type FieldError, type WebhookView } from '../api/client';
import { useCanWrite } from '../role';
import { ErrorBox } from '../ui';
import { apiEnum, validateApiBody } from '../validation';

type AuthKind = 'none' | 'apiKey' | 'basic';

/** The API's default maximumEventAgeSeconds (WebhookRetry), sent along when the retries are set. */
const DEFAULT_EVENT_AGE_S = 86_400;

/** Problems the schema alone would report badly (an empty string, or a oneOf with three branches). */
function ownChecks(url: string, auth: AuthKind, a: string, b: string, retries: string): FieldError[] {
  const problems: FieldError[] = [];
  if (retries.trim() && !/^\d+$/.test(retries.trim()))
    problems.push({ path: 'retry.maximumRetryAttempts', message: 'must be a whole number' });
  if (!url.trim()) problems.push({ path: 'url', message: 'is required' });
  else if (!/^https?:\/\/[^/\s]+/i.test(url.trim()))
    problems.push({ path: 'url', message: 'must be an https:// URL (http:// on loopback locally)' });
  if (auth === 'apiKey') {
    if (!a.trim()) problems.push({ path: 'auth.header', message: 'is required' });
    else if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(a.trim()))
      problems.push({ path: 'auth.header', message: 'must be an HTTP header name' });
    if (!b) problems.push({ path: 'auth.value', message: 'is required' });
  }
  if (auth === 'basic') {
    if (!a.trim()) problems.push({ path: 'auth.username', message: 'is required' });
    if (!b) problems.push({ path: 'auth.password', message: 'is required' });
  }
  return problems;
}

export function WebhookForm({ onCreated }: { onCreated: (w: WebhookView) => void }) {
  const canWrite = useCanWrite();
  const [catalog, setCatalog] = useState<string[] | null>(null);
  const [catalogError, setCatalogError] = useState<Error | null>(null);
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [auth, setAuth] = useState<AuthKind>('none');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [description, setDescription] = useState('');
  const [retries, setRetries] = useState('');
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    apiEnum('WebhookEventType').then(setCatalog, (e: unknown) =>
      setCatalogError(e instanceof Error ? e : new Error(String(e))),
    );
  }, []);

  const toggle = (t: string, on: boolean) =>
    setTypes((now) => (on ? [...now.filter((x) => x !== t), t] : now.filter((x) => x !== t)));

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body: CreateWebhookRequest = {
      url: url.trim(),
      ...(types.length > 0 ? { eventTypes: types as CreateWebhookRequest['eventTypes'] } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(retries.trim()
        ? {
            retry: {
              maximumRetryAttempts: Number(retries.trim()),
              maximumEventAgeSeconds: DEFAULT_EVENT_AGE_S,
            },
          }
        : {}),
      ...(auth === 'apiKey' ? { auth: { type: 'apiKey', header: first.trim(), value: second } } : {}),
      ...(auth === 'basic' ? { auth: { type: 'basic', username: first.trim(), password: second } } : {}),
    };
    setBusy(true);
    try {
      const own = ownChecks(url, auth, first, second, retries);
      const problems = own.length > 0 ? own : await validateApiBody('CreateWebhookRequest', body);
      setFields(problems);
      if (problems.length > 0) return;
      const created = await api<WebhookView>('POST', '/v1/webhooks', body);
      setUrl('');
      setTypes([]);
      setFirst('');
      setSecond('');
      setDescription('');
      setRetries('');
      setAuth('none');
      onCreated(created);
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      if (err instanceof ApiError) setFields([...err.fields]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card wide" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="new-webhook-title">
      <h2 id="new-webhook-title">New subscription</h2>
      <label>
        Endpoint URL
        <input
          type="url"
          value={url}
          placeholder="https://partner.example.com/hooks"
          onInput={(e) => setUrl(e.currentTarget.value)}
        />
      </label>
      <fieldset>
        <legend>Event types (none checked: every event type)</legend>
        {catalogError && <ErrorBox error={catalogError} what="the event types" />}
        {!catalog && !catalogError && <p class="state">Loading event types…</p>}
        {catalog?.map((t) => (
          <label key={t} class="inline">
            <input
              type="checkbox"
              checked={types.includes(t)}
              onChange={(e) => toggle(t, e.currentTarget.checked)}
            />{' '}
            {t}
          </label>
        ))}
      </fieldset>
      <label>
        Authentication
        <select value={auth} onChange={(e) => setAuth(e.currentTarget.value as AuthKind)}>
          <option value="none">None (an x-csms-webhook-id header only)</option>
          <option value="apiKey">API key header</option>
          <option value="basic">Basic</option>
        </select>
      </label>
      {auth !== 'none' && (
        <>
          <label>
            {auth === 'apiKey' ? 'Header name' : 'Username'}
            <input value={first} autoComplete="off" onInput={(e) => setFirst(e.currentTarget.value)} />
          </label>
          <label>
            {auth === 'apiKey' ? 'Header value' : 'Password'}
            <input
              type="password"
              value={second}
              autoComplete="new-password"
              onInput={(e) => setSecond(e.currentTarget.value)}
            />
          </label>
        </>
      )}
      <label>
        Maximum retry attempts (optional, default 185)
        <input inputMode="numeric" value={retries} onInput={(e) => setRetries(e.currentTarget.value)} />
      </label>
      <label>
        Description (optional)
        <input value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      {fields.length > 0 && (
        <div class="error" role="alert">
          Not created, fix first:
          <ul>
            {fields.map((f) => (
              <li key={f.path}>
                <strong>{f.path || '(body)'}</strong> {f.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && fields.length === 0 && <ErrorBox error={error} />}
      <button type="submit" disabled={!canWrite || busy}>
        Create subscription
      </button>
    </form>
  );
}
