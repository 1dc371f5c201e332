/**
 * Which stations a rollout updates: the ids given, or every station whose stored boot data
 * (BootNotification vendor / model / firmware version) matches the filter. Stations already on
 * the target version are left out (recorded as skipped). Resolved before anything starts, so a
 * request that matches nothing is refused with a 400.
 */
import type { Store } from '../../shared/store/index.js';
import type { StationItem } from '../../shared/store/stations.js';
import { RolloutInputError } from './errors.js';

export interface RolloutTarget {
  readonly stationIds?: readonly string[] | undefined;
  readonly filter?:
    | {
        readonly vendor?: string | undefined;
        readonly model?: string | undefined;
        readonly firmwareVersion?: string | undefined;
      }
    | undefined;
}

export interface ResolvedTargets {
  /** In the order of the request (ids) or of the station list (filter). */
  readonly toUpdate: string[];
  readonly alreadyOnVersion: string[];
}

async function byFilter(store: Store, filter: NonNullable<RolloutTarget['filter']>): Promise<StationItem[]> {
  const found: StationItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.stations.list(100, cursor);
    for (const s of page.items) {
      if (filter.vendor !== undefined && s.vendor !== filter.vendor) continue;
      if (filter.model !== undefined && s.model !== filter.model) continue;
      if (filter.firmwareVersion !== undefined && s.firmwareVersion !== filter.firmwareVersion) continue;
      found.push(s);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return found;
}

export async function resolveTargets(
  store: Store,
  target: RolloutTarget,
  version: string,
): Promise<ResolvedTargets> {
  let stations: StationItem[];
  if (target.stationIds !== undefined) {
    stations = [];
    for (const [i, id] of target.stationIds.entries()) {
      const station = await store.stations.get(id, false);
      if (!station) throw new RolloutInputError(`target.stationIds.${i}`, `No station ${id}`);
      if (target.filter) {
        const f = target.filter;
        if (f.vendor !== undefined && station.vendor !== f.vendor) continue;
        if (f.model !== undefined && station.model !== f.model) continue;
        if (f.firmwareVersion !== undefined && station.firmwareVersion !== f.firmwareVersion) continue;
      }
      stations.push(station);
    }
  } else {
    stations = await byFilter(store, target.filter ?? {});
  }
  if (stations.length === 0) throw new RolloutInputError('target', 'No station matches the target');
  const toUpdate = stations.filter((s) => s.firmwareVersion !== version).map((s) => s.id);
  const alreadyOnVersion = stations.filter((s) => s.firmwareVersion === version).map((s) => s.id);
  if (toUpdate.length === 0) {
    throw new RolloutInputError('target', `Every matching station already runs firmware ${version}`);
  }
  return { toUpdate, alreadyOnVersion };
}
