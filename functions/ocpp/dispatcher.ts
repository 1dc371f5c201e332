/**
 * The one place where OCPP frames are parsed, validated, routed and answered. Handlers return
 * their response; only this module frames, validates (both directions) and replies.
 */
import type { Config } from '../../shared/aws/config.js';
import type { Log } from '../../shared/aws/observability.js';
import type { StationCa } from '../../shared/pki/authority.js';
import type { DomainEvent } from '../../shared/events/catalog.js';
import type { EventSink } from '../../shared/events/publisher.js';
import { recordInvalidSigningRequest } from './certificate-signing.js';
import { domainBoundsViolation } from '../../shared/ocpp/domain-bounds.js';
import { OcppError } from '../../shared/ocpp/errors.js';
import {
  encodeCallError,
  encodeCallResult,
  parseFrame,
  type InboundFrame,
} from '../../shared/ocpp/frames.js';
import { isKnownAction, loadValidators, validatePayload } from '../../shared/ocpp/validation.js';
import { STATION_INITIATED, STATION_SENDS, type OcppProtocol } from '../../shared/ocpp/versions.js';
import type { Store } from '../../shared/store/index.js';
import { arrivalKey } from '../../shared/store/connectors.js';
import type { StationItem } from '../../shared/store/stations.js';
import type { AnyRoute, HandlerContext } from './context.js';
import type { CommandService } from '../../shared/calls/types.js';
import {
  UnconfiguredContractCertificates,
  type ContractCertificates,
} from '../../shared/pki/contract-certificates.js';
import { SiteAndStationLimits, type EvseLimitSource } from './evse-limits.js';

export interface DispatchDeps {
  readonly routes: Readonly<Record<OcppProtocol, Readonly<Record<string, AnyRoute | undefined>>>>;
  readonly store: Store;
  readonly events: EventSink;
  readonly config: Config;
  readonly log: Log;
  readonly clock: () => Date;
  /** The station CA, for SignCertificate (shared/pki); none: SignCertificate is answered Rejected. */
  readonly ca?: StationCa | undefined;
  /** A CALLRESULT / CALLERROR from the station; returns false when it matches no pending call. */
  readonly onResponse?: (
    frame: Extract<InboundFrame, { type: 3 | 4 | 5 }>,
    station: StationRef,
  ) => Promise<boolean>;
  /**
   * Whether a station that is not Accepted may send `action` because the CSMS asked for it
   * (2.0.1 B02.FR.09: triggered by TriggerMessage, GetBaseReport, GetReport). Asked only then.
   */
  readonly allowedBeforeAccepted?: (stationId: string, action: string, now: Date) => Promise<boolean>;
  /** EVSE limits for EV-needs schedules; default: what the station reported (./evse-limits.ts). */
  readonly evseLimits?: EvseLimitSource;
  /** The command path, for CALLs a station's message leads to (K15 SetChargingProfile). */
  readonly commands?: Pick<CommandService, 'submit'>;
  /** ISO 15118 contract certificates and OCSP; default: none configured (answers Failed). */
  readonly contractCertificates?: ContractCertificates;
}

export interface StationRef {
  readonly stationId: string;
  readonly protocol: OcppProtocol;
  readonly connectionId: string;
  /** The registration status the authorizer saw at connect time ('' when none yet). */
  readonly registrationAtConnect: string;
  /** When the gateway received the message (requestTimeEpoch) and, locally, its place on the connection. */
  readonly arrival?: { readonly epochMs: number; readonly sequence?: number };
}

export interface Dispatched {
  /** The frame to send back (route response), or undefined to send nothing. */
  readonly reply: string | undefined;
  readonly action?: string;
  readonly errorCode?: string;
  /** Work to run once the reply was sent (HandlerContext.afterReply). */
  readonly afterReply?: readonly (() => Promise<void>)[];
}

