/**
 * 2.0.1 B07 / B08 NotifyReport: the device model the station reports after a GetBaseReport or
 * GetReport, in parts (seqNo from 0, tbc while more follow: B07.FR.10, B08.FR.14). Each variable
 * is stored as one item with all its attribute types and characteristics; station.report.v1
 * carries each part.
 */
import { canonicalTime, storableNumber } from '../../../shared/domain/normalize.js';
import { recordCommandResult } from '../../../shared/calls/results.js';
import { OcppError } from '../../../shared/ocpp/errors.js';
import type { NotifyReportRequest, NotifyReportResponse } from '../../../shared/ocpp/generated/v201/types.js';
import type { ReportedVariable, VariableAttribute } from '../../../shared/store/device-model.js';
import type { Route } from '../context.js';
import { componentRef, variableRef } from '../../../shared/domain/device-model.js';
import { present } from './device-model-refs.js';
import { requireInt32 } from './normalize.js';

export const notifyReport: Route<NotifyReportRequest, NotifyReportResponse, 'commands' | 'deviceModel'> = {
  // B02.FR.09 / B01.FR.10: while Pending, messages triggered by GetBaseReport / GetReport are allowed.
  beforeAccepted: true,
  async handle(ctx, req) {
    const registration = (await ctx.station())?.registrationStatus;
    if (registration !== 'Accepted' && registration !== 'Pending') {
      // B03.FR.03 / B03.FR.07: a Rejected station cannot have been asked for a report (and before
      // any BootNotification nothing is allowed, B01.FR.08): SecurityError like any other message.
      throw new OcppError(
        'SecurityError',
        'NotifyReport is only allowed once BootNotification is Accepted or Pending',
      );
    }
    requireInt32({ requestId: req.requestId, seqNo: req.seqNo });
    for (const r of req.reportData ?? []) {
      requireInt32({
        'component.evse.id': r.component.evse?.id,
        'component.evse.connectorId': r.component.evse?.connectorId,
      });
    }
    const generatedAt = canonicalTime(req.generatedAt);
    const variables: ReportedVariable[] = (req.reportData ?? []).map((r) => ({
      component: componentRef(r.component),
      variable: variableRef(r.variable),
      attributes: Object.fromEntries(
        r.variableAttribute.map((a): [string, VariableAttribute] => [
          // VariableAttributeType.type defaults to Actual.
          a.type ?? 'Actual',
          present(a, ['value', 'mutability', 'persistent', 'constant']),
        ]),
      ),
      ...(r.variableCharacteristics
        ? {
            characteristics: {
              dataType: r.variableCharacteristics.dataType,
              supportsMonitoring: r.variableCharacteristics.supportsMonitoring,
              ...present(r.variableCharacteristics, ['unit', 'valuesList']),
              ...present(
                {
                  minLimit: storableNumber(r.variableCharacteristics.minLimit),
                  maxLimit: storableNumber(r.variableCharacteristics.maxLimit),
                },
                ['minLimit', 'maxLimit'],
              ),
            },
          }
        : {}),
    }));
    if (variables.length > 0) {
      await ctx.store.deviceModel.putReported(
        ctx.stationId,
        { requestId: req.requestId, generatedAt },
        variables,
      );
    }
    // B07.FR.07 / TC_B_12..14_CSMS: every part of the report is visible on its GetBaseReport / GetReport.
    await recordCommandResult(
      ctx,
      req.requestId,
      'NotifyReport',
      {
        requestId: req.requestId,
        seqNo: req.seqNo,
        tbc: req.tbc ?? false,
        generatedAt,
        variables: variables.length,
      },
      { seqNo: req.seqNo },
    );
    ctx.emit('station.report.v1', {
      stationId: ctx.stationId,
      occurredAt: generatedAt,
      requestId: req.requestId,
      seqNo: req.seqNo,
      tbc: req.tbc ?? false,
      reportData: variables.map((v) => ({ ...v })),
    });
    return {};
  },
};
