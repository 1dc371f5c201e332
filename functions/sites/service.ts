/**
 * Site load management (docs/load-management.md, docs/adr/0013-site-load-management.md): a site's
 * recompute reads its active sessions, shares the limit in force (shared/domain/allocation.ts),
 * and sends a TxProfile through the one command path to every EVSE whose share changed. It also
 * settles the profiles sent before: Accepted → applied; refused (status, CALLERROR, time-out) →
 * sent once more, then reported as rejected in the allocation and left alone (never looped).
 *
 * Recomputes of one site never overlap: `request` takes the site's lease (a conditional write);
 * a request while another invocation holds it marks the lease dirty and returns, and the holder
 * runs once more before giving the lease back. Nothing is lost, nothing races.
 */
import { randomUUID } from 'node:crypto';
import type { Log } from '../../shared/aws/observability.js';
import { allocate } from '../../shared/domain/allocation.js';
import { limitAt, type Site } from '../../shared/domain/sites.js';
import type { CommandService } from '../../shared/calls/types.js';
import type { EventSink } from '../../shared/events/publisher.js';
import type { Store } from '../../shared/store/index.js';
import type { EvseAllocation, SiteAllocation } from '../../shared/store/sites.js';
import type { TableRef } from '../../shared/store/table.js';
import { txProfileCommand } from './profiles.js';
import { siteSessions, type SiteSession } from './sessions.js';

/** Longer than the sites function's timeout: a live holder never loses its lease. */
export const LEASE_TTL_MS = 90_000;
/** A profile is sent at most this often for one value: the first send and one retry. */
export const MAX_ATTEMPTS = 2;

export interface SiteDeps {
  readonly store: Pick<Store, 'sites' | 'configuration' | 'idTokens' | 'stations' | 'commands'>;
  readonly table: TableRef;
  readonly commands: Pick<CommandService, 'submit'>;
  readonly events: EventSink;
  readonly clock: () => Date;
  readonly log?: Pick<Log, 'error'>;
}

/** Recomputes the site now, or has the invocation that is recomputing it run once more. */
export async function requestRecompute(
  siteId: string,
  deps: SiteDeps,
  work: (siteId: string, deps: SiteDeps) => Promise<unknown> = recompute,
): Promise<void> {
  const holder = randomUUID();
  for (let attempt = 0; attempt < 20; attempt++) {
    if (await deps.store.sites.acquireLease(siteId, holder, deps.clock(), LEASE_TTL_MS)) {
      let done = false;
      try {
        do {
          await work(siteId, deps);
        } while (!(await deps.store.sites.releaseLease(siteId, holder, deps.clock(), LEASE_TTL_MS)));
        done = true;
      } finally {
        // A recompute that threw gives the lease back (the next event or tick tries again).
        if (!done) await deps.store.sites.releaseLease(siteId, holder, deps.clock(), 0).catch(() => true);
      }
      return;
    }
    if (await deps.store.sites.markDirty(siteId, deps.clock())) return;
    // The holder gave the lease back between the two writes: try to take it.
  }
  throw new Error(`Site ${siteId}: could not take nor flag the recompute lease`);
}

/** The final state of a profile command: applied, retry, rejected, or still pending. */
async function settle(
  deps: SiteDeps,
  previous: EvseAllocation,
): Promise<'applied' | 'retry' | 'rejected' | 'pending' | 'none'> {
  if (previous.profileState !== 'pending' || previous.commandId === undefined) return previous.profileState;
  const command = await deps.store.commands.get(previous.commandId);
  if (!command) return 'retry';
  if (command.status === 'completed') return 'applied';
  if (command.status === 'queued' || command.status === 'sent') return 'pending';
  return previous.attempts < MAX_ATTEMPTS ? 'retry' : 'rejected';
}

async function errorOf(deps: SiteDeps, commandId: string | undefined): Promise<string | undefined> {
  if (commandId === undefined) return undefined;
  const command = await deps.store.commands.get(commandId);
  if (!command) return 'command lost';
  const status = (command.response as { status?: unknown } | undefined)?.status;
  return command.error?.code ?? (typeof status === 'string' ? status : command.status);
}

