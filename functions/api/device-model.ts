/**
 * What the CSMS has stored about a station's configuration: the 2.x device model its NotifyReport
 * messages described (2.0.1 part 1 §4; B07/B08), a page at a time.
 */
import { z } from 'zod';
import type { DeviceVariableItem } from '../../shared/store/device-model.js';
import { NotFoundError } from './errors.js';
import { json, operation, page, pageQuery } from './http.js';
import { StationPath } from './path-ids.js';
import { signedPage } from './cursors.js';

// ---- schemas ---------------------------------------------------------------------------------

export const VariableAttributeView = z
  .object({
    value: z.string().nullable(),
    mutability: z.string().nullable().describe('ReadOnly, WriteOnly, ReadWrite.'),
    persistent: z.boolean().nullable(),
    constant: z.boolean().nullable(),
  })
  .meta({ id: 'VariableAttributeView' });

export const DeviceVariableView = z
  .object({
    component: z.object({
      name: z.string(),
      instance: z.string().nullable(),
      evse: z.object({ id: z.number().int(), connectorId: z.number().int().nullable() }).nullable(),
    }),
    variable: z.object({ name: z.string(), instance: z.string().nullable() }),
    attributes: z
      .record(z.string(), VariableAttributeView)
      .describe('By attribute type: Actual, Target, MinSet, MaxSet.'),
    characteristics: z
      .object({
        unit: z.string().nullable(),
        dataType: z.string(),
        minLimit: z.number().nullable(),
        maxLimit: z.number().nullable(),
        valuesList: z.string().nullable(),
        supportsMonitoring: z.boolean(),
      })
      .nullable(),
    reportedAt: z.string().describe('generatedAt of the NotifyReport that carried it.'),
    reportRequestId: z.number().int().describe('requestId of the GetBaseReport / GetReport it answered.'),
  })
  .meta({ id: 'DeviceVariableView' });
export type DeviceVariableView = z.output<typeof DeviceVariableView>;

export const DeviceModelPage = page(DeviceVariableView).meta({ id: 'DeviceModelPage' });

const ListQuery = z.strictObject(pageQuery);

export function deviceVariableView(v: DeviceVariableItem): DeviceVariableView {
  return {
    component: {
      name: v.component.name,
      instance: v.component.instance ?? null,
      evse: v.component.evse
        ? { id: v.component.evse.id, connectorId: v.component.evse.connectorId ?? null }
        : null,
    },
    variable: { name: v.variable.name, instance: v.variable.instance ?? null },
    attributes: Object.fromEntries(
      Object.entries(v.attributes).map(([type, a]) => [
        type,
        {
          value: a.value ?? null,
          mutability: a.mutability ?? null,
          persistent: a.persistent ?? null,
          constant: a.constant ?? null,
        },
      ]),
    ),
    characteristics: v.characteristics
      ? {
          unit: v.characteristics.unit ?? null,
          dataType: v.characteristics.dataType,
          minLimit: v.characteristics.minLimit ?? null,
          maxLimit: v.characteristics.maxLimit ?? null,
          valuesList: v.characteristics.valuesList ?? null,
          supportsMonitoring: v.characteristics.supportsMonitoring,
        }
      : null,
    reportedAt: v.reportedAt,
    reportRequestId: v.reportRequestId,
  };
}

// ---- operations ------------------------------------------------------------------------------

export const getDeviceModel = operation({
  id: 'getDeviceModel',
  summary: 'The device model a 2.x station reported (NotifyReport), by component and variable',
  description:
    'Ask for a fresh report with GET /v1/stations/{id}/configuration (no keys: GetBaseReport ' +
    'ConfigurationInventory) or the raw GetBaseReport / GetReport command.',
  params: StationPath,
  query: ListQuery,
  responses: { 200: DeviceModelPage },
  async handle({ params, query }, deps) {
    if (!(await deps.store.stations.get(params.id))) throw new NotFoundError(`No station ${params.id}`);
    const result = await signedPage(deps.cursors, `device-model:${params.id}`, query.cursor, (cursor) =>
      deps.store.deviceModel.listVariables(params.id, query.limit, cursor),
    );
    const body: z.output<typeof DeviceModelPage> = {
      items: result.items.map(deviceVariableView),
      nextCursor: result.nextCursor,
    };
    return json(200, body);
  },
});
