/** Medians over repeated runs, percentiles of latency samples, and number formatting. */

/** A figure over repeated runs: the median, with the smallest and largest run. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN, runs: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: values.length };
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Nearest-rank percentile (p in 0..100) of ascending `sorted`. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** Applies `f` to each run of a list of runs (records), giving a Spread per key path. */
export function spreadOf<T>(runs: readonly T[], f: (run: T) => number): Spread {
  return spread(runs.map(f).filter((v) => Number.isFinite(v)));
}

/** `1.23`, `12.3`, `123`, `1,234` — about three significant digits. */
export function num(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '–';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 10 ** digits) return Math.round(value).toLocaleString('en-US');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  return value.toLocaleString('en-US', {
    minimumFractionDigits: 0,
    maximumFractionDigits: Math.min(decimals, 8),
  });
}

/** Dollars: `$0.0123`, `$12.34`, `$1,234`. */
export function usd(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value === 0) return '$0';
  const abs = Math.abs(value);
  if (abs >= 100) return `$${Math.round(value).toLocaleString('en-US')}`;
  if (abs >= 1) return `$${value.toFixed(2)}`;
  return `$${num(value, 3)}`;
}

/** `median [min–max]` */
export function range(s: Spread, format: (v: number) => string = (v) => num(v)): string {
  if (s.runs === 0) return '–';
  if (s.runs === 1 || s.min === s.max) return format(s.median);
  return `${format(s.median)} [${format(s.min)}–${format(s.max)}]`;
}

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 1024 * 1024) return `${num(value / 1024 / 1024)} MiB`;
  if (value >= 1024) return `${num(value / 1024)} KiB`;
  return `${Math.round(value)} B`;
}
