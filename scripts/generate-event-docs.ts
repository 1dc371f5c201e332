/**
 * Generates the partner-facing event documentation from the zod catalog (shared/events/catalog.ts):
 * docs/events.md (a table and one JSON Schema per event) and docs/events.schema.json.
 * test/unit/event-docs.test.ts fails when the committed files are stale.
 *
 *   npx tsx scripts/generate-event-docs.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { EVENTS } from '../shared/events/catalog.js';
import { EVENT_BUS } from '../infra/topology.js';

const DESCRIPTIONS: Record<keyof typeof EVENTS, string> = {
  'station.connected.v1':
    'A station opened a WebSocket connection (after authentication and subprotocol agreement).',
  'station.disconnected.v1':
    "The station's current connection closed (a replaced connection does not count).",
  'station.booted.v1': 'A BootNotification was answered (Accepted, Pending or Rejected).',
  'connector.status-changed.v1': 'A StatusNotification newer than the stored one arrived.',
  'authorization.decided.v1':
    'The CSMS answered an id token (Authorize, or a token inside a transaction message).',
  'transaction.started.v1': 'A transaction started (1.6 StartTransaction, 2.x TransactionEvent Started).',
  'transaction.updated.v1':
    'A transaction progressed: a 2.x TransactionEvent Updated (charging state, token, EVSE: always; meter values only: as CSMS_METER_EVENTS says), or, with CSMS_METER_EVENTS=periodic, the meter values of a 1.6 or 2.x transaction at most every CSMS_METER_EVENT_MINUTES.',
  'transaction.ended.v1':
    'A transaction ended, with its energy in Wh when the meter readings allow (never negative). Also when the CSMS closes an abandoned transaction (stopReason Abandoned, anomalies [abandoned]); if the station later reports the real stop, a second transaction.ended.v1 with the real data supersedes it.',
  'transaction.anomaly.v1':
    'A data-quality fact about a transaction: a stop for an unknown transaction, two different events with one seqNo, an event after the Ended, a meter that went backwards, a stop before its start, a transaction closed as abandoned.',
  'meter.values.v1':
    'Meter samples: with CSMS_METER_EVENTS=every, of every message inside or outside a transaction; with periodic (the default), outside transactions only, at most every CSMS_METER_EVENT_MINUTES per EVSE; with none, never.',
  'firmware.status.v1': 'FirmwareStatusNotification / SignedFirmwareStatusNotification.',
  'diagnostics.status.v1': 'DiagnosticsStatusNotification (1.6).',
  'log.status.v1': 'LogStatusNotification.',
  'security.event.v1':
    'A security event: reported by a station, or detected by the CSMS (refused connections, refused certificate signing requests). `critical` marks the critical ones of the spec list.',
  'station.data-transfer.v1': 'A DataTransfer from a station (vendor-specific data).',
  'station.device-event.v1': 'NotifyEvent (2.x device model events).',
  'station.report.v1': 'NotifyReport (2.x device model report, one message of a possibly split report).',
  'command.completed.v1':
    'A remote command (a CALL of the CSMS) ended: completed, rejected by the station, failed or timed out.',
  'reservation.status-changed.v1':
    'A reservation was made (ReserveNow accepted), cancelled, or ended by the station (ReservationStatusUpdate).',
  'firmware.publish-status.v1':
    'PublishFirmwareStatusNotification (2.x local controller publishing firmware).',
  'webhook.test.v1':
    'Sent by `POST /v1/webhooks/{id}/test` to that one subscription only: check your endpoint and its auth.',
  'rollout.started.v1':
    'A firmware rollout was accepted and its state machine started (POST /v1/firmware/rollouts).',
  'rollout.wave-completed.v1':
    'Every station of a rollout wave reached a final status (succeeded, failed, skipped); says whether the health gate tripped.',
  'rollout.paused.v1':
    'A rollout paused: its wave crossed maxFailurePercent with onThreshold pause, or an operator paused it.',
  'rollout.resumed.v1': 'An operator resumed a paused rollout; it continues with its next wave.',
  'rollout.aborted.v1':
    'A rollout stopped for good: its wave crossed maxFailurePercent with onThreshold abort, or an operator aborted it.',
  'rollout.completed.v1': 'A rollout ran through all its waves (its failures are in the counts).',
  'rollout.failed.v1': 'A rollout could not run (its state machine failed); it holds no stations any more.',
  'charging.limit-set.v1':
    'NotifyChargingLimit (K11, K12): an external system (EMS, grid operator) limits an EVSE or the whole station.',
  'charging.limit-cleared.v1': 'ClearedChargingLimit (K13, K14): an external limit was released.',
  'ev.charging-needs.v1':
    'NotifyEVChargingNeeds (K15, K17): an ISO 15118 EV said what it needs; with the answer and the TxProfile limit the CSMS sent for it.',
  'ev.charging-needs-unmet.v1':
    "The CSMS cannot (fully) meet an EV's charging needs: answered Rejected, or the schedule sent delivers less than the EV asked for by its departure time.",
  'ev.charging-schedule-deviated.v1':
    "NotifyEVChargingSchedule (K15.FR.12, K17.FR.12): the EV's schedule exceeds what the CSMS sent; answered Rejected and the TxProfile is sent again (K16 renegotiation).",
  'charging.priority-changed.v1':
    'NotifyPriorityCharging (2.1 K21, K22): priority charging of a transaction on or off.',
  'charging.dynamic-schedule-requested.v1':
    'PullDynamicScheduleUpdate (2.1 K28): a station asked for an update of a dynamic charging profile.',
  'site.allocation-changed.v1':
    "A site's shares changed (a transaction started or ended, its limit or time-of-use window changed, a station refused its profile): each active EVSE's limit and why (docs/load-management.md).",
  'certificate.issued.v1':
    "The station CA signed a station's CSR (SignCertificate accepted); CertificateSigned delivers the chain through the command path.",
};

export function generateEventDocs(): { markdown: string; schema: string } {
  const schemas = Object.fromEntries(
    Object.entries(EVENTS).map(([type, schema]) => [type, z.toJSONSchema(schema, { target: 'draft-7' })]),
  );
  const schema =
    JSON.stringify({ $comment: 'GENERATED by scripts/generate-event-docs.ts', events: schemas }, null, 2) +
    '\n';
  const rows = Object.keys(EVENTS)
    .map((type) => `| \`${type}\` | ${DESCRIPTIONS[type as keyof typeof EVENTS]} |`)
    .join('\n');
  const sections = Object.entries(schemas)
    .map(
      ([type, s]) =>
        `### \`${type}\`\n\n${DESCRIPTIONS[type as keyof typeof EVENTS]}\n\n\`\`\`json\n${JSON.stringify(s, null, 2)}\n\`\`\``,
    )
    .join('\n\n');
  const markdown = `<!-- GENERATED by scripts/generate-event-docs.ts from shared/events/catalog.ts: do not edit. -->
# Events

Every domain fact is published to the CSMS's EventBridge bus with \`source: "${EVENT_BUS.source}"\` and the
event type (with its version) as \`detail-type\`. The \`detail\` is the CSMS's own version-neutral model,
the same for OCPP 1.6, 2.0.1 and 2.1 stations. A breaking change to an event adds a new version
(\`.v2\`) beside the old one; fields may be added to a version.

Delivery is at least once: a station retry after a failure may publish an event again, so consumers
should be idempotent (key on \`stationId\` + \`transactionId\` / \`occurredAt\`). Locally (\`npm start\`)
every event is printed and appended to \`.data/events.jsonl\`.

## Meter values

What is published per meter sample is a deployment setting, \`CSMS_METER_EVENTS\` (CDK context /
prop \`meterEvents\`, README settings). The samples themselves are always stored and readable through
the transactions API; \`transaction.ended.v1\` carries the energy in every mode.

| \`CSMS_METER_EVENTS\` | published |
|---|---|
| \`every\` | \`meter.values.v1\` for every message with samples (MeterValues, a transaction message's samples) and \`transaction.updated.v1\` for every 2.x TransactionEvent Updated. |
| \`periodic\` (default) | per transaction, at most one \`transaction.updated.v1\` every \`CSMS_METER_EVENT_MINUTES\` (default 15; by the samples' own time), with the samples of the message that triggered it; outside transactions, at most one \`meter.values.v1\` per EVSE as often. A 2.x Updated that is about something else than meter values (charging state, token, EVSE) is always published. |
| \`none\` | no meter events; 2.x Updated events about something else than meter values still are. |

The default is what most partners need (session start, progress and end for billing and apps) at the
lowest cost: on the 1.6 profile of BENCHMARKS.md it publishes 16 instead of 240 meter events per
station-day. The interval is per function instance: with several warm instances a transaction may
get one update per instance in an interval (at least once, like every other event).

Example EventBridge rule pattern for all ended transactions:

\`\`\`json
{ "source": ["${EVENT_BUS.source}"], "detail-type": ["transaction.ended.v1"] }
\`\`\`

| detail-type | when |
|---|---|
${rows}

## Receiving webhooks

Subscribe an HTTPS endpoint with \`POST /v1/webhooks\` ([api.md](api.md#webhooks)), or declare it at
deploy time (CDK context \`webhooks\`). On AWS, EventBridge delivers: each subscription is a rule on
the CSMS bus with an API destination, so delivery keeps going whatever the CSMS's functions do.

**The request.** \`POST\` to your URL, \`content-type: application/json; charset=utf-8\`, the body is
the EventBridge envelope:

\`\`\`json
{
  "version": "0",
  "id": "5b0e4a9c-0a4e-4f55-9d55-4d1c0c9d2a11",
  "detail-type": "transaction.ended.v1",
  "source": "${EVENT_BUS.source}",
  "account": "123456789012",
  "time": "2025-03-01T10:30:00Z",
  "region": "eu-west-1",
  "resources": [],
  "detail": { "stationId": "CP-1", "occurredAt": "2025-03-01T10:30:00.000Z", "...": "..." }
}
\`\`\`

A replayed event carries \`"replay-name"\` besides. **Auth header**: what the subscription's \`auth\`
says (\`{"type": "apiKey", "header", "value"}\` sends \`header: value\`; \`basic\` sends
\`Authorization: Basic ...\`; \`oauth\` fetches a client-credentials token from \`tokenUrl\` and sends
\`Authorization: Bearer ...\`). Without \`auth\` the only header is \`x-csms-webhook-id: <subscription id>\`,
which proves nothing: use \`auth\`. The secret is kept by EventBridge (Secrets Manager) and never
returned by the API.

**Answer** with any 2xx within 5 seconds. A network error, a timeout, 401, 407, 409, 429 or a 5xx
is retried with exponential back-off and jitter for up to 24 hours and 185 attempts (the
subscription's \`retry\` can lower both); any other answer (other 4xx, 3xx) is final. An event
that is not delivered goes to the **dead-letter store**: \`GET /v1/webhooks/{id}/deliveries\` lists
it with the last error, and \`POST /v1/webhooks/{id}/redrive\` sends it again once your endpoint
is back. A subscription whose endpoint keeps failing stays enabled; nothing is dropped silently.

**At least once, unordered.** The same event can arrive twice (a retry after a lost answer, a
redrive, a replay) and events can arrive in any order: **dedupe by \`id\`** (the same on every
retry), order by \`detail.occurredAt\`. Redriven and replayed events carry \`replay-name\`; the local
host keeps their \`id\`, but EventBridge does not document that a replay keeps it, so for those also
key on \`detail-type\` + \`detail.stationId\` + \`detail.occurredAt\`. A redrive replays the window that
holds the dead letters, so events of that window you already have can come again.

**Replay** a window of the archive (30 days) to your subscription only:
\`POST /v1/webhooks/{id}/replay {"from": "...", "to": "..."}\` (event \`time\`, \`to\` exclusive).

**Test** your endpoint: \`POST /v1/webhooks/{id}/test\` sends a \`webhook.test.v1\` event to it alone.

**Code bindings**: every event type is also in the EventBridge schema registry \`csms-events\`
(schema \`${EVENT_BUS.source}@{detail-type}\`, OpenAPI 3), from which the EventBridge console and the AWS
toolkits generate classes.

Locally (\`npm start\`) the same subscriptions are delivered by the local host over real HTTP, with
the same envelope, auth header, timeout and retry rules; \`http://\` is accepted for loopback
addresses there.

## Schemas (JSON Schema draft 7 of \`detail\`)

${sections}
`;
  return { markdown, schema };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { markdown, schema } = generateEventDocs();
  writeFileSync('docs/events.md', markdown);
  writeFileSync('docs/events.schema.json', schema);
  console.log('wrote docs/events.md and docs/events.schema.json');
}
