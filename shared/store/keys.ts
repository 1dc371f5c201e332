/**
 * Item layout of the one table (pk, sk; gsi1pk, gsi1sk on a keys-only index).
 *
 * | item                         | pk                         | sk                              | gsi1pk / gsi1sk            |
 * |------------------------------|----------------------------|---------------------------------|----------------------------|
 * | station (registry + state)   | STATION#{id}               | STATION                         | STATIONS / {id}            |
 * | connector status             | STATION#{id}               | CONN#{evse:4}#{connector:4}     |                            |
 * | transaction summary          | STATION#{id}               | TX#{txId}                       | TXS / {startedAt}#{id}#{tx}|
 * | 1.6 StartTransaction replay  | STATION#{id}               | START#{connectorId}#{timestamp} |                            |
 * | newest transaction on an EVSE| STATION#{id}               | ACTIVETX#{evse:4}               |                            |
 * | security event               | STATION#{id}               | SEC#{timestamp}#{rand}          |                            |
 * | transaction event / meter    | TXDATA#{id}#{txId}         | EV#{seqNo:10}[#{digest}] / MV#{ts}#{digest} |                |
 * | meter values, no transaction | METER#{id}                 | {timestamp}#{evse}#{digest}     |                            |
 * | id token (key case-folded)   | IDTOKEN#{IDTOKEN}          | TYPE#{type}                     | IDTOKENS / {idToken}#{type}|
 * | API key (hash only)          | APIKEY#{lookupId}          | APIKEY                          |                            |
 * | reported variable (2.x)      | DEVMODEL#{id}              | VAR#{component/variable path}   |                            |
 * | latest event value (2.x)     | DEVMODEL#{id}              | VAL#{component/variable path}   |                            |
 * | NotifyEvent history (2.x)    | DEVEVENT#{id}              | {timestamp}#...                 |                            |
 * | attribute get/set result     | DEVMODEL#{id}              | ATTR#{c/v path}#{attributeType} |                            |
 * | monitors of a variable (2.x) | DEVMODEL#{id}              | MON#{component/variable path}   |                            |
 * | command (shared/calls)       | CMD#{cmdId}                | CMD                             | CMDS#{id} / {createdAt}#{cmdId} |
 * | command queue entry          | CMDQ#{id}                  | {createdAt}#{cmdId}             | CMDDUE / {dueAt}#{id}#{cmdId} |
 * | outstanding-call lock        | STATION#{id}               | STATION (attr. outstandingCall) |                            |
 * | idempotency key (TTL)        | IDEMP#{id}#{key}           | IDEMP                           |                            |
 * | requestId pointer (TTL)      | REQ#{id}#{requestId|action}| REQ                             |                            |
 * | boot-gate allowance (TTL)    | STATION#{id}               | ALLOW#{action}                  |                            |
 * | availability (set by CSMS)   | STATION#{id}               | AVAIL#{evse:4}#{connector:4}    |                            |
 * | local list version           | STATION#{id}               | LOCALLIST                       |                            |
 * | 1.6 configuration key        | CONFIG#{id}                | KEY#{key}                       |                            |
 * | charging profile             | CHPROF#{id}                | PROFILE#{profileId:10}          |                            |
 * | reservation (TTL)            | RESV#{id}                  | {reservationId:10}              |                            |
 * | certificate                  | CERT#{id}                  | HASH#... / INSTALLED#... / SIGNED#... |                      |
 * | display message (2.x)        | DISPLAY#{id}               | {messageId:10}                  |                            |
 * | webhook subscription         | WEBHOOKS                   | WEBHOOK#{id}                    |                            |
 * | webhook dead letter (TTL)    | WHDLQ#{id}                 | {deadLetteredAt}#{eventId}      |                            |
 * | smart charging (2.x K11-K22)| SMART#{id}                 | LIMIT#... / NEEDS#... / PRIORITY#... |                    |
 * | firmware rollout             | ROLLOUT#{rolloutId}        | ROLLOUT / ST#{wave}#{id}        | ROLLOUTS / {createdAt}#{rid} |
 * | station claim of a rollout   | ROLLOUTCLAIM#{id}          | CLAIM                           |                            |
 * | certificate issued by our CA | ISSUED#{id}                | {serial}                        | CERTRENEW / {notAfter}#{id}#{serial} |
 * | station CA certificate (AWS) | PKI#CA                     | CERT                            |                            |
 *
 * The command path's items are described in ./commands.ts, each concern's in its own module.
 * Every station's live items share one partition, so the station view is one Query.
 */

import { createHash } from 'node:crypto';

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A short digest of what a message says: a retry of the same message gets the same key (so it
 * overwrites itself) while a different message with the same timestamp gets its own item.
 */
export function contentDigest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

export const keys = {
  station: (id: string) => ({ pk: `STATION#${id}`, sk: 'STATION' }),
  stationPk: (id: string) => `STATION#${id}`,
  connector: (id: string, evseId: number, connectorId: number) => ({
    pk: `STATION#${id}`,
    sk: `CONN#${pad(evseId, 4)}#${pad(connectorId, 4)}`,
  }),
  transaction: (id: string, txId: string) => ({ pk: `STATION#${id}`, sk: `TX#${txId}` }),
  startReplay: (id: string, connectorId: number, timestamp: string) => ({
    pk: `STATION#${id}`,
    sk: `START#${connectorId}#${timestamp}`,
  }),
  securityEvent: (id: string, timestamp: string, suffix: string) => ({
    pk: `STATION#${id}`,
    sk: `SEC#${timestamp}#${suffix}`,
  }),
  txDataPk: (id: string, txId: string) => `TXDATA#${id}#${txId}`,
  /** `variant`: the content digest of a second, different event with the same seqNo. */
  transactionEvent: (id: string, txId: string, seqNo: number, variant?: string) => ({
    pk: `TXDATA#${id}#${txId}`,
    sk: `EV#${pad(seqNo, 10)}${variant ? `#${variant}` : ''}`,
  }),
  activeTransaction: (id: string, evseId: number) => ({
    pk: `STATION#${id}`,
    sk: `ACTIVETX#${pad(evseId, 4)}`,
  }),
  transactionMeter: (id: string, txId: string, timestamp: string, digest: string) => ({
    pk: `TXDATA#${id}#${txId}`,
    sk: `MV#${timestamp}#${digest}`,
  }),
  /** `digest` tells apart two messages with the same timestamp (Sample.Clock and Sample.Periodic). */
  stationMeter: (id: string, timestamp: string, evseId: number, digest: string) => ({
    pk: `METER#${id}`,
    sk: `${timestamp}#${pad(evseId, 4)}#${digest}`,
  }),
  // Id tokens are case-insensitive (2.0.1 IdTokenType.idToken, 1.6 IdToken CiString20): fold the key.
  idToken: (idToken: string, type: string) => ({
    pk: `IDTOKEN#${idToken.toUpperCase()}`,
    sk: `TYPE#${type}`,
  }),
  idTokenPk: (idToken: string) => `IDTOKEN#${idToken.toUpperCase()}`,
  apiKey: (lookupId: string) => ({ pk: `APIKEY#${lookupId}`, sk: 'APIKEY' }),
} as const;

export const GSI1 = 'gsi1';
export const LIST = { stations: 'STATIONS', transactions: 'TXS', idTokens: 'IDTOKENS' } as const;
