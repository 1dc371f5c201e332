/**
 * Firmware rollouts: every rollout (newest first) with its state and progress, one rollout's
 * detail (#/rollouts/ID: per-wave progress bars, the health gate, pause / resume / abort, every
 * station's result), and the start-a-rollout form.
 */
import { enc, type RolloutSummary } from '../api/client';
import { useAllPages } from '../live';
import { Empty, ErrorBox, Loading, Time } from '../ui';
import { RolloutDetail, RolloutStateWord } from './RolloutDetail';
import { RolloutForm } from './RolloutForm';

/** "3 of 5 waves done" from the waves the list carries. */
function wavesDone(r: RolloutSummary): string {
  const done = r.waves.filter((w) => w.state === 'done').length;
  return `${done} of ${r.waves.length} wave${r.waves.length === 1 ? '' : 's'} done`;
}

export function Rollouts({ selected }: { selected?: string }) {
  const list = useAllPages<RolloutSummary>('/v1/firmware/rollouts');
  // The API lists oldest first; the operator wants last night's rollout on top.
  const items = [...(list.data ?? [])].reverse();

  return (
    <section aria-labelledby="rollouts-title">
      <h1 id="rollouts-title" tabIndex={-1}>
        Firmware rollouts
      </h1>
      {selected && <RolloutDetail key={selected} id={selected} onChange={list.reload} />}
      <h2>All rollouts</h2>
      {list.error && <ErrorBox error={list.error} what="the rollouts" />}
      {list.loading && !list.data && <Loading what="rollouts" />}
      {list.data && items.length === 0 && <Empty>No firmware rollout yet: start one below.</Empty>}
      {items.length > 0 && (
        <div class="scroll" tabIndex={0} role="region" aria-label="Rollouts table">
          <table>
            <thead>
              <tr>
                <th scope="col">Rollout</th>
                <th scope="col">Firmware</th>
                <th scope="col">State</th>
                <th scope="col">Progress</th>
                <th scope="col">Health gate</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.id} data-rollout-row={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                  <th scope="row">
                    <a href={`#/rollouts/${enc(r.id)}`}>{r.id}</a>
                  </th>
                  <td>{r.firmware.version}</td>
                  <td>
                    <RolloutStateWord state={r.state} />
                    {r.reason ? ` (${r.reason})` : ''}
                  </td>
                  <td>{wavesDone(r)}</td>
                  <td>at most {r.policy.maxFailurePercent} % failed per wave</td>
                  <td>
                    <Time iso={r.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <RolloutForm
        onStarted={(id) => {
          list.reload();
          location.hash = `#/rollouts/${enc(id)}`;
        }}
      />
    </section>
  );
}
