/**
 * A station's device model (2.0.1/2.1 part 1 §4, "Device model"): what it reported in
 * NotifyReport (one item per component/variable, every attribute type in it) and what its monitors
 * reported in NotifyEvent (the latest actual value per component/variable, and a history kept
 * RETENTION_DAYS).
 *
 * Item layout (in partitions of their own, so a 1000-variable inventory never weighs on the
 * station view's Query of STATION#{id}):
 *
 * | item                               | pk                  | sk                                     |
 * |------------------------------------|---------------------|----------------------------------------|
 * | reported variable                  | DEVMODEL#{id}       | VAR#{component key}#{variable key}     |
 * | latest event value of a variable   | DEVMODEL#{id}       | VAL#{component key}#{variable key}     |
 * | NotifyEvent message (history, TTL) | DEVEVENT#{id}       | {generatedAt}#{seqNo:10}#{eventId:10}  |
 * | attribute read / written by command | DEVMODEL#{id}      | ATTR#{component key}#{variable key}#{attributeType} |
 * | monitors of a variable (2.x)       | DEVMODEL#{id}       | MON#{component key}#{variable key}     |
 *
 * Component key: name#instance#evseId#connectorId; variable key: name#instance; each part
 * URI-encoded ('' when absent), so no name can forge a separator.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchPut } from './batch.js';
import { pad } from './keys.js';
import {
  decodeCursor,
  encodeCursor,
  epochSeconds,
  putUnlessOlder,
  isExpired,
  type TableRef,
  queryAll,
} from './table.js';

/** NotifyEvent history is kept this long, then removed by DynamoDB TTL (filtered on read before that). */
const RETENTION_DAYS = 90;

export interface ComponentRef {
  readonly name: string;
  readonly instance?: string;
  readonly evse?: { readonly id: number; readonly connectorId?: number };
}

export interface VariableRef {
  readonly name: string;
  readonly instance?: string;
}

/** One attribute (2.0.1 VariableAttributeType) of a variable; `type` is the key it is stored under. */
export interface VariableAttribute {
  readonly value?: string;
  readonly mutability?: string;
  readonly persistent?: boolean;
  readonly constant?: boolean;
}

/** 2.0.1 VariableCharacteristicsType. */
export interface VariableCharacteristics {
  readonly unit?: string;
  readonly dataType: string;
  readonly minLimit?: number;
  readonly maxLimit?: number;
  readonly valuesList?: string;
  readonly supportsMonitoring: boolean;
}

export interface ReportedVariable {
  readonly component: ComponentRef;
  readonly variable: VariableRef;
  /** By attribute type: Actual (the default when the station omits it), Target, MinSet, MaxSet. */
  readonly attributes: Readonly<Record<string, VariableAttribute>>;
  readonly characteristics?: VariableCharacteristics;
}

export interface DeviceVariableItem extends ReportedVariable {
  readonly stationId: string;
  /** requestId of the GetBaseReport / GetReport that the report answered. */
  readonly reportRequestId: number;
  /** generatedAt of the NotifyReport part that carried it. */
  readonly reportedAt: string;
}

/** One eventData element of a NotifyEvent, as stored (no customData). */
export interface DeviceEvent {
  readonly eventId: number;
  readonly timestamp: string;
  readonly trigger: string;
  readonly actualValue: string;
  readonly component: ComponentRef;
  readonly variable: VariableRef;
  readonly eventNotificationType: string;
  readonly cause?: number;
  readonly techCode?: string;
  readonly techInfo?: string;
  readonly cleared?: boolean;
  readonly transactionId?: string;
  readonly variableMonitoringId?: number;
}

export interface DeviceEventMessage {
  readonly generatedAt: string;
  readonly seqNo: number;
  readonly tbc: boolean;
  readonly events: readonly DeviceEvent[];
}

/** The latest event of a component/variable (by the event's own timestamp). */
export interface LatestEventValueItem {
  readonly component: ComponentRef;
  readonly variable: VariableRef;
  readonly actualValue: string;
  readonly at: string;
  readonly trigger: string;
  readonly eventId: number;
  readonly cleared?: boolean;
}

/**
 * The latest result of a GetVariables or SetVariables for one attribute of a variable (2.0.1 B05,
 * B06): its status, and its value when the station accepted (never a password).
 */
export interface AttributeResultItem {
  readonly component: ComponentRef;
  readonly variable: VariableRef;
  /** Actual (the default), Target, MinSet, MaxSet. */
  readonly attributeType: string;
  /** GetVariableStatusEnumType / SetVariableStatusEnumType (Accepted, Rejected, RebootRequired, ...). */
  readonly status: string;
  readonly value?: string;
  readonly source: 'GetVariables' | 'SetVariables';
  readonly at: string;
  readonly commandId: string;
}

/** The monitors a NotifyMonitoringReport listed for one variable (2.0.1 N02). */
export interface VariableMonitorsItem {
  readonly component: ComponentRef;
  readonly variable: VariableRef;
  readonly monitors: readonly {
    readonly id: number;
    readonly transaction: boolean;
    readonly value: number;
    readonly type: string;
    readonly severity: number;
  }[];
  readonly requestId: number;
  readonly reportedAt: string;
}

const enc = (s: string | undefined) => encodeURIComponent(s ?? '');

export function componentVariableKey(component: ComponentRef, variable: VariableRef): string {
  return [
    enc(component.name),
    enc(component.instance),
    component.evse ? String(component.evse.id) : '',
    component.evse?.connectorId !== undefined ? String(component.evse.connectorId) : '',
    enc(variable.name),
    enc(variable.instance),
  ].join('#');
}

const deviceModelPk = (stationId: string) => `DEVMODEL#${stationId}`;
const deviceEventPk = (stationId: string) => `DEVEVENT#${stationId}`;

