/**
 * Charging profiles installed on a station, as the CSMS knows them: set by an accepted
 * SetChargingProfile, reported by ReportChargingProfiles (2.0.1 K09), removed by an accepted
 * ClearChargingProfile. One item per profile id, `CHPROF#{id}` / `PROFILE#{profileId:10}`: a
 * profile with the same id replaces the stored one wherever it was (2.0.1 K01.FR.05), and so does
 * one with the same EVSE, stack level and purpose (K01.FR.06, 1.6 §3.13.2).
 */
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { pad } from './keys.js';
import type { TableRef } from './table.js';
import { queryAll } from './table.js';

export interface ChargingProfileItem {
  readonly id: number;
  /** 0: the whole station (1.6 connectorId 0). */
  readonly evseId: number;
  readonly stackLevel: number;
  readonly purpose: string;
  /** The profile as sent or reported (1.6 csChargingProfiles, 2.0.1 ChargingProfileType). */
  readonly profile: Record<string, unknown>;
  readonly source: 'SetChargingProfile' | 'ReportChargingProfiles';
  /** 2.0.1 ReportChargingProfiles chargingLimitSource (CSO, EMS, SO, Other). */
  readonly chargingLimitSource?: string;
  readonly at: string;
  readonly commandId?: string;
}

/** ClearChargingProfile criteria; every one given must match (1.6 §5.5, 2.0.1 K10.FR.02-04). */
export interface ProfileCriteria {
  readonly id?: number;
  readonly evseId?: number;
  readonly purpose?: string;
  readonly stackLevel?: number;
}

const profilesPk = (stationId: string) => `CHPROF#${stationId}`;

export class ChargingProfileStore {
  constructor(private readonly t: TableRef) {}

  async put(stationId: string, item: ChargingProfileItem): Promise<void> {
    const replaced = (await this.list(stationId)).filter(
      (p) =>
        p.id !== item.id &&
        p.evseId === item.evseId &&
        p.stackLevel === item.stackLevel &&
        p.purpose === item.purpose,
    );
    await this.remove(stationId, replaced);
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { pk: profilesPk(stationId), sk: `PROFILE#${pad(item.id, 10)}`, stationId, ...item },
      }),
    );
  }

  /** Removes the profiles matching every given criterion; returns how many. */
  async clear(stationId: string, criteria: ProfileCriteria): Promise<number> {
    const matching = (await this.list(stationId)).filter(
      (p) =>
        (criteria.id === undefined || p.id === criteria.id) &&
        (criteria.evseId === undefined || p.evseId === criteria.evseId) &&
        (criteria.purpose === undefined || p.purpose === criteria.purpose) &&
        (criteria.stackLevel === undefined || p.stackLevel === criteria.stackLevel),
    );
    await this.remove(stationId, matching);
    return matching.length;
  }

  async list(stationId: string): Promise<ChargingProfileItem[]> {
    const items = await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': profilesPk(stationId) },
      ConsistentRead: true,
    });
    return items.map(
      ({ pk: _pk, sk: _sk, stationId: _s, ...rest }) => rest as unknown as ChargingProfileItem,
    );
  }

  private async remove(stationId: string, profiles: readonly ChargingProfileItem[]): Promise<void> {
    for (let i = 0; i < profiles.length; i += 25) {
      const batch = profiles.slice(i, i + 25);
      let pending: unknown[] = batch.map((p) => ({
        DeleteRequest: { Key: { pk: profilesPk(stationId), sk: `PROFILE#${pad(p.id, 10)}` } },
      }));
      for (let attempt = 0; pending.length > 0 && attempt < 6; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        const out = await this.t.db.send(
          new BatchWriteCommand({ RequestItems: { [this.t.tableName]: pending as never } }),
        );
        pending = out.UnprocessedItems?.[this.t.tableName] ?? [];
      }
      if (pending.length > 0) throw new Error(`DynamoDB left ${pending.length} delete(s) unprocessed`);
    }
  }
}
