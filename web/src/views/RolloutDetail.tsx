/**
 * One firmware rollout, live: its state, a progress bar per wave (stations succeeded / failed /
 * skipped / in progress / pending, written as numbers, the bar only a second cue), the health
 * gate of each wave (its failed share against the policy's maxFailurePercent), pause / resume /
 * abort (abort after a confirmation; disabled for viewers and where the state does not allow
 * it), and every station's result. A rollout that does not exist says so.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, enc, type RolloutAccepted, type RolloutView } from '../api/client';
import { useResource } from '../live';
import { useCanWrite } from '../role';
import { Empty, ErrorBox, Loading, Time } from '../ui';

type State = RolloutView['state'];
type Wave = RolloutView['waves'][number];
type StationResult = RolloutView['stations'][number];

const STATE_WORD: Record<State, { word: string; cls: string }> = {
  running: { word: 'Running', cls: 'busy' },
  paused: { word: 'Paused', cls: 'off' },
  completed: { word: 'Completed', cls: 'ok' },
  aborted: { word: 'Aborted', cls: 'bad' },
  failed: { word: 'Failed', cls: 'bad' },
};

export function RolloutStateWord({ state }: { state: State }) {
  const { word, cls } = STATE_WORD[state];
  return <span class={`badge ${cls}`}>{word}</span>;
}

const STATION_CLASS: Record<StationResult['status'], string> = {
  pending: 'off',
  'in-progress': 'busy',
  succeeded: 'ok',
  failed: 'bad',
  skipped: 'off',
};

export interface WaveProgress {
  readonly size: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  readonly inProgress: number;
  readonly pending: number;
}

/** A wave's counts from its stations' results (the wave's own counts only exist once it is done). */
export function waveProgress(wave: Wave, stations: readonly StationResult[]): WaveProgress {
  const mine = stations.filter((s) => s.wave === wave.index);
  const n = (status: StationResult['status']) => mine.filter((s) => s.status === status).length;
  return {
    size: wave.size,
    succeeded: n('succeeded'),
    failed: n('failed'),
    skipped: n('skipped'),
    inProgress: n('in-progress'),
    pending: n('pending'),
  };
}

/** The health gate of a wave as words: not reached, watching, passed or tripped. */
export function gateText(wave: Wave, p: WaveProgress, maxFailurePercent: number): string {
  const pct = (failed: number) => (p.size === 0 ? 0 : Math.round((failed / p.size) * 10_000) / 100);
  if (wave.state === 'pending') return 'Not started';
  if (wave.state === 'running')
    return `Watching: ${pct(p.failed)} % failed so far (limit ${maxFailurePercent} %)`;
  const failed = wave.failurePercent ?? pct(wave.failed ?? p.failed);
  return failed > maxFailurePercent
    ? `Tripped: ${failed} % failed, over the limit of ${maxFailurePercent} %`
    : `Passed: ${failed} % failed (limit ${maxFailurePercent} %)`;
}

const SEGMENTS: readonly { key: keyof Omit<WaveProgress, 'size'>; label: string }[] = [
  { key: 'succeeded', label: 'succeeded' },
  { key: 'failed', label: 'failed' },
  { key: 'skipped', label: 'skipped' },
  { key: 'inProgress', label: 'in progress' },
  { key: 'pending', label: 'pending' },
];

function WaveBar({ wave, p, max }: { wave: Wave; p: WaveProgress; max: number }) {
  const finished = p.succeeded + p.failed + p.skipped;
  return (
    <li class="wave" data-wave={wave.index} data-wave-state={wave.state}>
      <div class="wave-head">
        <strong>{wave.index === 0 ? 'Wave 0 (canary)' : `Wave ${wave.index}`}</strong>{' '}
        <span class="help">
          {wave.state === 'done' ? 'done' : wave.state === 'running' ? 'running' : 'waiting'}
          {wave.startedAt && (
            <>
              , started <Time iso={wave.startedAt} />
            </>
          )}
        </span>
      </div>
      <div
        class="bar"
        role="progressbar"
        aria-label={`Wave ${wave.index}: stations finished`}
        aria-valuemin={0}
        aria-valuemax={p.size}
        aria-valuenow={finished}
        aria-valuetext={`${finished} of ${p.size} stations finished`}
      >
        {SEGMENTS.map(({ key }) =>
          p[key] > 0 ? (
            <span
              key={key}
              class={`seg ${key}`}
              style={{ width: `${(p[key] / Math.max(1, p.size)) * 100}%` }}
            />
          ) : null,
        )}
      </div>
      <p class="wave-counts">
        {SEGMENTS.map(({ key, label }) => (
          <span key={key} data-wave-count={key}>
            {p[key]} {label}
          </span>
        ))}
        <span>of {p.size}</span>
      </p>
      <p class="help" data-gate>
        Health gate: {gateText(wave, p, max)}
      </p>
    </li>
  );
}