export class DeviceModelStore {
  constructor(private readonly t: TableRef) {}

  /**
   * Stores the variables of one NotifyReport part, one item per variable (batches of 25). A replay
   * of the part writes the same items again.
   */
  async putReported(
    stationId: string,
    report: { readonly requestId: number; readonly generatedAt: string },
    variables: readonly ReportedVariable[],
  ): Promise<void> {
    // One item per variable: a variable listed twice (one BatchWrite may not name a key twice)
    // keeps the attributes of both, the later one winning per attribute type.
    const bySk = new Map<string, ReportedVariable>();
    for (const v of variables) {
      const sk = `VAR#${componentVariableKey(v.component, v.variable)}`;
      const earlier = bySk.get(sk);
      bySk.set(
        sk,
        earlier ? { ...earlier, ...v, attributes: { ...earlier.attributes, ...v.attributes } } : v,
      );
    }
    const items = [...bySk].map(([sk, v]) => ({
      pk: deviceModelPk(stationId),
      sk,
      stationId,
      ...v,
      reportRequestId: report.requestId,
      reportedAt: report.generatedAt,
    }));
    await batchPut(this.t, items);
  }

  async listVariables(
    stationId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: DeviceVariableItem[]; nextCursor: string | null }> {
    const page = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :var)',
        ExpressionAttributeValues: { ':pk': deviceModelPk(stationId), ':var': 'VAR#' },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    return {
      items: (page.Items ?? []) as DeviceVariableItem[],
      nextCursor: encodeCursor(page.LastEvaluatedKey),
    };
  }

  /**
   * Records one NotifyEvent message: the message in the history (a replay overwrites itself), and
   * each event as the latest value of its component/variable unless a newer one is stored (messages
   * may be handled out of order). Returns the events that became the latest value.
   */
  async recordEvents(stationId: string, message: DeviceEventMessage, now: Date): Promise<DeviceEvent[]> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: deviceEventPk(stationId),
          // Separate events each start at seqNo 0 (N07.FR.07): the first eventId tells them apart.
          sk: `${message.generatedAt}#${pad(message.seqNo, 10)}#${pad(message.events[0]?.eventId ?? 0, 10)}`,
          stationId,
          ...message,
          expiresAt: epochSeconds(new Date(now.getTime() + RETENTION_DAYS * 86_400_000)),
        },
      }),
    );
    const latest: DeviceEvent[] = [];
    for (const event of message.events) {
      const item: LatestEventValueItem = {
        component: event.component,
        variable: event.variable,
        actualValue: event.actualValue,
        at: event.timestamp,
        trigger: event.trigger,
        eventId: event.eventId,
        ...(event.cleared !== undefined ? { cleared: event.cleared } : {}),
      };
      if (
        await putUnlessOlder(this.t, {
          pk: deviceModelPk(stationId),
          sk: `VAL#${componentVariableKey(event.component, event.variable)}`,
          ...item,
        })
      )
        latest.push(event);
    }
    return latest;
  }

  async latestValues(stationId: string): Promise<LatestEventValueItem[]> {
    return (await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :val)',
      ExpressionAttributeValues: { ':pk': deviceModelPk(stationId), ':val': 'VAL#' },
    })) as unknown as LatestEventValueItem[];
  }

  /**
   * Records GetVariables / SetVariables results, one item per variable attribute; a result older
   * than the stored one (responses handled out of order) is not kept.
   */
  async putAttributeResults(stationId: string, results: readonly AttributeResultItem[]): Promise<void> {
    for (const r of results) {
      await putUnlessOlder(this.t, {
        pk: deviceModelPk(stationId),
        sk: `ATTR#${componentVariableKey(r.component, r.variable)}#${enc(r.attributeType)}`,
        ...r,
      });
    }
  }

  async attributeResults(stationId: string): Promise<AttributeResultItem[]> {
    return (await this.queryPrefix(stationId, 'ATTR#')) as unknown as AttributeResultItem[];
  }

  /** Stores the monitors of one NotifyMonitoringReport part, one item per variable. */
  async putMonitors(
    stationId: string,
    report: { readonly requestId: number; readonly generatedAt: string },
    variables: readonly Omit<VariableMonitorsItem, 'requestId' | 'reportedAt'>[],
  ): Promise<void> {
    const bySk = new Map<string, Omit<VariableMonitorsItem, 'requestId' | 'reportedAt'>>();
    for (const v of variables) {
      const sk = `MON#${componentVariableKey(v.component, v.variable)}`;
      const earlier = bySk.get(sk);
      bySk.set(sk, earlier ? { ...v, monitors: [...earlier.monitors, ...v.monitors] } : v);
    }
    await batchPut(
      this.t,
      [...bySk].map(([sk, v]) => ({
        pk: deviceModelPk(stationId),
        sk,
        ...v,
        requestId: report.requestId,
        reportedAt: report.generatedAt,
      })),
    );
  }

  async monitors(stationId: string): Promise<VariableMonitorsItem[]> {
    return (await this.queryPrefix(stationId, 'MON#')) as unknown as VariableMonitorsItem[];
  }

  private async queryPrefix(stationId: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items = await queryAll(this.t, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': deviceModelPk(stationId), ':p': prefix },
    });
    return items.map(({ pk: _pk, sk: _sk, ...rest }) => rest);
  }

  /** NotifyEvent messages, newest first, without expired ones. */
  async listEvents(
    stationId: string,
    now: Date,
    limit = 100,
  ): Promise<(DeviceEventMessage & { stationId: string })[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': deviceEventPk(stationId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return ((out.Items ?? []) as (DeviceEventMessage & { stationId: string; expiresAt?: number })[]).filter(
      (i) => !isExpired(i, now),
    );
  }
}
