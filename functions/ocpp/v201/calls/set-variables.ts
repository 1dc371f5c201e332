/**
 * 2.0.1 B05 SetVariables. One result per requested attribute: the command is `rejected` only when
 * the station refused every item (a refused password rotation must not read as completed). Stored:
 * each attribute's result, with the value when it was taken (B05.FR.xx), never a password.
 * SecurityCtrlr.BasicAuthPassword (A01.FR.02) is the station's Basic password: it is redacted from
 * the stored request and, once Accepted, only the new password opens a connection (A01.FR.03).
 */
import type { Methods } from '../../../../shared/ocpp/generated/v201/types.js';
import { REDACTED } from '../../../../shared/calls/actions.js';
import type { CallOf } from '../../../../shared/calls/spec.js';
import {
  attributeKey,
  componentRef,
  isPasswordVariable,
  variableRef,
} from '../../../../shared/domain/device-model.js';

const taken = (status: string | undefined) => status === 'Accepted' || status === 'RebootRequired';

export const setVariables: CallOf<Methods, 'SetVariables', 'deviceModel'> = {
  repeatable: true, // sets values
  outcome: (response) =>
    response.setVariableResult.some((r) => taken(r.attributeStatus)) ? 'completed' : 'rejected',
  password: {
    find: (request) => request.setVariableData.find(isPasswordVariable)?.attributeValue,
    redact: (request) => ({
      ...request,
      setVariableData: request.setVariableData.map((v) =>
        isPasswordVariable(v) ? { ...v, attributeValue: REDACTED } : v,
      ) as Methods['SetVariables']['request']['setVariableData'],
    }),
    path: 'setVariableData.attributeValue',
    accepted: (response) => taken(response.setVariableResult.find(isPasswordVariable)?.attributeStatus),
    request: (password) => ({
      setVariableData: [
        {
          component: { name: 'SecurityCtrlr' },
          variable: { name: 'BasicAuthPassword' },
          attributeValue: password,
        },
      ],
    }),
  },
  async onResult({ store, stationId, commandId, now }, request, response) {
    const at = now.toISOString();
    const key = (d: (typeof request.setVariableData)[number] | (typeof response.setVariableResult)[number]) =>
      attributeKey(d.component, d.variable, d.attributeType);
    const requested = new Map(request.setVariableData.map((d) => [key(d), d]));
    await store.deviceModel.putAttributeResults(
      stationId,
      response.setVariableResult.map((r) => {
        const value = requested.get(key(r))?.attributeValue;
        return {
          component: componentRef(r.component),
          variable: variableRef(r.variable),
          attributeType: r.attributeType ?? 'Actual',
          status: r.attributeStatus,
          ...(taken(r.attributeStatus) && value !== undefined && !isPasswordVariable(r) ? { value } : {}),
          source: 'SetVariables' as const,
          at,
          commandId,
        };
      }),
    );
    return [];
  },
};