export function RolloutDetail({ id, onChange }: { id: string; onChange: () => void }) {
  const canWrite = useCanWrite();
  const base = `/v1/firmware/rollouts/${enc(id)}`;
  const rollout = useResource<RolloutView>(base);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const control = async (action: 'pause' | 'resume' | 'abort') => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const r = await api<RolloutAccepted>('POST', `${base}/${action}`);
      setConfirming(false);
      setOutcome(
        action === 'pause'
          ? 'Pause requested: the wave under way finishes, no new wave starts.'
          : action === 'resume'
            ? `Resumed: the rollout is ${r.state}.`
            : 'Aborted: stations not done are skipped.',
      );
      rollout.reload();
      onChange();
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };

  const gone = rollout.error instanceof ApiError && rollout.error.status === 404;
  if (gone)
    return (
      <div class="error" role="alert">
        Rollout {id} does not exist.
      </div>
    );
  const r = rollout.data;
  return (
    <section class="card wide" aria-labelledby="rollout-title" data-rollout={id} data-state={r?.state}>
      <h2 id="rollout-title">Rollout {id}</h2>
      {rollout.error && <ErrorBox error={rollout.error} what="the rollout" />}
      {rollout.loading && !r && <Loading what="the rollout" />}
      {r && (
        <>
          <dl class="facts">
            <div>
              <dt>State</dt>
              <dd>
                <RolloutStateWord state={r.state} />
                {r.reason ? ` (${r.reason})` : ''}
              </dd>
            </div>
            <div>
              <dt>Firmware</dt>
              <dd>{r.firmware.version}</dd>
            </div>
            <div>
              <dt>Stations</dt>
              <dd>
                {r.counts.succeeded} succeeded, {r.counts.failed} failed, {r.counts.skipped} skipped of{' '}
                {r.counts.total}
              </dd>
            </div>
            <div>
              <dt>Waves</dt>
              <dd>
                canary {r.policy.canary}, then {r.policy.batchSize} at a time
              </dd>
            </div>
            <div>
              <dt>Over the limit</dt>
              <dd>{r.policy.onThreshold === 'pause' ? 'pause' : 'abort'}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <Time iso={r.createdAt} />
              </dd>
            </div>
          </dl>
          <p class="help">
            Image: <code>{r.firmware.location}</code>
          </p>
          <div class="actions" role="group" aria-label="Rollout actions">
            <button
              type="button"
              disabled={!canWrite || busy || r.state !== 'running'}
              onClick={() => void control('pause')}
            >
              Pause
            </button>
            <button
              type="button"
              disabled={!canWrite || busy || r.state !== 'paused'}
              onClick={() => void control('resume')}
            >
              Resume
            </button>
            {!confirming && (
              <button
                type="button"
                class="secondary"
                disabled={!canWrite || busy || (r.state !== 'running' && r.state !== 'paused')}
                onClick={() => setConfirming(true)}
              >
                Abort
              </button>
            )}
          </div>
          {confirming && (
            <div role="alertdialog" aria-labelledby="confirm-abort" class="error">
              <p id="confirm-abort">
                Abort rollout {id} for good? Stations not done are skipped; it cannot be resumed.
              </p>
              <button type="button" disabled={!canWrite || busy} onClick={() => void control('abort')}>
                Yes, abort
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
          <h3>Waves</h3>
          {r.waves.length === 0 ? (
            <Empty>No wave: every target station is already on {r.firmware.version}.</Empty>
          ) : (
            <ol class="waves">
              {r.waves.map((w) => (
                <WaveBar
                  key={w.index}
                  wave={w}
                  p={waveProgress(w, r.stations)}
                  max={r.policy.maxFailurePercent}
                />
              ))}
            </ol>
          )}
          <h3>Stations</h3>
          {r.stations.length === 0 ? (
            <Empty>No station in this rollout.</Empty>
          ) : (
            <div class="scroll" tabIndex={0} role="region" aria-label="Rollout stations table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Station</th>
                    <th scope="col">Wave</th>
                    <th scope="col">Result</th>
                    <th scope="col">Firmware status</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {r.stations.map((s) => (
                    <tr key={s.stationId} data-rollout-station={s.stationId}>
                      <th scope="row">
                        <a href={`#/stations/${enc(s.stationId)}`}>{s.stationId}</a>
                      </th>
                      <td>{s.wave < 0 ? 'already on it' : s.wave}</td>
                      <td>
                        <span class={`badge ${STATION_CLASS[s.status]}`}>{s.status}</span>
                      </td>
                      <td data-firmware-status>{s.firmwareStatus ?? '—'}</td>
                      <td>{s.reason ?? '—'}</td>
                      <td>
                        <Time iso={s.updatedAt} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
