/**
 * The contract between the command path and the per-action call modules (the CSMS-initiated side
 * of functions/ocpp/<version>/calls/, as the route tables are the station-initiated side). A call
 * module says, for one action of one OCPP version, typed by the generated request and response:
 * what counts as success, whether the call may be sent again after a reconnect, which station
 * messages its call lets a station that is not Accepted send, where a password hides, and what a
 * valid answer changes in stored state (with the events it is a fact of). The command path keeps
 * the queue, the lock, delivery, completion and the sweep; it never names an action.
 */
import type { DomainEvent } from '../events/catalog.js';
import type { OcppProtocol } from '../ocpp/versions.js';
import type { Store } from '../store/index.js';

export type CallOutcome = 'completed' | 'rejected';

/** The stores a call's `onResult` may write. */
export type CallPort =
  | 'availability'
  | 'certificates'
  | 'chargingProfiles'
  | 'configuration'
  | 'deviceModel'
  | 'displayMessages'
  | 'localList'
  | 'reservations';

/**
 * What a call's `onResult` may use: the stores it writes (all call ports, or the ones its spec
 * declares as CallSpec's third type argument), and the facts of the answer.
 */
export interface CallContext<P extends CallPort = CallPort> {
  readonly store: Pick<Store, P>;
  readonly stationId: string;
  readonly protocol: OcppProtocol;
  readonly commandId: string;
  /** When the answer arrived: the time of every fact written. */
  readonly now: Date;
}

/** A call that may carry a new station password (1.6 security / 2.0.1 A01.FR.02). */
export interface PasswordRule<Req, Res> {
  /** The new password the request sets, or undefined. */
  find(request: Req): string | undefined;
  /** The request with every password replaced by REDACTED (what is stored and logged). */
  redact(request: Req): Req;
  /** Where the password sits in the request: the path of a validation error. */
  readonly path: string;
  /** Whether the station took the new password (A01.FR.03: only then the old one stops working). */
  accepted(response: Res): boolean;
  /** The request that sets `password`: present on the one call a version rotates passwords with. */
  readonly request?: (password: string) => Req;
}

export interface CallSpec<Req, Res, P extends CallPort = CallPort> {
  /**
   * Whether the station may receive it twice without harm (reads, settings that set a value):
   * only such a call is sent again when the connection it went out on closed before the answer.
   * Anything else (Reset, start/stop, unlock, firmware, ...) times out instead: it may have run.
   */
  readonly repeatable: boolean;
  /** Whether a schema-valid response is a success. @default statusOutcome */
  readonly outcome?: (response: Res) => CallOutcome;
  /**
   * The station messages a station that is not Accepted may send because the CSMS sent this call
   * (2.0.1 B02.FR.02 / B02.FR.09, 1.6 §4.2 Pending: "unless requested by TriggerMessage").
   */
  readonly allows?: (request: Req, protocol: OcppProtocol) => readonly string[];
  readonly password?: PasswordRule<Req, Res>;
  /** The response as stored: values a station must never report (write-only passwords) removed. */
  readonly redactResponse?: (response: Res) => Res;
  /**
   * 1.6 calls without a requestId (GetDiagnostics, UpdateFirmware): the station's later status
   * notifications are tied to the latest command of this action.
   */
  readonly tieToLatest?: boolean;
  /**
   * What a schema-valid answer (completed or rejected) changes in the CSMS's picture of the
   * station. Idempotent (it writes the same items again). `request` is the payload as stored
   * (passwords redacted). Returns the events it is a fact of; they are published with
   * command.completed.v1.
   */
  readonly onResult?: (ctx: CallContext<P>, request: Req, response: Res) => Promise<readonly DomainEvent[]>;
}

/** The spec of action A in a version's method map. */
export type CallOf<
  M extends { [A in keyof M]: { request: unknown; response: unknown } },
  A extends keyof M,
  P extends CallPort = CallPort,
> = CallSpec<M[A]['request'], M[A]['response'], P>;

/** A version's call table: CSMS-initiated actions, typed by the generated method map. */
export type CallTable<M extends { [A in keyof M]: { request: unknown; response: unknown } }> = {
  readonly [A in keyof M]?: CallOf<M, A>;
};

type Json = Record<string, unknown>;
export type AnyCall = CallSpec<Json, Json>;
export type CallIndex = Readonly<Record<string, AnyCall | undefined>>;
/** Every version's calls, injected into the command path (as ROUTES into the dispatcher). */
export type CallCatalog = Readonly<Record<OcppProtocol, CallIndex>>;

/**
 * A table as the command path reads it. Sound because the command path hands a spec only
 * payloads that passed the same version's schema the types were generated from (requests at
 * submit, responses before `outcome` / `onResult`).
 */
export function callIndex<M extends { [A in keyof M]: { request: unknown; response: unknown } }>(
  table: CallTable<M>,
): CallIndex {
  return table as unknown as CallIndex;
}

/**
 * Response `status` values that mean the station did (or will do) what was asked. Any other
 * status (Rejected, NotSupported, Failed, UnlockFailed, Occupied, ...) makes the command
 * `rejected`; a response without a status field is `completed`.
 */
const SUCCESS = new Set([
  'Accepted',
  'RebootRequired', // 1.6 ChangeConfiguration; applied at the next reboot
  'Scheduled', // ChangeAvailability: once the running transaction ends
  'Unlocked', // UnlockConnector
  'AcceptedCanceled', // GetLog / UpdateFirmware: accepted, the previous request was cancelled
  'Unpublished', // UnpublishFirmware
]);

/** The default success rule: the response's `status`, when it has one. */
export function statusOutcome(response: object): CallOutcome {
  const status = (response as { status?: unknown }).status;
  return typeof status !== 'string' || SUCCESS.has(status) ? 'completed' : 'rejected';
}

/** The success rule of a call. */
export function outcomeOf(spec: AnyCall, response: Json): CallOutcome {
  return (spec.outcome ?? statusOutcome)(response);
}
