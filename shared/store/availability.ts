/**
 * Operative / inoperative state the CSMS set with ChangeAvailability (1.6 §5.2, 2.0.1 G03): one
 * item per station (EVSE 0), EVSE (connector 0) or connector, `STATION#{id}` /
 * `AVAIL#{evse:4}#{connector:4}` (a 1.6 connector n is EVSE n connector 1, as for status).
 * Scheduled: the station applies it once its transaction ends. A newer change wins.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys, pad } from './keys.js';
import { putUnlessOlder, type TableRef } from './table.js';

export interface AvailabilityItem {
  readonly evseId: number;
  readonly connectorId: number;
  readonly operationalStatus: 'Operative' | 'Inoperative';
  readonly scheduled: boolean;
  readonly at: string;
  readonly commandId: string;
}

export class AvailabilityStore {
  constructor(private readonly t: TableRef) {}

  async put(stationId: string, item: AvailabilityItem): Promise<void> {
    await putUnlessOlder(this.t, {
      pk: keys.stationPk(stationId),
      sk: `AVAIL#${pad(item.evseId, 4)}#${pad(item.connectorId, 4)}`,
      ...item,
    });
  }

  async list(stationId: string): Promise<AvailabilityItem[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
        ExpressionAttributeValues: { ':pk': keys.stationPk(stationId), ':p': 'AVAIL#' },
      }),
    );
    return ((out.Items ?? []) as (AvailabilityItem & { pk?: string; sk?: string })[]).map(
      ({ evseId, connectorId, operationalStatus, scheduled, at, commandId }) => ({
        evseId,
        connectorId,
        operationalStatus,
        scheduled,
        at,
        commandId,
      }),
    );
  }
}