export async function dispatch(raw: string, station: StationRef, deps: DispatchDeps): Promise<Dispatched> {
  const { protocol } = station;
  // The first message of a version loads its validators (one chunk per version; issue 14).
  await loadValidators(protocol);
  const parsed = parseFrame(raw, protocol);
  if (!parsed.ok) {
    deps.log.warn('Malformed frame', {
      stationId: station.stationId,
      code: parsed.error.code,
      reason: parsed.error.message,
      replied: parsed.replyId !== undefined,
      frameBytes: raw.length,
    });
    return {
      reply:
        parsed.replyId === undefined ? undefined : encodeCallError(parsed.replyId, parsed.error, protocol),
      errorCode: parsed.error.code,
    };
  }
  const frame = parsed.frame;
  if (frame.type !== 2 && frame.type !== 6) {
    const matched = deps.onResponse ? await deps.onResponse(frame, station) : false;
    if (!matched) {
      // OCPP-J: a response to no outstanding CALL is ignored (logged, nothing sent).
      deps.log.warn('Response for no pending call dropped', {
        stationId: station.stationId,
        messageId: frame.id,
        messageType: frame.type,
      });
    }
    return { reply: undefined };
  }

  const { id, action, payload } = frame;
  if (frame.type === 6) {
    // 2.1 SEND: never answered (part 4 §4.2.5). Validated and logged; no SEND message has a
    // handler yet (NotifyPeriodicEventStream needs OpenPeriodicEventStream, not supported).
    const problem = !STATION_SENDS[protocol].includes(action)
      ? `${action} is not a SEND message`
      : (validatePayload(protocol, action, 'Request', payload)?.message ?? 'not supported yet');
    deps.log.warn('SEND dropped', { stationId: station.stationId, messageId: id, action, reason: problem });
    return { reply: undefined, action };
  }
  const answer = (error: OcppError): Dispatched => ({
    reply: encodeCallError(id, error, protocol),
    action,
    errorCode: error.code,
  });

  const route = routeFor(deps, protocol, action);
  if (route instanceof OcppError) return answer(route);

  const invalid = validatePayload(protocol, action, 'Request', payload);
  if (invalid) {
    deps.log.warn('Invalid request payload', {
      stationId: station.stationId,
      messageId: id,
      action,
      code: invalid.code,
      reason: invalid.message,
    });
    if (action === 'SignCertificate')
      await recordInvalidSigningRequest(deps, station.stationId, protocol, invalid.message, deps.clock());
    return answer(invalid);
  }
  const outOfBounds = domainBoundsViolation(payload);
  if (outOfBounds) {
    deps.log.warn('Request payload outside domain bounds', {
      stationId: station.stationId,
      messageId: id,
      action,
      reason: outOfBounds.message,
    });
    return answer(outOfBounds);
  }

  const now = deps.clock();
  let stationItem: Promise<StationItem | undefined> | undefined;
  const events: DomainEvent[] = [];
  const afterPublish: (() => Promise<void>)[] = [];
  const afterReply: (() => Promise<void>)[] = [];
  const ctx: HandlerContext = {
    stationId: station.stationId,
    protocol,
    messageId: id,
    connectionId: station.connectionId,
    now,
    receivedAt: new Date(station.arrival?.epochMs ?? now.getTime()),
    arrival: arrivalKey(station.arrival?.epochMs ?? now.getTime(), station.arrival?.sequence),
    store: deps.store,
    config: deps.config,
    ca: deps.ca,
    log: withKeys(deps.log, { stationId: station.stationId, messageId: id, action }),
    station: () => (stationItem ??= deps.store.stations.get(station.stationId)),
    // A generic type pair is one member of the DomainEvent union (TS cannot see it).
    emit: (type, detail) => events.push({ type, detail } as DomainEvent),
    afterPublish: (write) => afterPublish.push(write),
    afterReply: (work) => afterReply.push(work),
    evseLimits: deps.evseLimits ?? new SiteAndStationLimits(deps.store),
    ...(deps.commands ? { commands: deps.commands } : {}),
    contractCertificates: deps.contractCertificates ?? new UnconfiguredContractCertificates(),
  };

  try {
    if (!route.beforeAccepted && station.registrationAtConnect !== 'Accepted') {
      const current = (await ctx.station())?.registrationStatus;
      if (current !== 'Accepted' && !(await deps.allowedBeforeAccepted?.(station.stationId, action, now))) {
        // 2.0.1 B02.FR.09 / B01.FR.10 (and the same rule for 1.6 §4.2): not accepted yet, and
        // not a message the CSMS asked for.
        return answer(
          new OcppError('SecurityError', `${action} is not allowed before BootNotification is Accepted`),
        );
      }
    }
    const response = (await route.handle(ctx, payload as never)) as object;
    const invalidResponse = validatePayload(protocol, action, 'Response', response);
    if (invalidResponse) {
      // Never send a payload that breaks the schema: this is our bug, say so loudly.
      deps.log.error('Handler produced an invalid response; answering InternalError', {
        stationId: station.stationId,
        messageId: id,
        action,
        reason: invalidResponse.message,
      });
      return answer(new OcppError('InternalError', 'Internal error'));
    }
    if (events.length > 0) await deps.events.publish(events);
    for (const write of afterPublish) await write();
    return {
      reply: encodeCallResult(id, response),
      action,
      ...(afterReply.length > 0 ? { afterReply } : {}),
    };
  } catch (error) {
    if (error instanceof OcppError) return answer(error);
    // A failure to persist or publish is never acknowledged: the station retries.
    deps.log.error('Handler failed; answering InternalError', {
      stationId: station.stationId,
      messageId: id,
      action,
      error: error as Error,
    });
    return answer(new OcppError('InternalError', 'Internal error'));
  }
}

function routeFor(deps: DispatchDeps, protocol: OcppProtocol, action: string): AnyRoute | OcppError {
  if (!isKnownAction(protocol, action)) {
    return new OcppError('NotImplemented', `Unknown action ${action} for ${protocol}`);
  }
  if (STATION_SENDS[protocol].includes(action)) {
    // 2.1 part 4 §4.2.4: an unconfirmed message; it has no Request/Response pair to answer with.
    return new OcppError('NotSupported', `${action} is sent as a SEND (message type 6), not as a CALL`);
  }
  if (!STATION_INITIATED[protocol].includes(action)) {
    return new OcppError('NotSupported', `${action} is sent by the CSMS, not by a charging station`);
  }
  const route = deps.routes[protocol][action];
  return route ?? new OcppError('NotSupported', `${action} is not supported by this CSMS yet`);
}

type LogExtra = Parameters<Log['info']> extends [unknown, ...infer Rest] ? Rest : never;

/** A logger that adds the message's keys to every line a handler writes (station, message id, action). */
function withKeys(log: Log, keys: Record<string, unknown>): Log {
  const merged = (extra: LogExtra): LogExtra => {
    const [first] = extra;
    if (first === undefined) return [keys];
    if (typeof first === 'string' || first instanceof Error) return [{ ...keys, error: first }];
    return [keys, ...(extra as Record<string, unknown>[])] as LogExtra;
  };
  return {
    debug: (message, ...extra) => log.debug(message, ...merged(extra)),
    info: (message, ...extra) => log.info(message, ...merged(extra)),
    warn: (message, ...extra) => log.warn(message, ...merged(extra)),
    error: (message, ...extra) => log.error(message, ...merged(extra)),
  };
}
