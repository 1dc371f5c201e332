/**
 * The last OCPP messages of a station, kept only while an operator watches it (the dashboard's
 * station view). Nothing is written per message otherwise: the cost budget of a station-month
 * (BENCHMARKS.md) has no room for a write per frame. See docs/adr/0011-station-message-log.md.
 *
 * - `WATCH#{stationId}` / `WATCH`: until when someone watches (extended by GET .../messages).
 * - `MSGLOG#{stationId}` / `{receivedAt}#{random}`: one item per message the station sent, with
 *   the CSMS's reply to it (if any), expiring LOG_RETENTION_SECONDS later (DynamoDB TTL).
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { epochSeconds, isExpired, type TableRef } from './table.js';

/** A watch lasts this long after the last look. */
export const WATCH_SECONDS = 10 * 60;
/** Logged messages expire after this long. */
export const LOG_RETENTION_SECONDS = 60 * 60;
/** Longer frames are cut (a full device model report can be large); the API says so. */
export const MAX_FRAME_CHARS = 8 * 1024;

export interface LoggedMessage {
  readonly receivedAt: string;
  /** What the station sent, as sent (cut at MAX_FRAME_CHARS). */
  readonly inbound: string;
  /** The CSMS's reply to it (a CALLRESULT or CALLERROR), or null (the station's own replies get none). */
  readonly reply: string | null;
  readonly truncated: boolean;
}

const watchKey = (stationId: string) => ({ pk: `WATCH#${stationId}`, sk: 'WATCH' });
const logPk = (stationId: string) => `MSGLOG#${stationId}`;

function cut(text: string): { text: string; cut: boolean } {
  return text.length > MAX_FRAME_CHARS
    ? { text: text.slice(0, MAX_FRAME_CHARS), cut: true }
    : { text, cut: false };
}

export class MessageLogStore {
  constructor(private readonly t: TableRef) {}

  /** Until when the station is watched (undefined: not watched). Eventually consistent: cheap. */
  async watchedUntil(stationId: string, now: Date): Promise<Date | undefined> {
    const out = await this.t.db.send(
      new GetCommand({ TableName: this.t.tableName, Key: watchKey(stationId) }),
    );
    const item = out.Item as { until?: string; expiresAt?: number } | undefined;
    if (!item?.until || isExpired(item, now)) return undefined;
    const until = new Date(item.until);
    return until > now ? until : undefined;
  }

  async watch(stationId: string, until: Date): Promise<void> {
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: { ...watchKey(stationId), until: until.toISOString(), expiresAt: epochSeconds(until) },
      }),
    );
  }

  async record(stationId: string, inbound: string, reply: string | undefined, now: Date): Promise<void> {
    const inCut = cut(inbound);
    const outCut = reply === undefined ? undefined : cut(reply);
    await this.t.db.send(
      new PutCommand({
        TableName: this.t.tableName,
        Item: {
          pk: logPk(stationId),
          sk: `${now.toISOString()}#${randomUUID().slice(0, 8)}`,
          receivedAt: now.toISOString(),
          inbound: inCut.text,
          reply: outCut?.text ?? null,
          truncated: inCut.cut || (outCut?.cut ?? false),
          expiresAt: epochSeconds(now) + LOG_RETENTION_SECONDS,
        },
      }),
    );
  }

  /** The latest messages, newest first. */
  async recent(stationId: string, limit: number, now: Date): Promise<LoggedMessage[]> {
    const out = await this.t.db.send(
      new QueryCommand({
        TableName: this.t.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': logPk(stationId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (out.Items ?? [])
      .filter((item) => !isExpired(item as { expiresAt?: number }, now))
      .map((item) => ({
        receivedAt: item.receivedAt as string,
        inbound: item.inbound as string,
        reply: (item.reply as string | null) ?? null,
        truncated: item.truncated === true,
      }));
  }
}

/**
 * What the station functions use: records a message only while the station is watched. Whether
 * it is watched is read at most once per CHECK_MS per station and instance (one eventually
 * consistent read, started beside the message's own work so it adds no latency), so an unwatched
 * station costs no write and at most that read. A new watch is noticed within CHECK_MS.
 */
export class MessageRecorder {
  static readonly CHECK_MS = 15_000;
  readonly #checked = new Map<string, { readonly until: number; readonly at: number }>();

  constructor(
    private readonly log: MessageLogStore,
    private readonly clock: () => Date,
  ) {}

  /** Whether messages of the station are to be recorded now; never throws (false on failure). */
  async watching(stationId: string): Promise<boolean> {
    const now = this.clock();
    let known = this.#checked.get(stationId);
    if (!known || now.getTime() - known.at >= MessageRecorder.CHECK_MS) {
      try {
        const until = await this.log.watchedUntil(stationId, now);
        known = { until: until?.getTime() ?? 0, at: now.getTime() };
      } catch {
        known = { until: 0, at: now.getTime() };
      }
      if (this.#checked.size >= 10_000) this.#checked.clear();
      this.#checked.set(stationId, known);
    }
    return known.until > now.getTime();
  }

  record(stationId: string, inbound: string, reply: string | undefined): Promise<void> {
    return this.log.record(stationId, inbound, reply, this.clock());
  }
}
