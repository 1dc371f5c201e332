/**
 * The version-neutral device model references (2.0.1 ComponentType / VariableType, also used by
 * 2.1): the one mapping from a payload's component and variable to what is stored and sent, with
 * customData and absent fields dropped. Used by the station side (NotifyReport, NotifyEvent,
 * NotifyMonitoringReport), the command side (SetVariables, GetVariables) and the HTTP API.
 */

export interface ComponentRef {
  readonly name: string;
  readonly instance?: string;
  readonly evse?: { readonly id: number; readonly connectorId?: number };
}

export interface VariableRef {
  readonly name: string;
  readonly instance?: string;
}

/** What the mapping accepts: generated types, API input (optional fields may be undefined). */
export interface ComponentInput {
  readonly name: string;
  readonly instance?: string | undefined;
  readonly evse?: { readonly id: number; readonly connectorId?: number | undefined } | undefined;
}

export interface VariableInput {
  readonly name: string;
  readonly instance?: string | undefined;
}

export function componentRef(c: ComponentInput): ComponentRef {
  return {
    name: c.name,
    ...(c.instance !== undefined ? { instance: c.instance } : {}),
    ...(c.evse
      ? {
          evse: {
            id: c.evse.id,
            ...(c.evse.connectorId !== undefined ? { connectorId: c.evse.connectorId } : {}),
          },
        }
      : {}),
  };
}

export function variableRef(v: VariableInput): VariableRef {
  return { name: v.name, ...(v.instance !== undefined ? { instance: v.instance } : {}) };
}

/** Component, variable and 1.6 configuration key names are case-insensitive (1.6 CiString50). */
export const sameName = (value: unknown, name: string): boolean =>
  typeof value === 'string' && value.toLowerCase() === name.toLowerCase();

/** Identifies one attribute of one variable: equal references give equal keys. */
export function attributeKey(
  component: ComponentInput,
  variable: VariableInput,
  attributeType: string | undefined,
): string {
  return JSON.stringify([componentRef(component), variableRef(variable), attributeType ?? 'Actual']);
}

/** 2.0.1 A01.FR.02: SecurityCtrlr.BasicAuthPassword (its Actual value) is the station's Basic password. */
export function isPasswordVariable(v: {
  readonly component: { readonly name: string };
  readonly variable: { readonly name: string };
  readonly attributeType?: string | undefined;
}): boolean {
  return (
    sameName(v.component.name, 'SecurityCtrlr') &&
    sameName(v.variable.name, 'BasicAuthPassword') &&
    (v.attributeType === undefined || v.attributeType === 'Actual')
  );
}
