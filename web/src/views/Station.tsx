/**
 * One station: connection and boot data, EVSEs and connectors, the current transaction, the last
 * OCPP messages in and out, configuration or device model, certificates, commands (forms and history). A station
 * deleted while it is shown says so instead of going blank.
 */
import { useState } from 'preact/hooks';
import {
  ApiError,
  enc,
  type CommandView,
  type Page,
  type Schemas,
  type StationView,
  type TransactionView,
} from '../api/client';
import { duration, kWh } from '../format';
import { useAllPages, useResource } from '../live';
import { Empty, ErrorBox, LoadMore, Loading, Online, StatusWord, Time } from '../ui';
import { Certificates } from './Certificates';
import { AnyCommand, RemoteStart, RemoteStop, Reset } from './Commands';
import { Frames } from './Frames';

function Header({ s }: { s: StationView }) {
  return (
    <dl class="facts">
      <div>
        <dt>Connection</dt>
        <dd>
          <Online connected={s.connected} />
        </dd>
      </div>
      <div>
        <dt>Registration</dt>
        <dd>{s.registrationStatus ?? '—'}</dd>
      </div>
      <div>
        <dt>Last seen</dt>
        <dd>
          <Time iso={s.lastSeenAt} />
        </dd>
      </div>
      <div>
        <dt>Protocol</dt>
        <dd>{s.protocol ?? '—'}</dd>
      </div>
      <div>
        <dt>Vendor / model</dt>
        <dd>{[s.vendor, s.model].filter(Boolean).join(' / ') || '—'}</dd>
      </div>
      <div>
        <dt>Firmware</dt>
        <dd>{s.firmwareVersion ?? '—'}</dd>
      </div>
      <div>
        <dt>Serial number</dt>
        <dd>{s.serialNumber ?? '—'}</dd>
      </div>
      <div>
        <dt>Station status</dt>
        <dd>{s.stationStatus ? <StatusWord status={s.stationStatus.status} /> : '—'}</dd>
      </div>
    </dl>
  );
}

