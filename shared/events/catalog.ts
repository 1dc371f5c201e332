/**
 * The event catalog: every domain fact the CSMS publishes on its EventBridge bus. Each event type
 * has a zod schema for its `detail` and a version (in the detail-type, `station.booted.v1`, so a
 * partner's rule can pin a version). The detail is the CSMS's own version-neutral model, not a raw
 * OCPP frame. docs/events.md describes them; a breaking change adds a new version.
 */
import { z } from 'zod';
import { ANOMALIES } from '../domain/transactions.js';
import { SMART_CHARGING_EVENTS } from './smart-charging.js';

const protocol = z.enum(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1']);
const timestamp = z.string().describe('ISO 8601');
const base = { stationId: z.string(), occurredAt: timestamp };

const sample = z.object({
  timestamp,
  measurand: z.string(),
  value: z.number().optional(),
  unit: z.string(),
  context: z.string().optional(),
  phase: z.string().optional(),
  location: z.string().optional(),
  signed: z.unknown().optional(),
});

const transaction = {
  transactionId: z.string(),
  evseId: z.number().int().optional(),
  connectorId: z.number().int().optional(),
  idToken: z.string().optional(),
};

/** Firmware rollouts (functions/rollout): progress of one rollout over many stations. */
const rollout = {
  rolloutId: z.string(),
  occurredAt: timestamp,
  firmwareVersion: z.string().describe('The version the rollout installs'),
};
const rolloutCounts = z
  .object({
    total: z.number().int(),
    pending: z.number().int(),
    inProgress: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
  })
  .describe('Stations of the rollout by status');
const ROLLOUT_EVENTS = {
  'rollout.started.v1': z.object({
    ...rollout,
    stations: z.number().int().describe('Stations to update (those already on the version excluded)'),
    waves: z.number().int(),
  }),
  'rollout.wave-completed.v1': z.object({
    ...rollout,
    wave: z.number().int().describe('0 is the canary'),
    size: z.number().int(),
    succeeded: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
    failurePercent: z.number(),
    overThreshold: z.boolean().describe('The health gate tripped: a paused or aborted event follows'),
  }),
  'rollout.paused.v1': z.object({
    ...rollout,
    reason: z.enum(['threshold', 'operator']),
    wave: z.number().int().optional().describe('The wave that crossed the threshold'),
  }),
  'rollout.resumed.v1': z.object({ ...rollout }),
  'rollout.aborted.v1': z.object({
    ...rollout,
    reason: z.enum(['threshold', 'operator']),
    wave: z.number().int().optional().describe('The wave that crossed the threshold'),
  }),
  'rollout.completed.v1': z.object({ ...rollout, counts: rolloutCounts }),
  'rollout.failed.v1': z.object({ ...rollout, error: z.string().describe('Why the rollout could not run') }),
} as const;

export const EVENTS = {
  'station.connected.v1': z.object({ ...base, protocol, connectionId: z.string() }),
  'station.disconnected.v1': z.object({ ...base, connectionId: z.string(), reason: z.string().optional() }),
  'station.booted.v1': z.object({
    ...base,
    registrationStatus: z.enum(['Accepted', 'Pending', 'Rejected']),
    reason: z.string().optional(),
    vendor: z.string(),
    model: z.string(),
    serialNumber: z.string().optional(),
    firmwareVersion: z.string().optional(),
  }),
  'connector.status-changed.v1': z.object({
    ...base,
    evseId: z.number().int(),
    connectorId: z.number().int(),
    status: z.string(),
    errorCode: z.string().optional(),
    info: z.string().optional(),
  }),
  'authorization.decided.v1': z.object({
    ...base,
    idToken: z.string(),
    idTokenType: z.string().optional(),
    status: z.string(),
    reason: z.enum(['known', 'unknown', 'free-charging', 'remote-start']),
    context: z.enum(['Authorize', 'StartTransaction', 'StopTransaction', 'TransactionEvent']),
  }),
  'transaction.started.v1': z.object({
    ...base,
    ...transaction,
    startedAt: timestamp,
    meterStartWh: z.number().optional(),
  }),
  'transaction.updated.v1': z.object({
    ...base,
    ...transaction,
    triggerReason: z.string().optional(),
    chargingState: z.string().optional(),
    samples: z.array(sample),
  }),
  'transaction.ended.v1': z.object({
    ...base,
    ...transaction,
    startedAt: timestamp.optional(),
    endedAt: timestamp,
    meterStartWh: z.number().optional(),
    meterStopWh: z.number().optional(),
    energyWh: z.number().optional().describe('Never negative: 0 with the anomaly meterStopBelowStart'),
    stopReason: z
      .string()
      .optional()
      .describe("The station's reason, or Abandoned when the CSMS closed the transaction"),
    anomalies: z
      .array(z.enum(ANOMALIES))
      .optional()
      .describe(
        'Data-quality flags; abandoned: closed by the CSMS, a later ended event may bring the real stop',
      ),
  }),
  'transaction.anomaly.v1': z.object({
    ...base,
    transactionId: z.string(),
    anomaly: z.enum(ANOMALIES),
    seqNo: z.number().int().optional().describe('2.0.1/2.1: the seqNo of the event concerned'),
    eventType: z.enum(['Started', 'Updated', 'Ended', 'StopTransaction']).optional(),
    detail: z.string().describe('What was seen and what the CSMS did'),
  }),
  'meter.values.v1': z.object({
    ...base,
    evseId: z.number().int(),
    transactionId: z.string().optional(),
    samples: z.array(sample),
  }),
  'firmware.status.v1': z.object({ ...base, status: z.string(), requestId: z.number().int().optional() }),
  'diagnostics.status.v1': z.object({ ...base, status: z.string() }),
  'log.status.v1': z.object({ ...base, status: z.string(), requestId: z.number().int().optional() }),
  'security.event.v1': z.object({
    ...base,
    type: z.string(),
    techInfo: z.string().optional(),
    origin: z.enum(['station', 'csms']),
    critical: z
      .boolean()
      .describe(
        "Critical in the spec's security events list of the station's OCPP version (2.0.1 part 2 appendices, 1.6 security whitepaper); CSMS-side events are not",
      ),
  }),
  'station.data-transfer.v1': z.object({
    ...base,
    vendorId: z.string(),
    messageId: z.string().optional(),
    data: z.unknown().optional(),
  }),
  'station.device-event.v1': z.object({
    ...base,
    seqNo: z.number().int(),
    tbc: z.boolean(),
    events: z.array(z.record(z.string(), z.unknown())),
  }),
  'station.report.v1': z.object({
    ...base,
    requestId: z.number().int(),
    seqNo: z.number().int(),
    tbc: z.boolean(),
    reportData: z.array(z.record(z.string(), z.unknown())),
  }),
  'command.completed.v1': z.object({
    ...base,
    commandId: z.string(),
    protocol,
    action: z.string().describe('The OCPP action of the CALL (Reset, GetVariables, ...)'),
    status: z.enum(['completed', 'rejected', 'failed', 'timeout']),
    errorCode: z
      .string()
      .optional()
      .describe("The station's CALLERROR code, or InvalidResponse / SendFailed / Timeout / ConnectionLost"),
    responseStatus: z.string().optional().describe('The status field of the response, when it has one'),
  }),
  'reservation.status-changed.v1': z.object({
    ...base,
    reservationId: z.number().int(),
    status: z.enum(['active', 'cancelled', 'expired', 'removed']),
  }),
  'firmware.publish-status.v1': z.object({
    ...base,
    status: z.string(),
    requestId: z.number().int().optional(),
    location: z.array(z.string()).optional(),
  }),
  // Sent to one subscription by POST /v1/webhooks/{id}/test; its rule matches it by webhookId.
  'webhook.test.v1': z.object({
    webhookId: z.string(),
    occurredAt: timestamp,
    message: z.string(),
  }),
  ...ROLLOUT_EVENTS,
  ...SMART_CHARGING_EVENTS,
  // Site load management (functions/sites): a site's shares after a recompute that changed them.
  'site.allocation-changed.v1': z.object({
    siteId: z.string(),
    occurredAt: timestamp,
    limit: z.number().describe("The site's limit in force (a schedule window's value inside one)"),
    unit: z.enum(['A', 'W']).describe('A: per phase; W: in total'),
    window: z.string().optional().describe('HH:MM-HH:MM of the time-of-use window in force'),
    evses: z.array(
      z.object({
        stationId: z.string(),
        evseId: z.number().int(),
        transactionId: z.string(),
        value: z.number().describe('The share: the limit of its TxProfile (0: waiting)'),
        reason: z.enum(['fair-share', 'minimum', 'maximum', 'waiting']),
        profileState: z
          .enum(['pending', 'applied', 'rejected', 'none'])
          .describe('rejected: the station refused it twice (sent once more, then reported)'),
      }),
    ),
  }),
  'certificate.issued.v1': z.object({
    ...base,
    serialNumber: z.string().describe('Hex, lower case, no leading zeros'),
    certificateType: z.string().describe('ChargingStationCertificate (2.x) or ChargePointCertificate (1.6)'),
    subject: z.string(),
    notBefore: timestamp,
    notAfter: timestamp,
  }),
} as const;

export type EventType = keyof typeof EVENTS;
export type EventDetail<T extends EventType> = z.infer<(typeof EVENTS)[T]>;

/** One event: a union over the types, so checking `type` narrows `detail`. */
export type DomainEvent<T extends EventType = EventType> = {
  [K in T]: { readonly type: K; readonly detail: EventDetail<K> };
}[T];
