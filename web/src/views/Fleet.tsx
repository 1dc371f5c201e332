/**
 * Fleet: what is broken right now, who is charging; every station with its connectors' status in
 * words. The whole fleet is read through the API's cursor (useAllPages), so the counts, the search
 * and the filters cover every station; the table shows PAGE_ROWS matching rows at a time.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { StationView, TransactionView } from '../api/client';
import { useAllPages } from '../live';
import { Empty, ErrorBox, Loading, Online, StatusWord, Time } from '../ui';

type Filter = 'all' | 'online' | 'offline' | 'faulted' | 'charging';

function connectorsOf(s: StationView) {
  return s.evses.flatMap((e) => e.connectors.map((c) => ({ evseId: e.id, ...c })));
}

export function isFaulted(s: StationView): boolean {
  return s.stationStatus?.status === 'Faulted' || connectorsOf(s).some((c) => c.status === 'Faulted');
}

/** Rows the table shows at a time ("Show more" adds as many). */
export const PAGE_ROWS = 100;

export function Fleet() {
  const stations = useAllPages<StationView>('/v1/stations');
  const active = useAllPages<TransactionView>('/v1/transactions?status=active');
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const [protocol, setProtocol] = useState('');
  const [rows, setRows] = useState(PAGE_ROWS);
  // Other search or filters: back to the first rows.
  useEffect(() => setRows(PAGE_ROWS), [query, filter, protocol]);

  const charging = useMemo(() => new Set((active.data ?? []).map((t) => t.stationId)), [active.data]);
  const list = stations.data ?? [];
  const counts = {
    online: list.filter((s) => s.connected).length,
    offline: list.filter((s) => !s.connected).length,
    faulted: list.filter(isFaulted).length,
    charging: list.filter((s) => charging.has(s.id)).length,
  };
  const q = query.trim().toLowerCase();
  const shown = list.filter((s) => {
    if (filter === 'online' && !s.connected) return false;
    if (filter === 'offline' && s.connected) return false;
    if (filter === 'faulted' && !isFaulted(s)) return false;
    if (filter === 'charging' && !charging.has(s.id)) return false;
    if (protocol && s.protocol !== protocol) return false;
    if (!q) return true;
    return [s.id, s.vendor, s.model, s.firmwareVersion, s.serialNumber].some((v) =>
      v?.toLowerCase().includes(q),
    );
  });

  return (
    <section aria-labelledby="fleet-title">
      <h1 id="fleet-title" tabIndex={-1}>
        Fleet
      </h1>
      <ul class="counts" aria-label="Station counts">
        <li>
          <strong data-count="online">{counts.online}</strong> online
        </li>
        <li>
          <strong data-count="offline">{counts.offline}</strong> offline
        </li>
        <li>
          <strong data-count="faulted">{counts.faulted}</strong> faulted
        </li>
        <li>
          <strong data-count="charging">{counts.charging}</strong> charging
        </li>
      </ul>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            value={query}
            placeholder="id, vendor, model, firmware"
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </label>
        <label>
          Show
          <select value={filter} onChange={(e) => setFilter(e.currentTarget.value as Filter)}>
            <option value="all">All stations</option>
            <option value="online">Online</option>
            <option value="offline">Offline</option>
            <option value="faulted">Faulted</option>
            <option value="charging">Charging</option>
          </select>
        </label>
        <label>
          Protocol
          <select value={protocol} onChange={(e) => setProtocol(e.currentTarget.value)}>
            <option value="">Any</option>
            <option value="ocpp1.6">OCPP 1.6</option>
            <option value="ocpp2.0.1">OCPP 2.0.1</option>
            <option value="ocpp2.1">OCPP 2.1</option>
          </select>
        </label>
      </form>
      {stations.error && <ErrorBox error={stations.error} what="the stations" />}
      {stations.loading && !stations.data && <Loading what="stations" />}
      {stations.data && list.length === 0 && (
        <Empty>No stations yet. Provision one with POST /v1/stations (see the README).</Empty>
      )}
      {stations.data && list.length > 0 && shown.length === 0 && (
        <Empty>No station matches the filters.</Empty>
      )}
      {shown.length > 0 && (
        <p class="help" data-shown>
          {shown.length === list.length
            ? `${list.length} station${list.length === 1 ? '' : 's'}`
            : `${shown.length} of ${list.length} stations match`}
          {shown.length > rows ? `; the first ${rows} are listed` : ''}
        </p>
      )}
      {shown.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Stations table">
          <table>
            <caption class="sr-only">Stations</caption>
            <thead>
              <tr>
                <th scope="col">Station</th>
                <th scope="col">Connection</th>
                <th scope="col">Connectors</th>
                <th scope="col">Last seen</th>
                <th scope="col">Protocol</th>
                <th scope="col">Vendor / model</th>
                <th scope="col">Firmware</th>
              </tr>
            </thead>
            <tbody>
              {shown.slice(0, rows).map((s) => (
                <tr key={s.id} data-station={s.id}>
                  <th scope="row">
                    <a href={`#/stations/${encodeURIComponent(s.id)}`}>{s.id}</a>
                  </th>
                  <td>
                    <Online connected={s.connected} />
                    {charging.has(s.id) && <span class="badge busy">Charging</span>}
                  </td>
                  <td>
                    {connectorsOf(s).length === 0
                      ? '—'
                      : connectorsOf(s).map((c) => (
                          <span key={`${c.evseId}-${c.id}`} class="connector">
                            {c.evseId}/{c.id}: <StatusWord status={c.status} />
                          </span>
                        ))}
                  </td>
                  <td>
                    <Time iso={s.lastSeenAt} />
                  </td>
                  <td>{s.protocol ?? '—'}</td>
                  <td>{[s.vendor, s.model].filter(Boolean).join(' / ') || '—'}</td>
                  <td>{s.firmwareVersion ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {stations.more && (
        <p class="help">
          The fleet is larger than this view reads at once: counts and search cover the first 20,000 stations.
        </p>
      )}
      {shown.length > rows && (
        <button type="button" class="secondary" onClick={() => setRows((n) => n + PAGE_ROWS)}>
          Show {Math.min(PAGE_ROWS, shown.length - rows)} more stations
        </button>
      )}
    </section>
  );
}
