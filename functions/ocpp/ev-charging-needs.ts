/**
 * ISO 15118 smart charging (2.0.1 K15-K17): an EV's charging needs answered with a TxProfile that
 * meets them within the EVSE's limit, and the EV's own schedule checked against it.
 *
 * NotifyEVChargingNeeds: Rejected (K15.FR.04 / K17.FR.04) when the CSMS cannot provide a schedule
 * — no transaction on the EVSE (a TxProfile names one, K15.FR.07), parameters that do not match
 * the energy transfer mode (K15.FR.06), an EVSE limit below the EV's minimum current, or no command
 * path. Otherwise the schedule is computed (shared/domain/ev-schedule.ts) and sent with
 * SetChargingProfile (TxProfile, the transaction's id, one schedule of one period: within any
 * maxScheduleTuples) right after the reply, through the command path: Accepted (K15.FR.03) when
 * the station has no CALL outstanding, so it goes out at once (K15.FR.08: within 60 s), Processing
 * (K15.FR.05) when it has to wait its turn. Needs that cannot be met fully (the departure time
 * comes first) are still served with the best schedule and published as
 * `ev.charging-needs-unmet.v1`, as is every Rejected: never silently.
 *
 * NotifyEVChargingSchedule: Accepted when the EV's schedule stays within what was sent
 * (K15.FR.11 / K17.FR.11), else Rejected (K15.FR.12 / K17.FR.12), `ev.charging-schedule-deviated.v1`
 * and the TxProfile sent again, which renegotiates (K15.FR.13 / K16).
 */
import { CSMS_TX_STACK_LEVEL, csmsTxProfileId } from '../../shared/domain/tx-profiles.js';
import { storableObject } from '../../shared/calls/json.js';
import {
  planSchedule,
  scheduleDeviations,
  type ChargingNeeds,
  type SchedulePlan,
} from '../../shared/domain/ev-schedule.js';
import type { EvChargingNeedsItem, SentSchedule } from '../../shared/store/smart-charging.js';
import type { HandlerContext } from './context.js';

/** The stack level of the TxProfiles sent for EV needs: the one the site shares use. */
export const EV_NEEDS_STACK_LEVEL = CSMS_TX_STACK_LEVEL;

export interface NeedsRequest {
  readonly evseId: number;
  readonly maxScheduleTuples?: number;
  readonly chargingNeeds: ChargingNeeds & Record<string, unknown>;
}

type Answer = {
  status: 'Accepted' | 'Processing' | 'Rejected';
  statusInfo?: { reasonCode: string; additionalInfo?: string };
};

function energyOf(needs: ChargingNeeds): number | undefined {
  return needs.acChargingParameters?.energyAmount ?? needs.dcChargingParameters?.energyAmount;
}

/** The active transaction on the EVSE, if any. */
async function activeTransaction(
  ctx: HandlerContext<'transactions'>,
  evseId: number,
): Promise<string | undefined> {
  const marker = await ctx.store.transactions.getActive(ctx.stationId, evseId);
  if (!marker) return undefined;
  const tx = await ctx.store.transactions.get(ctx.stationId, marker.transactionId);
  return tx?.status === 'active' ? marker.transactionId : undefined;
}

function txProfile(evseId: number, transactionId: string, plan: SchedulePlan, start: string): SentSchedule {
  // One id per EVSE, shared with the site shares (K01.FR.05 replaces, K01.FR.39 holds).
  const profileId = csmsTxProfileId(evseId);
  const period = {
    startPeriod: 0,
    limit: plan.limit,
    ...(plan.phases !== undefined ? { numberPhases: plan.phases } : {}),
  };
  const payload = {
    evseId,
    chargingProfile: {
      id: profileId,
      stackLevel: EV_NEEDS_STACK_LEVEL,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Absolute',
      transactionId,
      chargingSchedule: [
        {
          id: 1,
          startSchedule: start,
          ...(plan.durationSeconds !== undefined ? { duration: plan.durationSeconds } : {}),
          chargingRateUnit: plan.unit,
          chargingSchedulePeriod: [period],
          ...(plan.minChargingRate !== undefined ? { minChargingRate: plan.minChargingRate } : {}),
        },
      ],
    },
  };
  return {
    profileId,
    startSchedule: start,
    unit: plan.unit,
    ...(plan.durationSeconds !== undefined ? { durationSeconds: plan.durationSeconds } : {}),
    periods: [period],
    payload,
  };
}

