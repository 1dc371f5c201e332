/**
 * Partner webhooks: the subscriptions (never a secret: the API returns none), a new-subscription
 * form, and per subscription (#/webhooks/ID) its failed deliveries with test, enable/disable,
 * redrive and delete.
 */
import { enc, type WebhookList } from '../api/client';
import { useResource } from '../live';
import { Empty, ErrorBox, Loading, Time } from '../ui';
import { filterText, StateWord, WebhookDetail } from './WebhookDetail';
import { WebhookForm } from './WebhookForm';

export function Webhooks({ selected }: { selected?: string }) {
  const list = useResource<WebhookList>('/v1/webhooks');
  const current = selected ? list.data?.items.find((w) => w.id === selected) : undefined;

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title" tabIndex={-1}>
        Webhooks
      </h1>
      {list.error && <ErrorBox error={list.error} what="the webhook subscriptions" />}
      {list.loading && !list.data && <Loading what="webhook subscriptions" />}
      {list.data && list.data.items.length === 0 && (
        <Empty>No webhook subscription yet: create one below.</Empty>
      )}
      {list.data && list.data.items.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Webhook subscriptions table">
          <table>
            <thead>
              <tr>
                <th scope="col">Endpoint</th>
                <th scope="col">Event types</th>
                <th scope="col">Filter</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((w) => (
                <tr key={w.id} aria-current={w.id === selected ? 'true' : undefined}>
                  <th scope="row">
                    <a href={`#/webhooks/${enc(w.id)}`}>{w.url}</a>
                    {w.description && <div class="help">{w.description}</div>}
                  </th>
                  <td>{w.eventTypes.length > 0 ? w.eventTypes.join(', ') : 'every event type'}</td>
                  <td>{filterText(w)}</td>
                  <td>
                    <StateWord state={w.state} />
                  </td>
                  <td>
                    <Time iso={w.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && list.data && !current && (
        <div class="error" role="alert">
          Subscription {selected} does not exist (any more).
        </div>
      )}
      {current && (
        <WebhookDetail
          key={current.id}
          webhook={current}
          onChange={list.reload}
          onDeleted={() => {
            location.hash = '#/webhooks';
            list.reload();
          }}
        />
      )}
      <WebhookForm
        onCreated={(w) => {
          list.reload();
          location.hash = `#/webhooks/${enc(w.id)}`;
        }}
      />
    </section>
  );
}