/** One recompute of a site (call through `requestRecompute`: it must hold the lease). */
export async function recompute(siteId: string, deps: SiteDeps): Promise<SiteAllocation | undefined> {
  const site = await deps.store.sites.get(siteId);
  if (!site) return undefined;
  const now = deps.clock();
  const { value: limit, window } = limitAt(site, now);
  const sessions = await siteSessions(deps.store, deps.table, site);
  const previous = await deps.store.sites.allocation(siteId);
  const before = new Map((previous?.evses ?? []).map((e) => [`${e.stationId}/${e.evseId}`, e]));
  const shares = new Map(
    allocate({ limit, unit: site.limit.unit, policy: site.minimumPolicy, sessions }).map((s) => [s.key, s]),
  );

  const evses: EvseAllocation[] = [];
  let changed = previous === undefined || previous.limit !== limit || before.size !== sessions.length;
  for (const session of sessions) {
    const share = shares.get(session.key);
    if (!share) continue;
    const old = before.get(session.key);
    const same =
      old !== undefined && old.transactionId === session.transactionId && old.value === share.value;
    const base = {
      stationId: session.stationId,
      evseId: session.evseId,
      transactionId: session.transactionId,
      value: share.value,
      reason: share.reason,
      minimum: session.minimum,
      priority: session.priority,
    };
    if (same && old) {
      const state = await settle(deps, old);
      if (state === 'retry') {
        evses.push(await send(deps, site, session, base, old.attempts + 1));
      } else if (state === 'rejected') {
        // Given up on: shown in the allocation, not sent again until the share changes.
        const profileError = old.profileError ?? (await errorOf(deps, old.commandId));
        evses.push({
          ...base,
          commandId: old.commandId,
          attempts: old.attempts,
          profileState: 'rejected',
          profileError,
        });
        if (old.profileState !== 'rejected') changed = true;
      } else {
        evses.push({ ...base, commandId: old.commandId, attempts: old.attempts, profileState: state });
      }
      continue;
    }
    changed = true;
    evses.push(await send(deps, site, session, base, 1));
  }

  const allocation: SiteAllocation = {
    siteId,
    limit,
    unit: site.limit.unit,
    ...(site.limit.phases !== undefined ? { phases: site.limit.phases } : {}),
    ...(window ? { window: `${window.from}-${window.to}` } : {}),
    evses,
    computedAt: now.toISOString(),
  };
  await deps.store.sites.putAllocation(allocation);
  if (changed) {
    await deps.events.publish([
      {
        type: 'site.allocation-changed.v1',
        detail: {
          siteId,
          occurredAt: now.toISOString(),
          limit,
          unit: site.limit.unit,
          ...(window ? { window: `${window.from}-${window.to}` } : {}),
          evses: evses.map((e) => ({
            stationId: e.stationId,
            evseId: e.evseId,
            transactionId: e.transactionId,
            value: e.value,
            reason: e.reason,
            profileState: e.profileState,
          })),
        },
      },
    ]);
  }
  return allocation;
}

async function send(
  deps: SiteDeps,
  site: Site,
  session: SiteSession,
  base: Omit<EvseAllocation, 'attempts' | 'profileState'>,
  attempts: number,
): Promise<EvseAllocation> {
  const { action, payload } = txProfileCommand(session.protocol, {
    evseId: session.evseId,
    transactionId: session.transactionId,
    value: base.value,
    unit: site.limit.unit,
    phases: site.limit.phases,
    minimum: session.minimum,
  });
  try {
    const command = await deps.commands.submit(
      { stationId: session.stationId, action, payload },
      deps.clock(),
    );
    return { ...base, commandId: command.id, attempts, profileState: 'pending' };
  } catch (error) {
    // Refused before sending (the schema, the station's version): shown, never looped.
    deps.log?.error('A site share could not be sent', { error: error as Error, siteId: site.id, ...session });
    return {
      ...base,
      attempts,
      profileState: 'rejected',
      profileError: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Sites whose limit in force differs from the one of their last allocation (a window began or ended). */
export async function dueForSchedule(deps: SiteDeps): Promise<string[]> {
  const now = deps.clock();
  const due: string[] = [];
  for (const site of await deps.store.sites.list()) {
    if (!site.schedule) continue;
    const allocation = await deps.store.sites.allocation(site.id);
    if (allocation === undefined || allocation.limit !== limitAt(site, now).value) due.push(site.id);
  }
  return due;
}
