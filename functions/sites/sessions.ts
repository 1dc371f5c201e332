/**
 * What a site's recompute reads: the active transactions of its stations (each EVSE's newest
 * transaction, if still active), each station's minimum charging rate and each session's priority.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AllocationSession } from '../../shared/domain/allocation.js';
import { DEFAULT_MINIMUM_AMPS, defaultMinimum, minimumInUnit, type Site } from '../../shared/domain/sites.js';
import type { Store } from '../../shared/store/index.js';
import { componentVariableKey } from '../../shared/store/device-model.js';
import { batchGetInOrder, type TableRef } from '../../shared/store/table.js';
import type { ActiveTransactionItem, TransactionItem } from '../../shared/store/transactions.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';

export interface SiteSession extends AllocationSession {
  readonly stationId: string;
  readonly evseId: number;
  readonly transactionId: string;
  readonly protocol: OcppProtocol;
  readonly priority: number;
}

/**
 * A 1.6 configuration key a station may report for its minimum current in A. OCPP 1.6 defines no
 * such key: this is the name the CSMS reads if a vendor exposes one.
 */
export const V16_MINIMUM_KEY = 'MinChargingRate';

/** The active transactions of a station: one Query of its EVSE markers, one BatchGet of the summaries. */
export async function activeTransactions(table: TableRef, stationId: string): Promise<TransactionItem[]> {
  const out = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':pk': `STATION#${stationId}`, ':m': 'ACTIVETX#' },
    }),
  );
  const markers = (out.Items ?? []) as (ActiveTransactionItem & { sk: string })[];
  const summaries = await batchGetInOrder<TransactionItem>(
    table,
    markers.map((m) => ({ pk: `STATION#${stationId}`, sk: `TX#${m.transactionId}` })),
  );
  return summaries.filter((t) => t.status === 'active' && (t.evseId ?? t.connectorId ?? 0) > 0);
}

/**
 * A station's minimum charging rate in A: what it reported (2.x: the device model variable
 * ConnectedEV.ACCurrent, attribute MinSet, of the EVSE: the EV's minimum, appendix 3.2.13;
 * 1.6: the vendor key V16_MINIMUM_KEY), else DEFAULT_MINIMUM_AMPS.
 */
export async function minimumAmps(
  store: Pick<Store, 'configuration'>,
  table: TableRef,
  stationId: string,
  protocol: OcppProtocol | undefined,
  evseId: number,
): Promise<number> {
  const sane = (v: unknown): number | undefined => {
    const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : NaN;
    return Number.isFinite(n) && n > 0 && n <= 1000 ? n : undefined;
  };
  if (protocol === 'ocpp1.6') {
    const keys = await store.configuration.list(stationId);
    return sane(keys.find((k) => k.key === V16_MINIMUM_KEY)?.value) ?? DEFAULT_MINIMUM_AMPS;
  }
  if (protocol === undefined) return DEFAULT_MINIMUM_AMPS;
  const sk = `VAR#${componentVariableKey({ name: 'ConnectedEV', evse: { id: evseId } }, { name: 'ACCurrent' })}`;
  const out = await table.db.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND sk = :sk',
      ExpressionAttributeValues: { ':pk': `DEVMODEL#${stationId}`, ':sk': sk },
    }),
  );
  const attributes = (out.Items?.[0]?.attributes ?? {}) as Record<string, { value?: unknown } | undefined>;
  return sane(attributes.MinSet?.value) ?? DEFAULT_MINIMUM_AMPS;
}

/** Priority of a session from its id token's group (or the token itself); 0 when none is set. */
async function priorityOf(
  store: Pick<Store, 'idTokens'>,
  site: Site,
  idToken: string | undefined,
): Promise<number> {
  const priorities = site.priorities;
  if (!priorities || idToken === undefined) return 0;
  if (priorities[idToken] !== undefined) return priorities[idToken];
  const token = await store.idTokens.findAnyType(idToken);
  const group = token?.groupId;
  return group !== undefined ? (priorities[group] ?? 0) : 0;
}

/** Every active session of the site's stations, with its minimum in the site's unit. */
export async function siteSessions(
  store: Pick<Store, 'configuration' | 'idTokens' | 'stations'>,
  table: TableRef,
  site: Site,
): Promise<SiteSession[]> {
  const sessions: SiteSession[] = [];
  for (const stationId of site.stationIds) {
    const txs = await activeTransactions(table, stationId);
    if (txs.length === 0) continue;
    const station = await store.stations.get(stationId);
    for (const tx of txs) {
      const evseId = tx.evseId ?? tx.connectorId ?? 0;
      const protocol = tx.protocol ?? station?.protocol;
      const amps = await minimumAmps(store, table, stationId, protocol, evseId);
      sessions.push({
        key: `${stationId}/${evseId}`,
        stationId,
        evseId,
        transactionId: tx.id,
        protocol,
        minimum: amps === DEFAULT_MINIMUM_AMPS ? defaultMinimum(site.limit) : minimumInUnit(amps, site.limit),
        priority: await priorityOf(store, site, tx.idToken),
        startedAt: tx.startedAt ?? tx.updatedAt,
      });
    }
  }
  return sessions;
}
