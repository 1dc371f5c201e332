/**
 * The local authorization list (1.6 §3.5.2 and §5.15 SendLocalList; 2.0.1 D01): a list of id
 * tokens a station may authorize without asking the CSMS. A list too large for one message is
 * sent as several SendLocalList commands: the first Full, the rest Differential, with increasing
 * version numbers (D01.FR.03, D01.FR.15).
 *
 * Size limits: API Gateway refuses messages over 128 KB (its 32 KB frame quota concerns frames,
 * which API Gateway cuts a PostToConnection message into itself: the CSMS posts messages, not
 * frames). Stations have limits of their own (1.6 SendLocalListMaxLength; 2.0.1
 * ItemsPerMessageSendLocalList and BytesPerMessageSendLocalList, D01.FR.11) that the caller can
 * pass.
 */
import { z } from 'zod';
import { loadValidators, schemaViolation } from '../../shared/ocpp/validation.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import { refuse, renameFields, type Outgoing } from './command-mapping/outgoing.js';
import {
  COMMAND_CONFLICTS,
  CommandHeaders,
  CommandList,
  commandQuery,
  commandView,
  isFinal,
  requestOf,
  stationProtocol,
  submit,
  waitForOutcome,
} from './commands.js';
import { BadRequestError, dottedPath } from './errors.js';
import { json, operation } from './http.js';
import { IdTokenStatus, IdTokenType } from './id-tokens.js';
import { StationPath } from './path-ids.js';

/** Below API Gateway's 128 KB per message, with room for what frames the payload. */
export const DEFAULT_MAX_MESSAGE_BYTES = 120 * 1024;
/** OCPP-J message ids are at most 36 characters (2.0.1 part 4 §4.1.3; 1.6 §4.1.3 in practice). */
const MESSAGE_ID_PLACEHOLDER = 'x'.repeat(36);
/** The default version: seconds since this instant (increases, and fits an int32 until 2088). */
const VERSION_EPOCH = Date.UTC(2020, 0, 1);

// ---- schemas ---------------------------------------------------------------------------------

