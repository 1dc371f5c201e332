/** Transactions (charging sessions) with their energy, and the meter samples of one of them. */
import { z } from 'zod';
import { energyBounds, type Sample } from '../../shared/domain/meter-values.js';
import { ANOMALIES, energyBetween } from '../../shared/domain/transactions.js';
import type { TransactionItem } from '../../shared/store/transactions.js';
import { NotFoundError } from './errors.js';
import { json, operation, page, pageQuery, type ApiDeps } from './http.js';
import { StationIdParam, TransactionIdParam } from './path-ids.js';
import { Protocol } from './stations.js';
import { signedPage } from './cursors.js';

// ---- schemas ---------------------------------------------------------------------------------

export const TransactionStatus = z.enum(['active', 'ended']).meta({ id: 'TransactionStatus' });

export const TransactionView = z
  .object({
    id: z
      .string()
      .describe('The transaction id: the 2.0.1 transactionId, or the 1.6 transactionId as a string.'),
    stationId: z.string(),
    protocol: Protocol,
    evseId: z.number().int().nullable(),
    connectorId: z.number().int().nullable(),
    idToken: z.string().nullable(),
    idTokenType: z.string().nullable(),
    status: TransactionStatus,
    chargingState: z
      .string()
      .nullable()
      .describe('2.0.1 ChargingStateEnumType (Charging, EVConnected, ...).'),
    startedAt: z.string().nullable(),
    endedAt: z.string().nullable(),
    meterStartWh: z.number().nullable(),
    meterStopWh: z.number().nullable(),
    energyWh: z
      .number()
      .nullable()
      .describe(
        'Energy delivered: for an active transaction, up to the latest meter reading; null when unknown.',
      ),
    stopReason: z.string().nullable(),
    anomalies: z
      .array(z.enum(ANOMALIES))
      .describe(
        'Data-quality facts (see transaction.anomaly.v1): e.g. meterStopBelowStart (energy reported as 0), abandoned (closed by the CSMS).',
      ),
    updatedAt: z.string(),
  })
  .meta({ id: 'TransactionView' });
export type TransactionView = z.output<typeof TransactionView>;

export const SampleView = z
  .object({
    timestamp: z.string(),
    measurand: z.string().describe('Energy.Active.Import.Register, Power.Active.Import, SoC, ...'),
    value: z
      .number()
      .nullable()
      .describe('In `unit` (2.0.1 multipliers applied); null for signed data only.'),
    unit: z.string(),
    context: z.string().nullable(),
    phase: z.string().nullable(),
    location: z.string().nullable(),
    signed: z.unknown().describe('The signed meter value as the station sent it; null when none.'),
  })
  .meta({ id: 'SampleView' });

export const TransactionDetail = TransactionView.extend({
  samples: z.array(SampleView).describe('Every meter sample of the transaction, oldest first.'),
}).meta({ id: 'TransactionDetail' });
export type TransactionDetail = z.output<typeof TransactionDetail>;

export const TransactionPage = page(TransactionView).meta({ id: 'TransactionPage' });

const instant = z.iso
  .datetime({ offset: true })
  .transform((v) => new Date(v).toISOString())
  .optional();

const ListTransactionsQuery = z.strictObject({
  stationId: StationIdParam.optional().describe('Only this station; without it, every station.'),
  status: TransactionStatus.optional(),
  from: instant.describe('Only transactions that started at or after this instant.'),
  to: instant.describe('Only transactions that started before this instant.'),
  idToken: z
    .string()
    .min(1)
    .max(36)
    .optional()
    .describe('Only transactions of this id token (compared case-insensitively).'),
  ...pageQuery,
});
type ListTransactionsQuery = z.output<typeof ListTransactionsQuery>;

/**
 * from, to and idToken have no index: they filter each page the store reads (so a page may be
 * short, even empty, while nextCursor is not null). A transaction whose start is unknown matches
 * no time filter.
 */
function matches(tx: TransactionItem, query: ListTransactionsQuery): boolean {
  if (query.from !== undefined || query.to !== undefined) {
    if (tx.startedAt === undefined) return false;
    const started = Date.parse(tx.startedAt);
    if (query.from !== undefined && started < Date.parse(query.from)) return false;
    if (query.to !== undefined && started >= Date.parse(query.to)) return false;
  }
  if (query.idToken !== undefined && tx.idToken?.toUpperCase() !== query.idToken.toUpperCase()) return false;
  return true;
}
const TransactionPath = z.object({ stationId: StationIdParam, transactionId: TransactionIdParam });

