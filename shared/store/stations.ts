/** Station registry, boot data and connection state: one item per station. */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { OcppProtocol } from '../ocpp/versions.js';
import { AdmissionStore } from './admissions.js';
import type { OutstandingCall } from './commands.js';
import { keys, GSI1, LIST } from './keys.js';
import {
  type ItemKey,
  batchGetInOrder,
  ConditionFailed,
  decodeCursor,
  encodeCursor,
  isConditionalCheckFailed,
  queryAll,
  type TableRef,
  writeIf,
} from './table.js';

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface StationItem {
  readonly id: string;
  /** scrypt hash; never the password. Absent for stations admitted without provisioning. */
  readonly passwordHash?: string;
  /** false for a station that connected unprovisioned and was admitted as Pending. */
  readonly provisioned: boolean;
  readonly enabled: boolean;
  /** Unknown id tokens are Accepted at this station ("free charging"). */
  readonly freeCharging?: boolean;
  /** Only this OCPP version is accepted at the handshake. */
  readonly pinnedProtocol?: OcppProtocol;
  readonly createdAt: string;
  readonly registrationStatus?: RegistrationStatus;
  readonly bootedAt?: string;
  readonly vendor?: string;
  readonly model?: string;
  readonly serialNumber?: string;
  readonly firmwareVersion?: string;
  readonly iccid?: string;
  readonly imsi?: string;
  readonly connected?: boolean;
  readonly connectionId?: string;
  readonly protocol?: OcppProtocol;
  readonly connectedAt?: string;
  /** When the gateway accepted the current (or last) connection, epoch ms: the newest one wins. */
  readonly connectedAtMs?: number;
  readonly disconnectedAt?: string;
  readonly lastSeenAt?: string;
  readonly txCounter?: number;
  readonly firmwareStatus?: DeviceStatus;
  readonly diagnosticsStatus?: DeviceStatus;
  readonly logStatus?: DeviceStatus;
  /** 2.0.1 L03 PublishFirmwareStatusNotification (a local controller publishing firmware). */
  readonly publishFirmwareStatus?: DeviceStatus;
  /** The CSMS's CALL the station has not answered yet (shared/calls; at most one). */
  readonly outstandingCall?: OutstandingCall;
  /** 1, 2 or 3 (2.0.1 A00, 1.6 security whitepaper §2); absent: 1. */
  readonly securityProfile?: SecurityProfile;
  /** Too many failed logins: refused until then (./login-failures.ts). */
  readonly loginThrottledUntil?: string;
}

export type SecurityProfile = 1 | 2 | 3;

/** The latest status a station reported for a long-running operation (firmware, diagnostics, logs). */
export interface DeviceStatus {
  readonly status: string;
  readonly requestId?: number;
  readonly at: string;
}

export type DeviceStatusKind = 'firmwareStatus' | 'diagnosticsStatus' | 'logStatus' | 'publishFirmwareStatus';

export interface BootInfo {
  readonly vendor: string;
  readonly model: string;
  readonly serialNumber?: string;
  readonly firmwareVersion?: string;
  readonly iccid?: string;
  readonly imsi?: string;
}

export class StationExistsError extends Error {
  constructor(id: string) {
    super(`station ${id} already exists`);
    this.name = 'StationExistsError';
  }
}

export class StationStore {
  constructor(private readonly t: TableRef) {}

