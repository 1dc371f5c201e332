/** Component and variable references of the device model (2.0.1 ComponentType, VariableType), without customData. */
import type { ComponentRef, VariableRef } from '../../../shared/store/device-model.js';

interface ComponentInput {
  readonly name: string;
  readonly instance?: string;
  readonly evse?: { readonly id: number; readonly connectorId?: number };
}

interface VariableInput {
  readonly name: string;
  readonly instance?: string;
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

/** Copies the listed optional fields that are present (no undefined values reach the item or the event). */
export function present<T extends object, K extends keyof T>(
  source: T,
  fields: readonly K[],
): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const f of fields) if (source[f] !== undefined) out[f] = source[f];
  return out;
}