// ---- views -----------------------------------------------------------------------------------

/** Energy of a transaction: stored once ended; while active, from the latest energy register reading. */
function energyOf(tx: TransactionItem, samples: readonly Sample[] | undefined): number | null {
  if (tx.status === 'ended' || samples === undefined) {
    if (tx.energyWh !== undefined) return tx.energyWh;
    return energyBetween(tx.meterStartWh, tx.meterStopWh).energyWh ?? null;
  }
  const bounds = energyBounds(samples);
  if (!bounds) return null;
  // Never negative, also while active: a register that went backwards reads as 0 (issue 7 defect 9).
  return energyBetween(tx.meterStartWh ?? bounds.first, bounds.last).energyWh ?? null;
}

export function transactionView(tx: TransactionItem, samples?: readonly Sample[]): TransactionView {
  return {
    id: tx.id,
    stationId: tx.stationId,
    protocol: tx.protocol,
    evseId: tx.evseId ?? null,
    connectorId: tx.connectorId ?? null,
    idToken: tx.idToken ?? null,
    idTokenType: tx.idTokenType ?? null,
    status: tx.status,
    chargingState: tx.chargingState ?? null,
    startedAt: tx.startedAt ?? null,
    endedAt: tx.endedAt ?? null,
    meterStartWh: tx.meterStartWh ?? null,
    meterStopWh: tx.meterStopWh ?? null,
    energyWh: energyOf(tx, samples),
    stopReason: tx.stopReason ?? null,
    anomalies: tx.anomalies ?? [],
    updatedAt: tx.updatedAt,
  };
}

function sampleView(s: Sample): z.output<typeof SampleView> {
  return {
    timestamp: s.timestamp,
    measurand: s.measurand,
    value: s.value ?? null,
    unit: s.unit,
    context: s.context ?? null,
    phase: s.phase ?? null,
    location: s.location ?? null,
    signed: s.signed ?? null,
  };
}

/** Samples in time order (the store returns them by item key; sort is stable within a timestamp). */
async function samplesOf(tx: TransactionItem, deps: ApiDeps): Promise<Sample[]> {
  const samples = await deps.store.transactions.listSamples(tx.stationId, tx.id);
  return samples.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
}

// ---- operations ------------------------------------------------------------------------------

export const listTransactions = operation({
  id: 'listTransactions',
  summary: 'Transactions, newest first, of one station or of all',
  description:
    'from, to and idToken filter each page as it is read (no index): a page may be short or empty ' +
    'while nextCursor is not null.',
  query: ListTransactionsQuery,
  responses: { 200: TransactionPage },
  async handle({ query }, deps) {
    // The cursor is a key of the index that stationId and status choose: good for that list only.
    const list = `transactions:${query.stationId ?? '*'}:${query.status ?? '*'}`;
    const result = await signedPage(deps.cursors, list, query.cursor, (cursor) =>
      deps.store.transactions.list({
        limit: query.limit,
        ...(query.stationId ? { stationId: query.stationId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(cursor ? { cursor } : {}),
      }),
    );
    const items = result.items.filter((tx) => matches(tx, query));
    // Active transactions need their meter data for the energy so far: one Query each, in parallel.
    const samples = await Promise.all(
      items.map((tx) => (tx.status === 'active' ? samplesOf(tx, deps) : Promise.resolve(undefined))),
    );
    const body: z.output<typeof TransactionPage> = {
      items: items.map((tx, i) => transactionView(tx, samples[i])),
      nextCursor: result.nextCursor,
    };
    return json(200, body);
  },
});

export const getTransaction = operation({
  id: 'getTransaction',
  summary: 'One transaction with all its meter samples',
  params: TransactionPath,
  responses: { 200: TransactionDetail },
  async handle({ params }, deps) {
    const tx = await deps.store.transactions.get(params.stationId, params.transactionId);
    if (!tx) throw new NotFoundError(`No transaction ${params.transactionId} at station ${params.stationId}`);
    const samples = await samplesOf(tx, deps);
    const body: z.output<typeof TransactionDetail> = {
      ...transactionView(tx, samples),
      samples: samples.map(sampleView),
    };
    return json(200, body);
  },
});
