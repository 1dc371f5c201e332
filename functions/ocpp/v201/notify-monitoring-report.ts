/**
 * 2.0.1 N02 NotifyMonitoringReport: the monitors a station reports after a GetMonitoringReport
 * (N02.FR.06, in parts: seqNo, tbc). Each variable's monitors are stored in the device model; a
 * summary of each part is a result of the command.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
import { recordCommandResult } from '../../../shared/calls/results.js';
import type {
  NotifyMonitoringReportRequest,
  NotifyMonitoringReportResponse,
} from '../../../shared/ocpp/generated/v201/types.js';
import type { NotifyMonitoringReportRequest as NotifyMonitoringReportRequest21 } from '../../../shared/ocpp/generated/v21/types.js';
import type { Route } from '../context.js';
import { componentRef, variableRef } from '../../../shared/domain/device-model.js';
import { requireInt32 } from './normalize.js';

export const notifyMonitoringReport: Route<
  NotifyMonitoringReportRequest | NotifyMonitoringReportRequest21,
  NotifyMonitoringReportResponse,
  'commands' | 'deviceModel'
> = {
  async handle(ctx, req) {
    requireInt32({ requestId: req.requestId, seqNo: req.seqNo });
    const generatedAt = canonicalTime(req.generatedAt);
    const variables = (req.monitor ?? []).map((m) => {
      requireInt32({
        'component.evse.id': m.component.evse?.id,
        'component.evse.connectorId': m.component.evse?.connectorId,
      });
      return {
        component: componentRef(m.component),
        variable: variableRef(m.variable),
        monitors: m.variableMonitoring.map((v) => {
          requireInt32({ 'variableMonitoring.id': v.id, 'variableMonitoring.severity': v.severity });
          return {
            id: v.id,
            transaction: v.transaction,
            value: storableNumber(v.value) ?? 0,
            type: v.type,
            severity: v.severity,
          };
        }),
      };
    });
    if (variables.length > 0) {
      await ctx.store.deviceModel.putMonitors(
        ctx.stationId,
        { requestId: req.requestId, generatedAt },
        variables,
      );
    }
    await recordCommandResult(
      ctx,
      req.requestId,
      'NotifyMonitoringReport',
      {
        requestId: req.requestId,
        seqNo: req.seqNo,
        tbc: req.tbc ?? false,
        generatedAt,
        variables: variables.length,
        monitors: variables.reduce((n, v) => n + v.monitors.length, 0),
      },
      { seqNo: req.seqNo },
    );
    return {};
  },
};
