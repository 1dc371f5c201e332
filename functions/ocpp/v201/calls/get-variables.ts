/**
 * 2.0.1 B06 GetVariables. `rejected` only when the station refused every item. Stored: each
 * attribute's result and, when Accepted, its value. A password a misbehaving station reports
 * (SecurityCtrlr.BasicAuthPassword is write-only) is neither stored nor kept in the response.
 */
import type { Methods } from '../../../../shared/ocpp/generated/v201/types.js';
import { REDACTED } from '../../../../shared/calls/actions.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import { componentRef, isPasswordVariable, variableRef } from '../../../../shared/domain/device-model.js';

export const getVariables: CallOf<Methods, 'GetVariables', 'deviceModel'> = {
  repeatable: true, // a read
  outcome: (response) =>
    response.getVariableResult.some((r) => r.attributeStatus === 'Accepted') ? 'completed' : 'rejected',
  redactResponse: (response) => ({
    ...response,
    getVariableResult: response.getVariableResult.map((v) =>
      isPasswordVariable(v) && v.attributeValue !== undefined ? { ...v, attributeValue: REDACTED } : v,
    ) as Methods['GetVariables']['response']['getVariableResult'],
  }),
  async onResult({ store, stationId, commandId, now }, _request, response) {
    const at = now.toISOString();
    await store.deviceModel.putAttributeResults(
      stationId,
      response.getVariableResult.map((r) => ({
        component: componentRef(r.component),
        variable: variableRef(r.variable),
        attributeType: r.attributeType ?? 'Actual',
        status: r.attributeStatus,
        ...(r.attributeStatus === 'Accepted' && r.attributeValue !== undefined && !isPasswordVariable(r)
          ? { value: r.attributeValue }
          : {}),
        source: 'GetVariables' as const,
        at,
        commandId,
      })),
    );
    return [];
  },
};
