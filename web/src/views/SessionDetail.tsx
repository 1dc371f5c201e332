/** One session: its facts and its meter values as a chart of power and energy over time. */
import { enc, type TransactionDetail } from '../api/client';
import { absoluteTime, duration, kW, kWh } from '../format';
import { useResource } from '../live';
import { Empty, ErrorBox, Loading, Time } from '../ui';

type Sample = TransactionDetail['samples'][number];

function toWattsOrWh(s: Sample): number | null {
  if (s.value === null) return null;
  return s.unit.startsWith('k') ? s.value * 1000 : s.value;
}

interface Series {
  readonly label: string;
  readonly unit: (v: number) => string;
  readonly points: { t: number; v: number }[];
  readonly cls: string;
}

function seriesOf(
  samples: readonly Sample[],
  measurand: string,
  label: string,
  unit: (v: number) => string,
  cls: string,
): Series {
  const points = samples
    .filter((s) => s.measurand === measurand && (s.phase === null || s.phase === undefined))
    .map((s) => ({ t: Date.parse(s.timestamp), v: toWattsOrWh(s) }))
    .filter((p): p is { t: number; v: number } => p.v !== null && Number.isFinite(p.t));
  return { label, unit, points, cls };
}

const W = 640;
const H = 220;
const PAD = 40;

/** A line per series, each scaled to its own range (power and energy have different units). */
function Chart({ series }: { series: Series[] }) {
  const all = series.flatMap((s) => s.points);
  if (all.length < 1) return <Empty>No meter values yet.</Empty>;
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t), t0 + 1);
  const x = (t: number) => PAD + ((t - t0) / (t1 - t0)) * (W - 2 * PAD);
  return (
    <figure>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="chart-title chart-desc" class="chart">
        <title id="chart-title">Power and energy over time</title>
        <desc id="chart-desc">
          {series
            .filter((s) => s.points.length > 0)
            .map(
              (s) =>
                `${s.label}: ${s.points.length} readings, last ${s.unit(s.points[s.points.length - 1]!.v)}`,
            )
            .join('; ')}
        </desc>
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} class="axis" />
        {series.map((s) => {
          if (s.points.length === 0) return null;
          const min = Math.min(...s.points.map((p) => p.v));
          const max = Math.max(...s.points.map((p) => p.v), min + 1);
          const y = (v: number) => H - PAD - ((v - min) / (max - min)) * (H - 2 * PAD);
          const d = s.points
            .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`)
            .join(' ');
          return <path key={s.label} d={d} class={`line ${s.cls}`} />;
        })}
        <text x={PAD} y={H - 10} class="tick">
          {absoluteTime(new Date(t0).toISOString())}
        </text>
        <text x={W - PAD} y={H - 10} class="tick" text-anchor="end">
          {absoluteTime(new Date(t1).toISOString())}
        </text>
      </svg>
      <figcaption>
        {series.map((s) => (
          <span key={s.label} class={`legend ${s.cls}`}>
            {s.label}
            {s.points.length > 0 ? ` (last ${s.unit(s.points[s.points.length - 1]!.v)})` : ' (none reported)'}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

export function SessionDetail({ stationId, transactionId }: { stationId: string; transactionId: string }) {
  const tx = useResource<TransactionDetail>(
    `/v1/stations/${enc(stationId)}/transactions/${enc(transactionId)}`,
  );
  return (
    <section aria-labelledby="session-title">
      <p>
        <a href="#/sessions">← Sessions</a>
      </p>
      <h1 id="session-title" tabIndex={-1}>
        Session {transactionId}
      </h1>
      {tx.error && <ErrorBox error={tx.error} what="the session" />}
      {tx.loading && !tx.data && <Loading what="the session" />}
      {tx.data && (
        <>
          <dl class="facts">
            <div>
              <dt>Station</dt>
              <dd>
                <a href={`#/stations/${enc(stationId)}`}>{stationId}</a>
              </dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>{tx.data.status === 'active' ? 'Active' : 'Ended'}</dd>
            </div>
            <div>
              <dt>Id token</dt>
              <dd>{tx.data.idToken ?? '—'}</dd>
            </div>
            <div>
              <dt>Started</dt>
              <dd>
                <Time iso={tx.data.startedAt} />
              </dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd>{duration(tx.data.startedAt, tx.data.endedAt)}</dd>
            </div>
            <div>
              <dt>Energy</dt>
              <dd data-energy>{kWh(tx.data.energyWh)}</dd>
            </div>
            <div>
              <dt>Stop reason</dt>
              <dd>{tx.data.stopReason ?? '—'}</dd>
            </div>
          </dl>
          <h2>Meter values</h2>
          <Chart
            series={[
              seriesOf(tx.data.samples, 'Power.Active.Import', 'Power', kW, 'power'),
              seriesOf(tx.data.samples, 'Energy.Active.Import.Register', 'Energy', kWh, 'energy'),
            ]}
          />
        </>
      )}
    </section>
  );
}
