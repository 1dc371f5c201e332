/**
 * Version-neutral meter samples and the energy arithmetic on them. 1.6 sends values as strings
 * with a unit (1.6 §7.43 SampledValue, default measurand Energy.Active.Import.Register in Wh);
 * 2.0.1/2.1 send numbers with unitOfMeasure {unit, multiplier} (2.0.1 §2.55 SampledValueType).
 */
import { storableNumber } from './normalize.js';

export interface Sample {
  readonly timestamp: string;
  readonly measurand: string;
  /** Numeric value in `unit`; undefined for signed data that is not a plain number. */
  readonly value: number | undefined;
  readonly unit: string;
  readonly context?: string;
  readonly phase?: string;
  readonly location?: string;
  /** The signed meter value as the station sent it (1.6 format SignedData, 2.0.1 signedMeterValue). */
  readonly signed?: unknown;
}

export const ENERGY_REGISTER = 'Energy.Active.Import.Register';

interface SampledValue16 {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}
interface MeterValue16 {
  timestamp: string;
  sampledValue: SampledValue16[];
}

export function samplesFrom16(meterValues: readonly MeterValue16[]): Sample[] {
  return meterValues.flatMap((mv) =>
    mv.sampledValue.map((sv) => {
      const signed = sv.format === 'SignedData';
      const n = Number(sv.value);
      return {
        timestamp: mv.timestamp,
        measurand: sv.measurand ?? ENERGY_REGISTER,
        value: !signed && sv.value.trim() !== '' && Number.isFinite(n) ? n : undefined,
        unit: sv.unit ?? 'Wh',
        ...(sv.context ? { context: sv.context } : {}),
        ...(sv.phase ? { phase: sv.phase } : {}),
        ...(sv.location ? { location: sv.location } : {}),
        ...(signed ? { signed: sv.value } : {}),
      };
    }),
  );
}

interface SampledValue2 {
  value: number;
  context?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  signedMeterValue?: unknown;
  unitOfMeasure?: { unit?: string; multiplier?: number };
}
interface MeterValue2 {
  timestamp: string;
  sampledValue: SampledValue2[];
}

export function samplesFrom2(meterValues: readonly MeterValue2[]): Sample[] {
  return meterValues.flatMap((mv) =>
    mv.sampledValue.map((sv) => {
      const multiplier = sv.unitOfMeasure?.multiplier ?? 0;
      return {
        timestamp: mv.timestamp,
        measurand: sv.measurand ?? ENERGY_REGISTER,
        value: sv.value * 10 ** multiplier,
        unit: sv.unitOfMeasure?.unit ?? 'Wh',
        ...(sv.context ? { context: sv.context } : {}),
        ...(sv.phase ? { phase: sv.phase } : {}),
        ...(sv.location ? { location: sv.location } : {}),
        ...(sv.signedMeterValue ? { signed: sv.signedMeterValue } : {}),
      };
    }),
  );
}

/** The value of an energy sample in Wh, or undefined when it is not an energy register in Wh/kWh. */
export function energyWh(sample: Sample): number | undefined {
  if (sample.measurand !== ENERGY_REGISTER || sample.value === undefined || sample.phase) return undefined;
  if (sample.location && sample.location !== 'Outlet') return undefined;
  // A reading the store cannot keep exactly once converted (beyond 2^53 Wh) is no reading.
  if (sample.unit === 'Wh') return storableNumber(sample.value);
  if (sample.unit === 'kWh') return storableNumber(sample.value * 1000);
  return undefined;
}

/** First and last energy register readings (by timestamp, then order) of a set of samples, in Wh. */
export function energyBounds(samples: readonly Sample[]): { first: number; last: number } | undefined {
  const readings = samples
    .map((s, i) => ({ s, i, wh: energyWh(s) }))
    .filter((r): r is { s: Sample; i: number; wh: number } => r.wh !== undefined)
    .sort((a, b) => a.s.timestamp.localeCompare(b.s.timestamp) || a.i - b.i);
  const first = readings[0];
  const last = readings[readings.length - 1];
  return first && last ? { first: first.wh, last: last.wh } : undefined;
}
