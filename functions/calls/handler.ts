/**
 * The command path's event-driven work (docs/adr/0005-command-path.md), apart from the minute
 * sweep so that it scales with the fleet (the sweep runs one at a time: reserved concurrency 1):
 * - the call-deadline queue (topology DEADLINE_QUEUE): a CALL's deadline came, time it out if
 *   unanswered and send the next command at once;
 * - station.booted / station.connected events (topology EVENT_RULES): send what was queued for
 *   the station now, after its Boot answer;
 * - certificate.issued.v1 (topology EVENT_RULES certificate-delivery): CertificateSigned.
 * Logic: shared/calls/service.ts.
 */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { SQSEvent } from 'aws-lambda';
import { logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath } from '../ocpp/command-path.js';
import { parseCallDeadline } from '../../shared/calls/deadlines.js';
import { EVENT_RULES } from '../../infra/topology.js';
import { deliverIssuedCertificate } from '../../shared/pki/delivery.js';
import { stationFunctionDeps } from '../ocpp/composition.js';

const commands = commandPath();
const deps = stationFunctionDeps();
const pumpEvents: readonly string[] = EVENT_RULES.filter((r) => r.name === 'command-pump').flatMap(
  (r) => r.detailTypes,
);
const ISSUED = 'certificate.issued.v1';

interface BusEvent {
  readonly 'detail-type'?: string;
  readonly detail?: {
    readonly stationId?: unknown;
    readonly occurredAt?: unknown;
    readonly serialNumber?: unknown;
  };
}

const isSqsEvent = (event: unknown): event is SQSEvent =>
  Array.isArray((event as SQSEvent | null)?.Records) &&
  (event as SQSEvent).Records.every((r) => r.eventSource === 'aws:sqs');

export const handler = middy(async (event: unknown): Promise<unknown> => {
  if (isSqsEvent(event)) {
    // Never thrown back to SQS: a deadline that failed is the minute sweep's, not a retry loop's.
    for (const record of event.Records) {
      const call = parseCallDeadline(record.body);
      if (!call) {
        logger.warn('Not a call deadline; dropped', { messageId: record.messageId });
        continue;
      }
      await commands
        .expireCall(call)
        .catch((error: unknown) =>
          logger.error('Timing out a call failed', { error: error as Error, ...call }),
        );
    }
    return { deadlines: event.Records.length };
  }
  const bus = event as BusEvent | null;
  const type = bus?.['detail-type'];
  if (type === ISSUED) return deliver(bus?.detail);
  if (type === undefined || !pumpEvents.includes(type)) {
    logger.warn('Not a call deadline nor a pump event; ignored', { detailType: type });
    return { ignored: 1 };
  }
  const stationId = bus?.detail?.stationId;
  const occurredAt = Date.parse(String(bus?.detail?.occurredAt));
  if (typeof stationId !== 'string') return { pumped: 0 };
  await commands.pumpAfter(stationId, Number.isNaN(occurredAt) ? new Date() : new Date(occurredAt));
  return { pumped: 1 };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());

/** certificate.issued.v1: CertificateSigned through the command path (shared/pki/delivery.ts). */
async function deliver(detail: BusEvent['detail']): Promise<{ delivered: number }> {
  const { stationId, serialNumber, occurredAt } = detail ?? {};
  if (typeof stationId !== 'string' || typeof serialNumber !== 'string') return { delivered: 0 };
  const at = Date.parse(String(occurredAt));
  // Thrown on failure: EventBridge retries the target (the idempotency key keeps it to one command).
  const outcome = await deliverIssuedCertificate(
    { commands, store: deps.store, clock: deps.clock, log: logger },
    { stationId, serialNumber, occurredAt: Number.isNaN(at) ? new Date() : new Date(at) },
  );
  return { delivered: outcome === 'submitted' ? 1 : 0 };
}
