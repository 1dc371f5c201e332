/**
 * One webhook subscription: its settings, the failed deliveries waiting in the dead-letter store
 * (polled like every live view), and the actions: send a test event, enable/disable, redrive the
 * dead letters, delete (after a confirmation). A viewer sees the buttons disabled.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, enc, type DeliveryList, type WebhookReplayView, type WebhookView } from '../api/client';
import { useResource } from '../live';
import { useCanWrite } from '../role';
import { Empty, ErrorBox, Loading, Time } from '../ui';

export function filterText(w: WebhookView): string {
  const parts: string[] = [];
  if (w.filter.stationIds?.length) parts.push(`stations ${w.filter.stationIds.join(', ')}`);
  if (w.filter.detail && Object.keys(w.filter.detail).length > 0) parts.push(JSON.stringify(w.filter.detail));
  return parts.join('; ') || 'none';
}

export function StateWord({ state }: { state: WebhookView['state'] }) {
  return (
    <span class={`badge ${state === 'enabled' ? 'ok' : 'off'}`}>
      {state === 'enabled' ? 'Enabled' : 'Disabled'}
    </span>
  );
}

export function WebhookDetail({
  webhook: w,
  onChange,
  onDeleted,
}: {
  webhook: WebhookView;
  onChange: () => void;
  onDeleted: () => void;
}) {
  const canWrite = useCanWrite();
  const base = `/v1/webhooks/${enc(w.id)}`;
  const deliveries = useResource<DeliveryList>(`${base}/deliveries?limit=100`);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  // The Delete button gives way to the confirmation: the focus goes to its safe answer.
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const run = async (what: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      setOutcome(await what());
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const test = () =>
    run(async () => {
      await api('POST', `${base}/test`);
      return 'Test event sent (webhook.test.v1).';
    });
  const toggle = () =>
    run(async () => {
      const state = w.state === 'enabled' ? 'disabled' : 'enabled';
      await api<WebhookView>('PATCH', base, { state });
      onChange();
      return state === 'enabled' ? 'Subscription enabled.' : 'Subscription disabled.';
    });
  const redrive = () =>
    run(async () => {
      const r = await api<WebhookReplayView>('POST', `${base}/redrive`);
      deliveries.reload();
      const n = r.events ?? 0;
      return n === 0 ? 'Nothing to redrive.' : `Redrive started: ${n} event${n === 1 ? '' : 's'} sent again.`;
    });
  const remove = () =>
    run(async () => {
      await api('DELETE', base);
      setConfirming(false);
      onDeleted();
      return 'Subscription deleted.';
    });

  const items = deliveries.data?.items ?? [];
  return (
    <section class="card wide" aria-labelledby="webhook-detail-title" data-webhook={w.id}>
      <h2 id="webhook-detail-title">{w.url}</h2>
      <dl class="facts">
        <div>
          <dt>State</dt>
          <dd>
            <StateWord state={w.state} />
          </dd>
        </div>
        <div>
          <dt>Event types</dt>
          <dd>{w.eventTypes.length > 0 ? w.eventTypes.join(', ') : 'every event type'}</dd>
        </div>
        <div>
          <dt>Filter</dt>
          <dd>{filterText(w)}</dd>
        </div>
        <div>
          <dt>Authentication</dt>
          <dd>{w.auth.type === 'apiKey' ? `API key header ${w.auth.header ?? ''}` : w.auth.type}</dd>
        </div>
        <div>
          <dt>Retries</dt>
          <dd>
            up to {w.retry.maximumRetryAttempts} retries, events up to {w.retry.maximumEventAgeSeconds} s old
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <Time iso={w.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>
            <Time iso={w.updatedAt} />
          </dd>
        </div>
      </dl>
      <div class="actions" role="group" aria-label="Subscription actions">
        <button type="button" disabled={!canWrite || busy} onClick={() => void test()}>
          Send test event
        </button>{' '}
        <button type="button" class="secondary" disabled={!canWrite || busy} onClick={() => void toggle()}>
          {w.state === 'enabled' ? 'Disable' : 'Enable'}
        </button>{' '}
        <button type="button" disabled={!canWrite || busy} onClick={() => void redrive()}>
          Redrive failed deliveries
        </button>{' '}
        {!confirming && (
          <button
            type="button"
            class="secondary"
            disabled={!canWrite || busy}
            onClick={() => setConfirming(true)}
          >
            Delete
          </button>
        )}
      </div>
      {confirming && (
        <div role="alertdialog" aria-labelledby="confirm-delete" class="error">
          <p id="confirm-delete">Delete the subscription to {w.url}? Its failed deliveries are dropped.</p>
          <button type="button" disabled={!canWrite || busy} onClick={() => void remove()}>
            Yes, delete
          </button>{' '}
          <button type="button" class="secondary" ref={cancelRef} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <p role="status" aria-live="polite" class="outcome">
        {outcome ?? ''}
      </p>
      {error && <ErrorBox error={error} />}
      <h3>Failed deliveries</h3>
      {deliveries.error && <ErrorBox error={deliveries.error} what="the failed deliveries" />}
      {deliveries.loading && !deliveries.data && <Loading what="failed deliveries" />}
      {deliveries.data && items.length === 0 && (
        <Empty>No failed delivery waiting (successful deliveries are not listed).</Empty>
      )}
      {items.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Failed deliveries table">
          <table>
            <thead>
              <tr>
                <th scope="col">Event id</th>
                <th scope="col">Event type</th>
                <th scope="col">Status code</th>
                <th scope="col">Attempts</th>
                <th scope="col">Error</th>
                <th scope="col">Failed</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.eventId} data-delivery={d.eventId}>
                  <th scope="row">
                    <code>{d.eventId}</code>
                  </th>
                  <td>{d.eventType}</td>
                  <td data-status-code>{d.statusCode ?? '—'}</td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.errorCode}: {d.errorMessage}
                  </td>
                  <td>
                    <Time iso={d.at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