export async function answerChargingNeeds(
  ctx: HandlerContext<'smartCharging' | 'transactions'>,
  req: NeedsRequest,
): Promise<Answer> {
  const { customData: _c, ...needs } = req.chargingNeeds;
  const at = ctx.now.toISOString();
  const transactionId = await activeTransaction(ctx, req.evseId);
  const energyAmountWh = energyOf(needs);
  const common = {
    stationId: ctx.stationId,
    occurredAt: at,
    evseId: req.evseId,
    ...(transactionId !== undefined ? { transactionId } : {}),
    ...(energyAmountWh !== undefined ? { energyAmountWh } : {}),
    ...(needs.departureTime !== undefined ? { departureTime: needs.departureTime } : {}),
  };
  const store = (item: Omit<EvChargingNeedsItem, 'evseId' | 'needs' | 'at'>) =>
    ctx.store.smartCharging.putNeeds(ctx.stationId, {
      evseId: req.evseId,
      needs: storableObject({ ...needs }),
      ...(req.maxScheduleTuples !== undefined ? { maxScheduleTuples: req.maxScheduleTuples } : {}),
      ...(transactionId !== undefined ? { transactionId } : {}),
      at,
      ...item,
    });
  const reject = async (reasonCode: string, reason: string): Promise<Answer> => {
    await store({ status: 'Rejected', reason });
    ctx.emit('ev.charging-needs.v1', {
      ...common,
      status: 'Rejected',
      requestedEnergyTransfer: needs.requestedEnergyTransfer,
    });
    ctx.emit('ev.charging-needs-unmet.v1', { ...common, status: 'Rejected', reason });
    return { status: 'Rejected', statusInfo: { reasonCode, additionalInfo: reason.slice(0, 512) } };
  };

  if (transactionId === undefined) {
    return reject(
      'NoTransaction',
      `no transaction is active on EVSE ${req.evseId}: a TxProfile needs one (K15.FR.07)`,
    );
  }
  const commands = ctx.commands;
  if (!commands) return reject('InternalError', 'the CSMS has no command path to send a schedule with');
  const limit = await ctx.evseLimits.limitFor(ctx.stationId, req.evseId);
  const planned = planSchedule(needs, limit, ctx.now);
  if (!planned.ok) return reject('InvalidValue', planned.reason);
  const { plan } = planned;
  const sent = txProfile(req.evseId, transactionId, plan, at);
  // K15.FR.05: the CALL waits for the one outstanding (it is sent when that one is answered).
  const busy = (await ctx.station())?.outstandingCall !== undefined;
  const status = busy ? 'Processing' : 'Accepted';
  await store({ status, sent, ...(plan.shortfall !== undefined ? { reason: plan.shortfall } : {}) });
  ctx.emit('ev.charging-needs.v1', {
    ...common,
    status,
    requestedEnergyTransfer: needs.requestedEnergyTransfer,
    limit: { value: plan.limit, unit: plan.unit },
    profileId: sent.profileId,
  });
  if (plan.shortfall !== undefined) {
    ctx.emit('ev.charging-needs-unmet.v1', {
      ...common,
      status,
      reason: plan.shortfall,
      ...(plan.deliverableWh !== undefined ? { deliverableWh: plan.deliverableWh } : {}),
    });
  }
  ctx.afterReply(async () => {
    await commands.submit(
      { stationId: ctx.stationId, action: 'SetChargingProfile', payload: sent.payload },
      ctx.now,
    );
  });
  return { status };
}

export interface EvScheduleRequest {
  readonly evseId: number;
  readonly timeBase: string;
  readonly chargingSchedule: {
    readonly chargingRateUnit: string;
    readonly chargingSchedulePeriod: readonly {
      startPeriod: number;
      limit?: number;
      numberPhases?: number;
    }[];
  } & Record<string, unknown>;
}

export async function checkEvSchedule(
  ctx: HandlerContext<'smartCharging' | 'transactions'>,
  req: EvScheduleRequest,
): Promise<{
  status: 'Accepted' | 'Rejected';
  statusInfo?: { reasonCode: string; additionalInfo?: string };
}> {
  const transactionId = await activeTransaction(ctx, req.evseId);
  const needs =
    transactionId === undefined
      ? undefined
      : await ctx.store.smartCharging.needsOf(ctx.stationId, transactionId, ctx.now);
  const { customData: _c, ...evSchedule } = req.chargingSchedule;
  const sent = needs?.sent;
  if (!needs || !sent) {
    // Nothing of the CSMS's to exceed (the station used its own profiles): nothing to object to.
    ctx.log.info('NotifyEVChargingSchedule without a schedule of the CSMS for the EVSE', {
      evseId: req.evseId,
    });
    return { status: 'Accepted' };
  }
  const deviations = scheduleDeviations(
    {
      startSchedule: sent.startSchedule,
      unit: sent.unit,
      periods: sent.periods,
      ...(sent.durationSeconds !== undefined ? { durationSeconds: sent.durationSeconds } : {}),
    },
    {
      timeBase: req.timeBase,
      chargingRateUnit: evSchedule.chargingRateUnit,
      chargingSchedulePeriod: evSchedule.chargingSchedulePeriod.map((p) => ({
        startPeriod: p.startPeriod,
        limit: p.limit ?? 0,
        ...(p.numberPhases !== undefined ? { numberPhases: p.numberPhases } : {}),
      })),
    },
  );
  const status = deviations.length === 0 ? 'Accepted' : 'Rejected';
  await ctx.store.smartCharging.putNeeds(ctx.stationId, {
    ...needs,
    evSchedule: storableObject({ timeBase: req.timeBase, ...evSchedule }),
    evScheduleStatus: status,
  });
  if (status === 'Accepted') return { status };
  ctx.emit('ev.charging-schedule-deviated.v1', {
    stationId: ctx.stationId,
    occurredAt: ctx.now.toISOString(),
    evseId: req.evseId,
    ...(needs.transactionId !== undefined ? { transactionId: needs.transactionId } : {}),
    profileId: sent.profileId,
    deviations,
  });
  const commands = ctx.commands;
  if (commands) {
    // K15.FR.13 / K17.FR.13: renegotiate (K16) by sending the CSMS's schedule again.
    ctx.afterReply(async () => {
      await commands.submit(
        { stationId: ctx.stationId, action: 'SetChargingProfile', payload: sent.payload },
        ctx.now,
      );
    });
  }
  const first = deviations[0]!;
  return {
    status,
    statusInfo: {
      reasonCode: 'ExceedsLimit',
      additionalInfo: `from ${first.at} the EV plans ${first.evLimit} ${first.unit}, above the ${first.csmsLimit} ${first.unit} sent`,
    },
  };
}
