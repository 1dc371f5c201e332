/**
 * OCPP 1.6 configuration keys of a station (1.6 §9): what GetConfiguration reported and what an
 * accepted ChangeConfiguration set. One item per key, `CONFIG#{id}` / `KEY#{key}`; a newer fact
 * wins over an older one (responses of one station may be handled out of order).
 */
import { putUnlessOlder, type TableRef, queryAll } from './table.js';

export interface ConfigurationKeyItem {
  readonly key: string;
  readonly value?: string;
  readonly readonly?: boolean;
  /** GetConfiguration named it in unknownKey. */
  readonly unknown?: boolean;
  /** ChangeConfiguration answered RebootRequired: the value applies after the next reboot. */
  readonly rebootRequired?: boolean;
  readonly source: 'GetConfiguration' | 'ChangeConfiguration';
  readonly at: string;
  readonly commandId: string;
}

const configPk = (stationId: string) => `CONFIG#${stationId}`;

export class ConfigurationStore {
  constructor(private readonly t: TableRef) {}

  async put(stationId: string, items: readonly ConfigurationKeyItem[]): Promise<void> {
    for (const item of items) {
      await putUnlessOlder(this.t, { pk: configPk(stationId), sk: `KEY#${item.key}`, stationId, ...item });
    }
  }

  async list(stationId: string): Promise<ConfigurationKeyItem[]> {
    const items = (await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': configPk(stationId) },
    })) as unknown as ConfigurationKeyItem[];
    return items.map(({ key, value, readonly, unknown, rebootRequired, source, at, commandId }) => ({
      key,
      ...(value !== undefined ? { value } : {}),
      ...(readonly !== undefined ? { readonly } : {}),
      ...(unknown ? { unknown } : {}),
      ...(rebootRequired ? { rebootRequired } : {}),
      source,
      at,
      commandId,
    }));
  }
}
