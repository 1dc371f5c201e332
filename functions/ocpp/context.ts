/**
 * The contract between the dispatcher and the per-action handlers. A handler is
 * `(ctx, request) => Promise<response>`: no AWS imports, no framing, no reply sending.
 */
import type { Config } from '../../shared/aws/config.js';
import type { Log } from '../../shared/aws/observability.js';
import type { StationCa } from '../../shared/pki/authority.js';
import type { DomainEvent, EventDetail, EventType } from '../../shared/events/catalog.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import type { Store } from '../../shared/store/index.js';
import type { StationItem } from '../../shared/store/stations.js';
import type { CommandService } from '../../shared/calls/types.js';
import type { ContractCertificates } from '../../shared/pki/contract-certificates.js';
import type { EvseLimitSource } from './evse-limits.js';

/**
 * A store capability a handler may use: one of the Store's parts (transactions, idTokens, ...).
 * A handler declares the ones it uses as its Route's third type argument (e.g.
 * `Route<Req, Res, 'transactions' | 'idTokens'>`) and the compiler refuses it any other; a helper
 * declares its own the same way (`ctx: HandlerContext<'idTokens'>`). Without the argument a
 * handler sees the whole Store.
 */
export type StorePort = keyof Store;

export interface HandlerContext<P extends StorePort = StorePort> {
  readonly stationId: string;
  readonly protocol: OcppProtocol;
  readonly messageId: string;
  readonly connectionId: string;
  /** When the CSMS received the message: the clock of this message, for every timestamp it writes. */
  readonly now: Date;
  /** When the gateway received the message (API Gateway's requestTimeEpoch; `now` without one). */
  readonly receivedAt: Date;
  /** Sortable arrival key (shared/store/connectors.ts arrivalKey): orders ties of `receivedAt`. */
  readonly arrival: string;
  /** The store capabilities the handler declared (all of them when it declared none). */
  readonly store: Pick<Store, P>;
  readonly config: Config;
  readonly log: Log;
  /** The station CA (shared/pki); undefined where none is configured (SignCertificate: Rejected). */
  readonly ca?: StationCa | undefined;
  /** The station's registry item, read once per message (strongly consistent). */
  station(): Promise<StationItem | undefined>;
  /** Queues a domain event; the dispatcher publishes it after the handler succeeds, before replying. */
  emit<T extends EventType>(type: T, detail: EventDetail<T>): void;
  /**
   * Runs `write` after the queued events were published, before the reply. For the write that
   * marks a message as done (a replay guard): if publishing fails, the marker is not written and
   * the station's retry publishes again (events at least once, state exactly once).
   */
  afterPublish(write: () => Promise<void>): void;
  /**
   * Runs `work` after the reply went out (K15: the NotifyEVChargingNeedsResponse first, then the
   * SetChargingProfile). Failures are logged, never answered: the station has its reply.
   */
  afterReply(work: () => Promise<void>): void;
  /** How much an EVSE may draw (site allocation, or what the station reported). */
  readonly evseLimits: EvseLimitSource;
  /** The command path, for CALLs a message leads to; absent where none is wired (unit tests). */
  readonly commands?: Pick<CommandService, 'submit'>;
  /** The contract-certificate / OCSP provider (ISO 15118, M01-M06). */
  readonly contractCertificates: ContractCertificates;
}

export type Handler<Req, Res, P extends StorePort = StorePort> = (
  ctx: HandlerContext<P>,
  request: Req,
) => Promise<Res>;

export interface Route<Req, Res, P extends StorePort = StorePort> {
  readonly handle: Handler<Req, Res, P>;
  /**
   * Whether the station may send it before its BootNotification was Accepted. Only
   * BootNotification (and messages the CSMS itself triggered: NotifyReport) are
   * (2.0.1 B02.FR.09 / B01.FR.10, 1.6 §4.2 "Boot Notification").
   */
  readonly beforeAccepted?: boolean;
}

/** A version's route table: only station-initiated actions, typed by the generated method map. */
export type RouteTable<M extends { [A in keyof M]: { request: unknown; response: unknown } }> = {
  readonly [A in keyof M]?: Route<M[A]['request'], M[A]['response']>;
};

export type AnyRoute = Route<never, unknown>;

export type QueuedEvent = DomainEvent;
