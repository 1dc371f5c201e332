/**
 * The contract every HTTP API operation follows: zod schemas for its path parameters, query string
 * and body (validated by the app before `handle` runs) and for its documented responses, so that
 * the route table is also the source of the API description (OpenAPI).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import type { Log } from '../../shared/aws/observability.js';
import type { CommandService } from '../../shared/calls/types.js';
import type { EventSink } from '../../shared/events/publisher.js';
import type { RolloutExecutions } from '../rollout/executions.js';
import type { Store } from '../../shared/store/index.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import type { StationCa } from '../../shared/pki/authority.js';
import type { CursorSigner } from './cursors.js';
import type { WebhookControlPlane } from '../../shared/webhooks/control-plane.js';

/** What the webhook routes need besides the table (functions/api/webhooks.ts). */
export interface WebhookDeps {
  readonly controlPlane: WebhookControlPlane;
  /** Publishes the test event. */
  readonly events: EventSink;
  /** Most subscriptions accepted (409 beyond). */
  readonly limit: number;
  /** http:// endpoints on loopback are accepted (local host only). */
  readonly allowLoopbackHttp: boolean;
}
import type { Principal } from './principal.js';

/** What operations may use; built once per cold start (composition.ts). */
export interface ApiDeps {
  readonly store: Store;
  /** The one command path to stations (shared/calls), password rotation included. */
  readonly commands: CommandService;
  /** Closes a station's WebSocket connection (API Gateway @connections DELETE). */
  readonly connections: { close(connectionId: string): Promise<void> };
  readonly log: Log & Pick<Logger, 'appendKeys'>;
  readonly clock: () => Date;
  /** Signs and checks pagination cursors (cursors.ts). */
  readonly cursors: CursorSigner;
  /** The station CA (shared/pki); undefined where none is configured. */
  readonly ca?: StationCa | undefined;
  /** Absent where the webhook infrastructure is not deployed: those routes then fail (500). */
  readonly webhooks?: WebhookDeps | undefined;
  /** Firmware rollouts: the bus their events go to and the state machine; absent when not deployed. */
  readonly rollouts?: { readonly events: EventSink; readonly executions: RolloutExecutions } | undefined;
  /** Site load management (functions/sites); absent: the site routes fail (500). */
  readonly sites?: SiteApiDeps | undefined;
}

/** What the site routes need besides the table (functions/api/sites.ts). */
export interface SiteApiDeps {
  /** Recomputes a site now, under its lease (functions/sites/service.ts). */
  recompute(siteId: string): Promise<void>;
  /** A station's minimum charging rate in A (what it reported, else the default). */
  minimumAmps(stationId: string, protocol: OcppProtocol | undefined): Promise<number>;
}

export interface ApiResult {
  readonly status: number;
  /** Serialized as JSON; absent for 204. */
  readonly body?: unknown;
  /** A text body sent as it is (instead of `body`), with the content-type in `headers`. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface OperationInput<P, Q, B, H = undefined> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly headers: H;
  /** Who is calling; undefined on public routes. */
  readonly principal?: Principal | undefined;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A route of the HTTP API (the table is functions/api/router.ts; openapi.ts documents it). */
export interface Route {
  readonly method: HttpMethod;
  /** Literal segments and `{name}` parameters, e.g. `/v1/stations/{id}`. */
  readonly path: string;
  readonly operation: Operation;
  /** Served without an API key. */
  readonly public?: boolean;
}

export interface Operation<P = unknown, Q = unknown, B = unknown, H = unknown> {
  /** Stable name of the operation (the OpenAPI operationId). */
  readonly id: string;
  readonly summary: string;
  /** Path parameters, already URL-decoded; their names match the route pattern's `{name}`s. */
  readonly params?: z.ZodType<P>;
  /** Query string; without a schema, any query parameter is refused. */
  readonly query?: z.ZodType<Q>;
  /** JSON body; without a schema, the body is ignored. */
  readonly body?: z.ZodType<B>;
  /** A request without a body is taken as `{}` (else it is a 400). */
  readonly bodyOptional?: boolean;
  /**
   * Request headers the operation reads, by lower-case name (API Gateway and the local host
   * lower-case them). Not strict: every request carries headers the operation does not read.
   */
  readonly headers?: z.ZodType<H>;
  /** Documented success responses: status code to body schema (null: no body). */
  readonly responses: Readonly<Record<number, z.ZodType | null>>;
  /** Longer explanation for the API description (markdown). */
  readonly description?: string;
  /** When the operation answers 409, for the API description. */
  readonly conflicts?: string;
  /** Media type of the success responses when not JSON (their schema is then a string). */
  readonly produces?: string;
  handle(input: OperationInput<P, Q, B, H>, deps: ApiDeps): Promise<ApiResult>;
}

/** Declares an operation; the type parameters are inferred from its schemas. */
export function operation<P = undefined, Q = undefined, B = undefined, H = undefined>(
  op: Operation<P, Q, B, H>,
): Operation<P, Q, B, H> {
  return op;
}

export function json(status: number, body: unknown, headers?: Readonly<Record<string, string>>): ApiResult {
  return headers ? { status, body, headers } : { status, body };
}

export const noContent: ApiResult = { status: 204 };

// ---- schemas shared by several resources -----------------------------------------------------

/** limit and cursor of every list operation. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('Page size, 1 to 100 (default 50).'),
  cursor: z
    .string()
    .min(1)
    .optional()
    .describe('The nextCursor of the previous page; omit for the first page.'),
};

/** A query flag: `true` or `false` (query strings carry text). */
export function booleanQuery(description: string) {
  return z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe(description);
}

/** `{items, nextCursor}`: nextCursor is null on the last page. */
export function page<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z
      .string()
      .nullable()
      .describe(
        'Pass as `cursor` to get the next page; null when there is none. A page may be shorter than limit.',
      ),
  });
}
