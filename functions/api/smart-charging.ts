/**
 * What stations reported about smart charging (2.0.1 K11-K17): the external charging limits per
 * EVSE (NotifyChargingLimit, until ClearedChargingLimit) and the latest ISO 15118 charging needs
 * per transaction with the CSMS's answer, the schedule it sent and the EV's own schedule.
 */
import { z } from 'zod';
import type { ChargingLimitItem, EvChargingNeedsItem } from '../../shared/store/smart-charging.js';
import { NotFoundError } from './errors.js';
import { json, operation, type ApiDeps } from './http.js';
import { StationPath } from './path-ids.js';

export const ChargingLimitView = z
  .object({
    evseId: z.number().int().describe('0: the whole station'),
    source: z.string().describe('chargingLimitSource: EMS, SO, Other (2.1: any string)'),
    isGridCritical: z.boolean().nullable(),
    isLocalGeneration: z.boolean().nullable(),
    schedules: z
      .array(z.record(z.string(), z.unknown()))
      .describe('The limit schedules as reported (ChargingScheduleType); empty when the station sent none'),
    at: z.string(),
  })
  .meta({ id: 'ChargingLimitView' });

export const EvChargingNeedsView = z
  .object({
    evseId: z.number().int(),
    transactionId: z.string().nullable(),
    needs: z.record(z.string(), z.unknown()).describe('ChargingNeedsType as the station sent it'),
    status: z.enum(['Accepted', 'Processing', 'Rejected']).describe('The answer (K15.FR.03-05)'),
    reason: z.string().nullable().describe('Why Rejected, or why the needs are not fully met'),
    sent: z
      .object({
        profileId: z.number().int(),
        startSchedule: z.string(),
        unit: z.enum(['A', 'W']),
        durationSeconds: z.number().int().nullable(),
        limit: z.number(),
      })
      .nullable()
      .describe('The TxProfile schedule sent for the needs'),
    evSchedule: z.record(z.string(), z.unknown()).nullable().describe('NotifyEVChargingSchedule, the latest'),
    evScheduleStatus: z.enum(['Accepted', 'Rejected']).nullable(),
    at: z.string(),
  })
  .meta({ id: 'EvChargingNeedsView' });

export const ChargingLimitList = z
  .object({ items: z.array(ChargingLimitView).describe('Every one stored (not paged).') })
  .meta({ id: 'ChargingLimitList' });
export const EvChargingNeedsList = z
  .object({
    items: z.array(EvChargingNeedsView).describe('The latest per transaction, newest first, 90 days.'),
  })
  .meta({ id: 'EvChargingNeedsList' });

function limitView(l: ChargingLimitItem): z.output<typeof ChargingLimitView> {
  return {
    evseId: l.evseId,
    source: l.source,
    isGridCritical: l.isGridCritical ?? null,
    isLocalGeneration: l.isLocalGeneration ?? null,
    schedules: [...(l.schedules ?? [])],
    at: l.at,
  };
}

function needsView(n: EvChargingNeedsItem): z.output<typeof EvChargingNeedsView> {
  return {
    evseId: n.evseId,
    transactionId: n.transactionId ?? null,
    needs: n.needs,
    status: n.status,
    reason: n.reason ?? null,
    sent: n.sent
      ? {
          profileId: n.sent.profileId,
          startSchedule: n.sent.startSchedule,
          unit: n.sent.unit,
          durationSeconds: n.sent.durationSeconds ?? null,
          limit: n.sent.periods[0]?.limit ?? 0,
        }
      : null,
    evSchedule: n.evSchedule ?? null,
    evScheduleStatus: n.evScheduleStatus ?? null,
    at: n.at,
  };
}

async function requireStation(id: string, deps: ApiDeps): Promise<void> {
  if (!(await deps.store.stations.get(id))) throw new NotFoundError(`No station ${id}`);
}

export const listChargingLimits = operation({
  id: 'listChargingLimits',
  summary: 'External charging limits the station reported (NotifyChargingLimit), per EVSE and source',
  params: StationPath,
  responses: { 200: ChargingLimitList },
  async handle({ params }, deps) {
    await requireStation(params.id, deps);
    const items = await deps.store.smartCharging.limits(params.id);
    return json(200, { items: items.map(limitView) });
  },
});

export const listEvChargingNeeds = operation({
  id: 'listEvChargingNeeds',
  summary:
    'ISO 15118 charging needs per transaction (NotifyEVChargingNeeds), with the schedule the CSMS sent',
  params: StationPath,
  responses: { 200: EvChargingNeedsList },
  async handle({ params }, deps) {
    await requireStation(params.id, deps);
    const items = await deps.store.smartCharging.allNeeds(params.id, deps.clock());
    return json(200, { items: items.map(needsView) });
  },
});
