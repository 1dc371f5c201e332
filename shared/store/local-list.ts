/**
 * The version of a station's local authorization list (1.6 §5.16/§5.13, 2.0.1 D01/D02): set by an
 * accepted SendLocalList, reported by GetLocalListVersion. One item, `STATION#{id}` / `LOCALLIST`;
 * a newer fact wins.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { putUnlessOlder, type TableRef } from './table.js';

export interface LocalListItem {
  /** 0: no list installed; 1.6 -1: the station does not support local lists. */
  readonly version: number;
  readonly source: 'SendLocalList' | 'GetLocalListVersion';
  readonly updateType?: string;
  readonly at: string;
  readonly commandId: string;
}

const localListKey = (stationId: string) => ({ pk: keys.stationPk(stationId), sk: 'LOCALLIST' });

export class LocalListStore {
  constructor(private readonly t: TableRef) {}

  async put(stationId: string, item: LocalListItem): Promise<void> {
    await putUnlessOlder(this.t, { ...localListKey(stationId), ...item });
  }

  async get(stationId: string): Promise<LocalListItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: localListKey(stationId) }),
    );
    if (!out.Item) return undefined;
    const { version, source, updateType, at, commandId } = out.Item as LocalListItem;
    return { version, source, ...(updateType ? { updateType } : {}), at, commandId };
  }
}
