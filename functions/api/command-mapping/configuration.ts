/** Configuration: 1.6 GetConfiguration / ChangeConfiguration, 2.x GetVariables / GetBaseReport / SetVariables. */
import type * as v16 from '../../../shared/ocpp/generated/v16/types.js';
import type * as v201 from '../../../shared/ocpp/generated/v201/types.js';
import type { OcppProtocol } from '../../../shared/ocpp/versions.js';
import {
  componentRef,
  variableRef,
  type ComponentInput,
  type VariableInput,
} from '../../../shared/domain/device-model.js';
import { is16, refuse, renameFields, type Outgoing } from './outgoing.js';

export interface VariableRefInput {
  readonly component: ComponentInput;
  readonly variable: VariableInput;
  readonly attributeType?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet' | undefined;
}

/** `Component.Variable` (split at the first dot) as a 2.0.1 component/variable pair. */
export function parseVariableKey(
  key: string,
  path: string,
): { component: ComponentInput; variable: VariableInput } {
  const dot = key.indexOf('.');
  if (dot <= 0 || dot === key.length - 1) {
    refuse(path, 'OCPP 2.x configuration keys are Component.Variable (e.g. OCPPCommCtrlr.HeartbeatInterval)');
  }
  return { component: { name: key.slice(0, dot) }, variable: { name: key.slice(dot + 1) } };
}

/**
 * Reads configuration. 1.6 §5.8 GetConfiguration (no keys: every key). 2.x B06 GetVariables for
 * the given variables; with none, B07 GetBaseReport(ConfigurationInventory), whose NotifyReport
 * parts are stored as the device model (`generatedId` is its requestId).
 */
export function getConfiguration(
  protocol: OcppProtocol,
  input: { keys?: readonly string[] | undefined; variables?: readonly VariableRefInput[] | undefined },
  generatedId: number,
): Outgoing {
  const keys = input.keys ?? [];
  const variables = input.variables ?? [];
  if (is16(protocol)) {
    if (variables.length > 0) {
      refuse('variables', 'OCPP 1.6 has configuration keys, not components and variables: use keys');
    }
    const payload = (keys.length > 0 ? { key: [...keys] } : {}) satisfies v16.GetConfigurationRequest;
    return { action: 'GetConfiguration', payload, toField: renameFields({ key: 'keys' }) };
  }
  const wanted: VariableRefInput[] = [
    ...keys.map((key, i) => parseVariableKey(key, `keys.${i}`)),
    ...variables,
  ];
  if (wanted.length === 0) {
    const payload = {
      requestId: generatedId,
      reportBase: 'ConfigurationInventory',
    } satisfies v201.GetBaseReportRequest;
    return { action: 'GetBaseReport', payload };
  }
  const payload = {
    getVariableData: wanted.map((w) => ({
      component: componentRef(w.component),
      variable: variableRef(w.variable),
      ...(w.attributeType ? { attributeType: w.attributeType } : {}),
    })),
  };
  const offset = keys.length;
  return {
    action: 'GetVariables',
    payload,
    toField: (path) => {
      const m = /^getVariableData\.(\d+)(.*)$/.exec(path);
      if (!m) return path;
      const i = Number(m[1]);
      return i < offset ? `keys.${i}` : `variables.${i - offset}${m[2] ?? ''}`;
    },
  };
}

/** 1.6 AuthorizationKey (security whitepaper A01) / 2.x SecurityCtrlr.BasicAuthPassword (A01). */
const PASSWORD_KEY_16 = 'authorizationkey';
const PASSWORD_VARIABLE = 'basicauthpassword';

export type SetConfigurationInput =
  | { readonly key: string; readonly value: string }
  | {
      readonly component: ComponentInput;
      readonly variable: VariableInput;
      readonly value: string;
      readonly attributeType?: 'Actual' | 'Target' | 'MinSet' | 'MaxSet' | undefined;
    };

const PASSWORD_ROUTE = 'the station password changes only through POST /v1/stations/{id}/password';

/** 1.6 §5.3 ChangeConfiguration; 2.x B05 SetVariables (one variable). */
export function setConfiguration(protocol: OcppProtocol, input: SetConfigurationInput): Outgoing {
  if (is16(protocol)) {
    if (!('key' in input)) {
      refuse('component', 'OCPP 1.6 has configuration keys, not components and variables: use key');
    }
    if (input.key.toLowerCase() === PASSWORD_KEY_16) refuse('key', PASSWORD_ROUTE);
    const payload = { key: input.key, value: input.value } satisfies v16.ChangeConfigurationRequest;
    return { action: 'ChangeConfiguration', payload };
  }
  const ref = 'key' in input ? parseVariableKey(input.key, 'key') : input;
  if (ref.variable.name.toLowerCase() === PASSWORD_VARIABLE)
    refuse('key' in input ? 'key' : 'variable', PASSWORD_ROUTE);
  const payload = {
    setVariableData: [
      {
        component: componentRef(ref.component),
        variable: variableRef(ref.variable),
        attributeValue: input.value,
        ...('attributeType' in input && input.attributeType ? { attributeType: input.attributeType } : {}),
      },
    ],
  };
  return {
    action: 'SetVariables',
    payload,
    toField: renameFields(
      'key' in input
        ? {
            'setVariableData.0.attributeValue': 'value',
            'setVariableData.0.component': 'key',
            'setVariableData.0.variable': 'key',
            'setVariableData.0': '',
          }
        : {
            'setVariableData.0.attributeValue': 'value',
            'setVariableData.0.component': 'component',
            'setVariableData.0.variable': 'variable',
            'setVariableData.0.attributeType': 'attributeType',
            'setVariableData.0': '',
          },
    ),
  };
}

/**
 * Where a raw command would set the station's password behind the CSMS's back (the station
 * would then be refused at its next connection): the payload field, or undefined.
 */
export function passwordField(action: string, payload: Record<string, unknown>): string | undefined {
  if (action === 'ChangeConfiguration' && typeof payload.key === 'string') {
    return payload.key.toLowerCase() === PASSWORD_KEY_16 ? 'key' : undefined;
  }
  if (action === 'SetVariables' && Array.isArray(payload.setVariableData)) {
    const i = (payload.setVariableData as unknown[]).findIndex((d) => {
      const name = (d as { variable?: { name?: unknown } } | null)?.variable?.name;
      return typeof name === 'string' && name.toLowerCase() === PASSWORD_VARIABLE;
    });
    return i >= 0 ? `setVariableData.${i}.variable.name` : undefined;
  }
  return undefined;
}
