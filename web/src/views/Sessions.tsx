/**
 * Sessions: active and past transactions with energy, duration, id token and stop reason, newest
 * first, PAGE at a time through the API's cursor ("Load more").
 */
import { useEffect, useState } from 'preact/hooks';
import { enc, type TransactionView } from '../api/client';
import { duration, kWh } from '../format';
import { useAllPages } from '../live';
import { Empty, ErrorBox, LoadMore, Loading, Time } from '../ui';

export const PAGE = 50;

export function Sessions() {
  const [status, setStatus] = useState<'active' | 'ended'>('active');
  const [station, setStation] = useState('');
  const [pages, setPages] = useState(1);
  const query = new URLSearchParams({ status });
  if (station.trim()) query.set('stationId', station.trim());
  const path = `/v1/transactions?${query.toString()}`;
  useEffect(() => setPages(1), [path]);
  const list = useAllPages<TransactionView>(path, { limit: PAGE, maxPages: pages });
  const items = list.data ?? [];
  return (
    <section aria-labelledby="sessions-title">
      <h1 id="sessions-title" tabIndex={-1}>
        Sessions
      </h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>Show</legend>
          <label class="inline">
            <input
              type="radio"
              name="status"
              checked={status === 'active'}
              onChange={() => setStatus('active')}
            />{' '}
            Active
          </label>
          <label class="inline">
            <input
              type="radio"
              name="status"
              checked={status === 'ended'}
              onChange={() => setStatus('ended')}
            />{' '}
            Past
          </label>
        </fieldset>
        <label>
          Station
          <input
            value={station}
            onChange={(e) => setStation(e.currentTarget.value)}
            placeholder="any station"
          />
        </label>
      </form>
      {list.error && <ErrorBox error={list.error} what="the sessions" />}
      {list.loading && !list.data && <Loading what="sessions" />}
      {list.data && items.length === 0 && (
        <Empty>{status === 'active' ? 'Nobody is charging right now.' : 'No past session yet.'}</Empty>
      )}
      {items.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Sessions table">
          <table>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Station</th>
                <th scope="col">Id token</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Energy</th>
                <th scope="col">{status === 'active' ? 'State' : 'Stop reason'}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((t) => (
                <tr key={`${t.stationId}/${t.id}`} data-transaction={t.id}>
                  <th scope="row">
                    <a href={`#/sessions/${enc(t.stationId)}/${enc(t.id)}`}>{t.id}</a>
                  </th>
                  <td>
                    <a href={`#/stations/${enc(t.stationId)}`}>{t.stationId}</a>
                  </td>
                  <td>{t.idToken ?? '—'}</td>
                  <td>
                    <Time iso={t.startedAt} />
                  </td>
                  <td>{duration(t.startedAt, t.endedAt)}</td>
                  <td>{kWh(t.energyWh)}</td>
                  <td>{status === 'active' ? (t.chargingState ?? '—') : (t.stopReason ?? '—')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore more={list.more} what="sessions" onMore={() => setPages((n) => n + 1)} />
    </section>
  );
}
