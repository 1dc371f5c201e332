/**
 * Id tokens: who may charge, 100 at a time through the API's cursor ("Load more"); add (checked
 * against PutIdTokenRequest first) and remove.
 */
import { useState } from 'preact/hooks';
import { api, ApiError, enc, type FieldError, type IdTokenView } from '../api/client';
import { useAllPages } from '../live';
import { useCanWrite } from '../role';
import { Empty, ErrorBox, LoadMore, Loading, Time } from '../ui';
import { validateApiBody } from '../validation';

export function IdTokens() {
  const [pages, setPages] = useState(1);
  const list = useAllPages<IdTokenView>('/v1/id-tokens', { maxPages: pages });
  const items = list.data ?? [];
  const canWrite = useCanWrite();
  const [idToken, setIdToken] = useState('');
  const [status, setStatus] = useState('Accepted');
  const [fields, setFields] = useState<FieldError[]>([]);
  const [error, setError] = useState<Error | null>(null);

  const add = async (e: Event) => {
    e.preventDefault();
    setError(null);
    const body = { idToken: idToken.trim(), status };
    try {
      const problems = await validateApiBody('PutIdTokenRequest', body);
      setFields(problems);
      if (problems.length > 0) return;
      await api('POST', '/v1/id-tokens', body);
      setIdToken('');
      list.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
      if (err instanceof ApiError) setFields([...err.fields]);
    }
  };
  const remove = async (token: string) => {
    setError(null);
    try {
      await api('DELETE', `/v1/id-tokens/${enc(token)}`);
      list.reload();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    }
  };

  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title" tabIndex={-1}>
        Id tokens
      </h1>
      <form class="card" onSubmit={(e) => void add(e)} noValidate aria-labelledby="add-token-title">
        <h2 id="add-token-title">Add or update a token</h2>
        <label>
          Id token
          <input value={idToken} onInput={(e) => setIdToken(e.currentTarget.value)} />
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            {['Accepted', 'Blocked', 'Expired', 'Invalid'].map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {fields.length > 0 && (
          <div class="error" role="alert">
            Not saved, fix first:
            <ul>
              {fields.map((f) => (
                <li key={f.path}>
                  <strong>{f.path}</strong> {f.message}
                </li>
              ))}
            </ul>
          </div>
        )}
        {error && fields.length === 0 && <ErrorBox error={error} />}
        <button type="submit" disabled={!canWrite}>
          Save token
        </button>
      </form>
      {list.error && <ErrorBox error={list.error} what="the id tokens" />}
      {list.loading && !list.data && <Loading what="id tokens" />}
      {list.data && items.length === 0 && <Empty>No id token yet: add one above.</Empty>}
      {items.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Id tokens table">
          <table>
            <thead>
              <tr>
                <th scope="col">Id token</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Expires</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={t.idToken}>
                  <th scope="row">{t.idToken}</th>
                  <td>{t.type}</td>
                  <td>{t.status}</td>
                  <td>{t.expiresAt ? <Time iso={t.expiresAt} /> : 'never'}</td>
                  <td>
                    <Time iso={t.createdAt} />
                  </td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={!canWrite}
                      onClick={() => void remove(t.idToken)}
                    >
                      Remove <span class="sr-only">{t.idToken}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore more={list.more} what="id tokens" onMore={() => setPages((n) => n + 1)} />
    </section>
  );
}