function Evses({ s }: { s: StationView }) {
  if (s.evses.length === 0)
    return <Empty>No EVSE reported yet (they appear with the first StatusNotification).</Empty>;
  return (
    <ul class="evses">
      {s.evses.map((e) => (
        <li key={e.id}>
          <strong>EVSE {e.id}</strong>
          <ul>
            {e.connectors.map((c) => (
              <li key={c.id} data-connector={`${e.id}/${c.id}`}>
                Connector {c.id}: <StatusWord status={c.status} /> since <Time iso={c.statusAt} />
                {c.errorCode ? ` (${c.errorCode})` : ''}
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function CurrentTransactions({ id, onDone }: { id: string; onDone: () => void }) {
  const active = useResource<Page<TransactionView>>(
    `/v1/transactions?stationId=${enc(id)}&status=active&limit=10`,
  );
  if (active.error) return <ErrorBox error={active.error} what="the transactions" />;
  if (!active.data) return <Loading what="transactions" />;
  if (active.data.items.length === 0) return <Empty>No transaction in progress.</Empty>;
  return (
    <ul class="transactions">
      {active.data.items.map((t) => (
        <li key={t.id} data-transaction={t.id}>
          <a href={`#/sessions/${enc(t.stationId)}/${enc(t.id)}`}>Transaction {t.id}</a> on EVSE{' '}
          {t.evseId ?? '—'}: id token {t.idToken ?? '—'}, <span data-energy>{kWh(t.energyWh)}</span>,{' '}
          {duration(t.startedAt, null)}, {t.chargingState ?? 'state unknown'}
          <RemoteStop stationId={id} transactionId={t.id} onDone={onDone} />
        </li>
      ))}
    </ul>
  );
}

function CommandHistory({ id }: { id: string }) {
  const commands = useResource<Page<CommandView>>(`/v1/stations/${enc(id)}/commands?limit=20`);
  if (commands.error) return <ErrorBox error={commands.error} what="the commands" />;
  if (!commands.data) return <Loading what="commands" />;
  if (commands.data.items.length === 0) return <Empty>No command sent to this station yet.</Empty>;
  return (
    <ol class="log">
      {commands.data.items.map((c) => (
        <li key={c.id}>
          <details>
            <summary>
              <Time iso={c.createdAt} /> {c.action}: <strong>{c.status}</strong>
            </summary>
            <pre>{JSON.stringify({ request: c.request, response: c.response, error: c.error }, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ol>
  );
}

/** Reported device model variables read at a time ("Load more" adds as many). */
const DEVICE_MODEL_PAGE = 100;

function Configuration({ s }: { s: StationView }) {
  const v16 = s.protocol === 'ocpp1.6';
  const [pages, setPages] = useState(1);
  // Both hooks always run (hooks keep their order); the one not for this version reads nothing.
  const keys = useResource<Schemas['ConfigurationKeyList']>(
    v16 ? `/v1/stations/${enc(s.id)}/configuration/stored` : null,
    10_000,
  );
  const model = useAllPages<Schemas['DeviceModelPage']['items'][number]>(
    v16 ? null : `/v1/stations/${enc(s.id)}/device-model`,
    { limit: DEVICE_MODEL_PAGE, pollMs: 10_000, maxPages: pages },
  );
  const error = v16 ? keys.error : model.error;
  const items = v16 ? keys.data?.items : model.data;
  if (error) return <ErrorBox error={error} what="the configuration" />;
  if (!items) return <Loading what="configuration" />;
  if (items.length === 0)
    return (
      <Empty>
        Nothing stored yet: {v16 ? 'send GetConfiguration' : 'send GetBaseReport (FullInventory)'} with the
        form below.
      </Empty>
    );
  return (
    <>
      <div class="scroll" tabIndex={0} role="region" aria-label={v16 ? 'Configuration keys' : 'Device model'}>
        <table>
          <thead>
            <tr>
              <th scope="col">{v16 ? 'Key' : 'Component / variable'}</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {v16
              ? (keys.data?.items ?? []).map((k) => (
                  <tr key={k.key}>
                    <th scope="row">{k.key}</th>
                    <td>{k.value ?? '—'}</td>
                  </tr>
                ))
              : (model.data ?? []).map((v) => {
                  const name = `${v.component.name}${v.component.evse ? ` (EVSE ${v.component.evse.id})` : ''} / ${v.variable.name}`;
                  return (
                    <tr key={name + (v.variable.instance ?? '')}>
                      <th scope="row">{name}</th>
                      <td>{v.attributes.Actual?.value ?? '—'}</td>
                    </tr>
                  );
                })}
          </tbody>
        </table>
      </div>
      {!v16 && <LoadMore more={model.more} what="variables" onMore={() => setPages((n) => n + 1)} />}
    </>
  );
}

export function Station({ id }: { id: string }) {
  const station = useResource<StationView>(`/v1/stations/${enc(id)}`);
  const refresh = station.reload;
  const gone = station.error instanceof ApiError && station.error.status === 404;
  return (
    <section aria-labelledby="station-title">
      <p>
        <a href="#/">← Fleet</a>
      </p>
      <h1 id="station-title" tabIndex={-1}>
        Station {id}
      </h1>
      {gone && (
        <p class="error" role="alert">
          {station.data
            ? 'This station was removed while you were looking at it.'
            : `There is no station ${id}.`}
        </p>
      )}
      {station.error && !gone && <ErrorBox error={station.error} what="the station" />}
      {station.loading && !station.data && <Loading what="the station" />}
      {station.data && !gone && (
        <>
          <Header s={station.data} />
          <h2>EVSEs and connectors</h2>
          <Evses s={station.data} />
          <h2>Current transaction</h2>
          <CurrentTransactions id={id} onDone={refresh} />
          <h2>Commands</h2>
          <div class="cards">
            <RemoteStart stationId={id} onDone={refresh} />
            <Reset stationId={id} onDone={refresh} />
            {station.data.protocol && (
              <AnyCommand stationId={id} protocol={station.data.protocol} onDone={refresh} />
            )}
          </div>
          <h2>Recent commands and their results</h2>
          <CommandHistory id={id} />
          <h2>Last messages in and out</h2>
          <Frames id={id} />
          <h2>{station.data.protocol === 'ocpp1.6' ? 'Configuration' : 'Device model'}</h2>
          <Configuration s={station.data} />
          <h2>Certificates</h2>
          <Certificates stationId={id} />
        </>
      )}
    </section>
  );
}