  async get(id: string, consistent = true): Promise<StationItem | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: keys.station(id), ConsistentRead: consistent }),
    );
    return out.Item as StationItem | undefined;
  }

  /**
   * Provisions a station. A station already known only because it connected unprovisioned
   * (admitted as Pending) is taken over; a provisioned one is a conflict.
   */
  async create(input: {
    id: string;
    /** Absent for a profile-3 station (its certificate authenticates it). */
    passwordHash?: string;
    now: Date;
    freeCharging?: boolean;
    pinnedProtocol?: OcppProtocol;
    securityProfile?: SecurityProfile;
  }): Promise<void> {
    const sets = [
      'id = :id',
      'provisioned = :true',
      'enabled = :true',
      'createdAt = :now',
      'freeCharging = :free',
      'gsi1pk = :list',
      'gsi1sk = :id',
      ...(input.passwordHash ? ['passwordHash = :hash'] : []),
      ...(input.pinnedProtocol ? ['pinnedProtocol = :pin'] : []),
      ...(input.securityProfile ? ['securityProfile = :profile'] : []),
    ];
    const removes = [
      ...(input.passwordHash ? [] : ['passwordHash']),
      ...(input.pinnedProtocol ? [] : ['pinnedProtocol']),
      ...(input.securityProfile ? [] : ['securityProfile']),
    ];
    try {
      const out = await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: keys.station(input.id),
          ConditionExpression: 'attribute_not_exists(pk) OR provisioned = :false',
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ExpressionAttributeValues: {
            ':id': input.id,
            ':true': true,
            ':false': false,
            ':now': input.now.toISOString(),
            ':free': input.freeCharging ?? false,
            ':list': LIST.stations,
            ...(input.passwordHash ? { ':hash': input.passwordHash } : {}),
            ...(input.pinnedProtocol ? { ':pin': input.pinnedProtocol } : {}),
            ...(input.securityProfile ? { ':profile': input.securityProfile } : {}),
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      // An admitted station taken over: its pending place is free again.
      if ((out.Attributes as { provisioned?: unknown } | undefined)?.provisioned === false) {
        await new AdmissionStore(this.t).releasePending();
      }
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new StationExistsError(input.id);
      throw error;
    }
  }

  /**
   * Records an unprovisioned station admitted for onboarding; never overwrites a known one.
   * Returns false when the station existed already.
   */
  async admitUnknown(id: string, now: Date): Promise<boolean> {
    try {
      await this.t.db.send(
        new PutCommand({
          TableName: this.t.tableName,
          Item: {
            ...keys.station(id),
            id,
            provisioned: false,
            enabled: true,
            createdAt: now.toISOString(),
            gsi1pk: LIST.stations,
            gsi1sk: id,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
      return false;
    }
  }

  /**
   * Records the station's new connection unless a newer one is recorded already: the newest
   * connection wins (issue 7). `connectedAtMs` is when the gateway accepted the TCP connection
   * (API Gateway's requestContext.connectedAt); $connect events may be handled out of order.
   * Returns the connection it replaced (to be closed), or `superseded` when a newer one was
   * recorded first (this one must be refused).
   */
  async recordConnected(
    id: string,
    connectionId: string,
    protocol: OcppProtocol,
    now: Date,
    connectedAtMs: number = now.getTime(),
  ): Promise<{ readonly superseded: true } | { readonly superseded: false; readonly replaced?: string }> {
    try {
      const out = await writeIf<StationItem>(
        this.t,
        keys.station(id),
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: keys.station(id),
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(connectedAtMs) OR connectedAtMs <= :ms)',
          UpdateExpression:
            'SET connected = :true, connectionId = :cid, protocol = :p, connectedAt = :now, ' +
            'connectedAtMs = :ms, lastSeenAt = :now',
          ExpressionAttributeValues: {
            ':true': true,
            ':cid': connectionId,
            ':p': protocol,
            ':now': now.toISOString(),
            ':ms': connectedAtMs,
          },
          ReturnValues: 'UPDATED_OLD',
        }),
      );
      const previous = (out.Attributes as { connectionId?: unknown; connected?: unknown } | undefined) ?? {};
      return typeof previous.connectionId === 'string' && previous.connectionId !== connectionId
        ? { superseded: false, replaced: previous.connectionId }
        : { superseded: false };
    } catch (error) {
      // A missing station is an error as before (ConditionFailed without an item); a newer
      // connection is not.
      if (error instanceof ConditionFailed && error.existing !== undefined) return { superseded: true };
      throw error;
    }
  }

  /** Only the connection the station currently has may mark it disconnected (a newer one wins). */
  async recordDisconnected(id: string, connectionId: string, now: Date): Promise<boolean> {
    try {
      await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: keys.station(id),
          ConditionExpression: 'connectionId = :cid',
          // lastSeenAt is written here, not per Heartbeat: while connected the station is alive by
          // definition (the gateway closes a connection idle for 10 minutes), so the API shows
          // `now` for a connected station and this value once it is gone (issue 14).
          UpdateExpression:
            'SET connected = :false, disconnectedAt = :now, lastSeenAt = :now REMOVE connectionId',
          ExpressionAttributeValues: { ':false': false, ':cid': connectionId, ':now': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async recordBoot(id: string, status: RegistrationStatus, boot: BootInfo, now: Date): Promise<void> {
    const at = now.toISOString();
    const values: Record<string, unknown> = {
      ':s': status,
      ':now': at,
      ':vendor': boot.vendor,
      ':model': boot.model,
    };
    const sets = [
      'registrationStatus = :s',
      'bootedAt = :now',
      'lastSeenAt = :now',
      'vendor = :vendor',
      'model = :model',
    ];
    const removes: string[] = [];
    for (const field of ['serialNumber', 'firmwareVersion', 'iccid', 'imsi'] as const) {
      const value = boot[field];
      if (value === undefined) removes.push(field);
      else {
        sets.push(`${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
    await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: keys.station(id),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
        ExpressionAttributeValues: values,
      }),
    );
  }

  /**
   * Removes a station from the registry with its live state (connector statuses, availability,
   * local list version, boot-gate allowances). Its history (transactions, security events,
   * meter data, commands) is kept: it is what billing and audits read. A connected station is
   * only removed with `force` (the caller then closes its connection).
   */
  async delete(
    id: string,
    options: { force: boolean },
  ): Promise<{ outcome: 'deleted'; connectionId?: string } | { outcome: 'not-found' | 'connected' }> {
    let old: StationItem | undefined;
    try {
      const out = await writeIf<StationItem>(
        this.t,
        keys.station(id),
        new DeleteCommand({
          TableName: this.t.tableName,
          Key: keys.station(id),
          ConditionExpression: options.force
            ? 'attribute_exists(pk)'
            : 'attribute_exists(pk) AND (attribute_not_exists(connected) OR connected = :false)',
          ...(options.force ? {} : { ExpressionAttributeValues: { ':false': false } }),
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = out.Attributes as StationItem | undefined;
    } catch (error) {
      if (!(error instanceof ConditionFailed)) throw error;
      return { outcome: error.existing ? 'connected' : 'not-found' };
    }
    // Key conditions per prefix: the partition also holds the station's (long) history.
    for (const prefix of ['CONN#', 'AVAIL#', 'ALLOW#', 'LOCALLIST']) {
      const found = (await queryAll(this.t, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.stationPk(id), ':prefix': prefix },
        ProjectionExpression: 'pk, sk',
      })) as unknown as ItemKey[];
      for (const item of found) {
        await this.t.db.send(
          new DeleteCommand({ TableName: this.t.tableName, Key: { pk: item.pk, sk: item.sk } }),
        );
      }
    }
    if (old?.provisioned === false) await new AdmissionStore(this.t).releasePending();
    return old?.connected && old.connectionId
      ? { outcome: 'deleted', connectionId: old.connectionId }
      : { outcome: 'deleted' };
  }

  /** Records the latest firmware / diagnostics / log status the station reported. */
  async recordDeviceStatus(id: string, kind: DeviceStatusKind, status: DeviceStatus): Promise<void> {
    await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: keys.station(id),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET #kind = :status',
        ExpressionAttributeNames: { '#kind': kind },
        ExpressionAttributeValues: { ':status': status },
      }),
    );
  }

  /**
   * The station accepted a new password (2.0.1 / 1.6 security A01.FR.03): from now on only the new
   * one is accepted. Only its scrypt hash is stored.
   */
  async replacePasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: keys.station(id),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET passwordHash = :hash',
        ExpressionAttributeValues: { ':hash': passwordHash },
      }),
    );
  }

  /** Next 1.6 transaction id of this station (an atomic counter: unique per station). */
  async nextTransactionId(id: string): Promise<number> {
    const out = await this.t.db.send(
      new UpdateCommand({
        TableName: this.t.tableName,
        Key: keys.station(id),
        ConditionExpression: 'attribute_exists(pk)',
        UpdateExpression: 'SET txCounter = if_not_exists(txCounter, :zero) + :one',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return (out.Attributes as { txCounter: number }).txCounter;
  }

  /**
   * Changes the operator's settings of a station (HTTP API); `pinnedProtocol: null` unpins it.
   * Returns the station as stored afterwards, or undefined when there is no such station.
   */
  async updateSettings(
    id: string,
    changes: {
      enabled?: boolean;
      freeCharging?: boolean;
      pinnedProtocol?: OcppProtocol | null;
      securityProfile?: SecurityProfile;
    },
  ): Promise<StationItem | undefined> {
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    for (const field of ['enabled', 'freeCharging', 'pinnedProtocol', 'securityProfile'] as const) {
      const value = changes[field];
      if (value === undefined || value === null) continue;
      sets.push(`${field} = :${field}`);
      values[`:${field}`] = value;
    }
    const unpin = changes.pinnedProtocol === null;
    if (sets.length === 0 && !unpin) return this.get(id);
    const clauses = sets.length ? [`SET ${sets.join(', ')}`] : [];
    if (unpin) clauses.push('REMOVE pinnedProtocol');
    try {
      const out = await this.t.db.send(
        new UpdateCommand({
          TableName: this.t.tableName,
          Key: keys.station(id),
          ConditionExpression: 'attribute_exists(pk)',
          UpdateExpression: clauses.join(' '),
          ...(sets.length ? { ExpressionAttributeValues: values } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes as StationItem;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  async list(limit: number, cursor?: string): Promise<{ items: StationItem[]; nextCursor: string | null }> {
    const page = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'gsi1pk = :list',
        ExpressionAttributeValues: { ':list': LIST.stations },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    const ids = (page.Items ?? []).map((i) => String(i.gsi1sk));
    const items = await batchGetInOrder<StationItem>(
      this.t,
      ids.map((id) => keys.station(id)),
    );
    return { items, nextCursor: encodeCursor(page.LastEvaluatedKey) };
  }
}