export const LocalListEntry = z
  .strictObject({
    idToken: z.string().min(1).max(36).describe('1.6 idTag (at most 20) / 2.x idToken.'),
    type: IdTokenType.default('ISO14443').describe('2.x IdTokenEnumType; ignored for 1.6.'),
    status: IdTokenStatus.optional().describe('Default Accepted.'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .transform((v) => new Date(v).toISOString())
      .optional()
      .describe('1.6 expiryDate / 2.x cacheExpiryDateTime.'),
    groupId: z
      .string()
      .min(1)
      .max(36)
      .optional()
      .describe('1.6 parentIdTag / 2.x groupIdToken (type Central).'),
    remove: z
      .boolean()
      .optional()
      .describe(
        'differential only: take this id token off the list (an entry without idTagInfo / idTokenInfo).',
      ),
  })
  .meta({ id: 'LocalListEntry' });
type LocalListEntry = z.output<typeof LocalListEntry>;

export const PutLocalListRequest = z
  .strictObject({
    updateType: z
      .enum(['full', 'differential'])
      .describe('full replaces the list; differential adds, updates and removes the entries given.'),
    version: z
      .number()
      .int()
      .min(1)
      .max(2 ** 31 - 1)
      .optional()
      .describe(
        'The version the list has after the update (that of the last message). Default: seconds since ' +
          '2020-01-01 (or more, to exceed the version the station last reported), so later updates get higher versions.',
      ),
    // A request of 20 000 entries stays well under the 6 MB a Lambda function receives.
    entries: z.array(LocalListEntry).max(20_000).default([]),
    maxEntriesPerMessage: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('1.6 SendLocalListMaxLength / 2.x ItemsPerMessageSendLocalList of the station.'),
    maxBytesPerMessage: z
      .number()
      .int()
      .min(1024)
      .max(DEFAULT_MAX_MESSAGE_BYTES)
      .optional()
      .describe(
        `Largest CALL message in bytes (default and maximum ${DEFAULT_MAX_MESSAGE_BYTES}); 2.x BytesPerMessageSendLocalList.`,
      ),
  })
  .meta({ id: 'PutLocalListRequest' });
export type PutLocalListRequest = z.output<typeof PutLocalListRequest>;

// ---- building the messages -------------------------------------------------------------------

function entry16(e: LocalListEntry): Record<string, unknown> {
  if (e.remove) return { idTag: e.idToken };
  return {
    idTag: e.idToken,
    idTagInfo: {
      status: e.status ?? 'Accepted',
      ...(e.expiresAt !== undefined ? { expiryDate: e.expiresAt } : {}),
      ...(e.groupId !== undefined ? { parentIdTag: e.groupId } : {}),
    },
  };
}

function entry2(e: LocalListEntry): Record<string, unknown> {
  const idToken = { idToken: e.idToken, type: e.type };
  if (e.remove) return { idToken };
  return {
    idToken,
    idTokenInfo: {
      status: e.status ?? 'Accepted',
      ...(e.expiresAt !== undefined ? { cacheExpiryDateTime: e.expiresAt } : {}),
      ...(e.groupId !== undefined ? { groupIdToken: { idToken: e.groupId, type: 'Central' } } : {}),
    },
  };
}

/** OCPP field of an entry (dotted, inside the entry) to the request field of the entry. */
const ENTRY_FIELDS: Record<'v16' | 'v2', Record<string, string>> = {
  v16: {
    idTag: 'idToken',
    'idTagInfo.status': 'status',
    'idTagInfo.expiryDate': 'expiresAt',
    'idTagInfo.parentIdTag': 'groupId',
    idTagInfo: '',
  },
  v2: {
    'idToken.idToken': 'idToken',
    'idToken.type': 'type',
    idToken: 'idToken',
    'idTokenInfo.status': 'status',
    'idTokenInfo.cacheExpiryDateTime': 'expiresAt',
    'idTokenInfo.groupIdToken.idToken': 'groupId',
    idTokenInfo: '',
  },
};

interface Part extends Outgoing {
  /** Index in the request's entries of the part's first entry. */
  readonly offset: number;
}

function checkEntries(body: PutLocalListRequest, protocol: OcppProtocol): void {
  const seen = new Map<string, number>();
  for (const [i, e] of body.entries.entries()) {
    if (e.remove && body.updateType === 'full') {
      refuse(`entries.${i}.remove`, 'a full list has no removals: leave the id token out');
    }
    if (e.remove && (e.status !== undefined || e.expiresAt !== undefined || e.groupId !== undefined)) {
      refuse(`entries.${i}.remove`, 'an entry that is removed has no status, expiresAt or groupId');
    }
    // D01.FR.06, 1.6 §6.41: every id token once. Id tokens are case-insensitive; 1.6 idTags have no type.
    const key = `${e.idToken.toUpperCase()}${protocol === 'ocpp1.6' ? '' : `#${e.type}`}`;
    const first = seen.get(key);
    if (first !== undefined) refuse(`entries.${i}.idToken`, `the same id token as entries.${first}`);
    seen.set(key, i);
  }
}

/**
 * The SendLocalList messages of a request, in the order they must reach the station.
 * `knownVersion`: the station's list version as the CSMS last knew it (a version chosen here
 * exceeds it: a Differential at or below it is answered VersionMismatch, 1.6 §5.15, D01.FR.19).
 */
export function localListMessages(
  body: PutLocalListRequest,
  protocol: OcppProtocol,
  now: Date,
  knownVersion = 0,
): Part[] {
  checkEntries(body, protocol);
  const v16 = protocol === 'ocpp1.6';
  const entries = body.entries.map(v16 ? entry16 : entry2);
  const maxBytes = body.maxBytesPerMessage ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxEntries = body.maxEntriesPerMessage ?? Number.POSITIVE_INFINITY;

  const payloadOf = (list: readonly Record<string, unknown>[], version: number, full: boolean) => {
    const updateType = full ? 'Full' : 'Differential';
    // 2.x localAuthorizationList has minItems 1: no list is left out (D01.FR.04, D01.FR.05).
    const listField = list.length > 0 || v16 ? { localAuthorizationList: list } : {};
    return v16
      ? { listVersion: version, updateType, ...listField }
      : { versionNumber: version, updateType, ...listField };
  };
  const bytes = (payload: unknown) =>
    Buffer.byteLength(JSON.stringify([2, MESSAGE_ID_PLACEHOLDER, 'SendLocalList', payload]));

  // Greedy packing; sizes are taken with the largest version and update type the part can have.
  const groups: { offset: number; items: Record<string, unknown>[] }[] = [];
  let current: { offset: number; items: Record<string, unknown>[]; size: number } | undefined;
  const empty = bytes({ ...payloadOf([], 2 ** 31 - 1, false), localAuthorizationList: [] });
  for (const [i, item] of entries.entries()) {
    const itemBytes = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (empty + itemBytes > maxBytes) refuse(`entries.${i}`, `the entry alone is over ${maxBytes} bytes`);
    if (!current || current.items.length >= maxEntries || current.size + itemBytes > maxBytes) {
      current = { offset: i, items: [], size: empty };
      groups.push(current);
    }
    current.items.push(item);
    current.size += itemBytes;
  }
  if (groups.length === 0) groups.push({ offset: 0, items: [] });

  const finalVersion =
    body.version ??
    Math.max(Math.floor((now.getTime() - VERSION_EPOCH) / 1000), knownVersion + groups.length);
  const firstVersion = finalVersion - groups.length + 1;
  if (firstVersion < 1) {
    refuse(
      'version',
      `the list takes ${groups.length} messages with a version each: version must be at least ${groups.length}`,
    );
  }
  const fields = renameFields(ENTRY_FIELDS[v16 ? 'v16' : 'v2']);
  return groups.map((g, n) => ({
    action: 'SendLocalList',
    payload: payloadOf(g.items, firstVersion + n, n === 0 && body.updateType === 'full'),
    offset: g.offset,
    toField: (path: string) => {
      const m = /^localAuthorizationList\.(\d+)\.?(.*)$/.exec(path);
      if (m) {
        const inner = fields(m[2] ?? '');
        return `entries.${g.offset + Number(m[1])}${inner ? `.${inner}` : ''}`;
      }
      if (path === 'listVersion' || path === 'versionNumber') return 'version';
      if (path === 'updateType') return 'updateType';
      return path === 'localAuthorizationList' ? 'entries' : path;
    },
  }));
}

/** Checks every message against the version's schema, so that none is sent if one is invalid. */
function validateAll(parts: readonly Part[], protocol: OcppProtocol): void {
  for (const part of parts) {
    const violation = schemaViolation(protocol, part.action, 'Request', part.payload);
    if (!violation) continue;
    const path = part.toField?.(dottedPath(violation.field)) ?? dottedPath(violation.field);
    throw new BadRequestError(`SendLocalListRequest ${violation.message}`, [
      { path, message: violation.message },
    ]);
  }
}

// ---- operations ------------------------------------------------------------------------------

const Query = z.strictObject(commandQuery);

export const putLocalList = operation({
  id: 'putLocalList',
  summary: "Replace or update the station's local authorization list (SendLocalList, split when large)",
  description:
    'Answers the SendLocalList commands in the order they go to the station: one, or (for a list ' +
    'over the message size or entry limit) a Full one then Differential ones with increasing ' +
    'versions. Every message is checked against the station version before any is sent. ' +
    'With `wait`, 200 once every command is final.',
  params: StationPath,
  query: Query,
  body: PutLocalListRequest,
  headers: CommandHeaders,
  responses: { 200: CommandList, 202: CommandList },
  conflicts: COMMAND_CONFLICTS,
  async handle({ params, query, body, headers }, deps) {
    const protocol = await stationProtocol(params.id, deps);
    const known = body.version === undefined ? await deps.store.localList.get(params.id) : undefined;
    const parts = localListMessages(body, protocol, deps.clock(), Math.max(0, known?.version ?? 0));
    await loadValidators(protocol);
    validateAll(parts, protocol);
    const key = headers['idempotency-key'];
    const submitted = [];
    // One after the other: the command path sends a station's commands in the order submitted.
    for (const [i, part] of parts.entries()) {
      submitted.push(
        await submit(
          params.id,
          part,
          {
            queue: query.queue,
            request: requestOf('putLocalList', { params, query, body }),
            ...(key !== undefined ? { idempotencyKey: parts.length > 1 ? `${key}:${i + 1}` : key } : {}),
          },
          deps,
        ),
      );
    }
    const latest = query.wait > 0 ? await waitForOutcome(submitted, query.wait, deps) : submitted;
    const body200: CommandList = { commands: latest.map(commandView) };
    return json(latest.every((c) => isFinal(c.status)) ? 200 : 202, body200);
  },
});
