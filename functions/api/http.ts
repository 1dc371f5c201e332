/**
 * The contract every HTTP API operation follows: zod schemas for its path parameters, query string
 * and body (validated by the app before `handle` runs) and for its documented responses, so that
 * the route table is also the source of the API description (OpenAPI).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import type { Log } from '../../shared/aws/observability.js';
import type { Store } from '../../shared/store/index.js';

/** What operations may use; built once per cold start (composition.ts). */
export interface ApiDeps {
  readonly store: Store;
  readonly log: Log & Pick<Logger, 'appendKeys'>;
  readonly clock: () => Date;
}

export interface ApiResult {
  readonly status: number;
  /** Serialized as JSON; absent for 204. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface OperationInput<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
}

export interface Operation<P = unknown, Q = unknown, B = unknown> {
  /** Stable name of the operation (the OpenAPI operationId). */
  readonly id: string;
  readonly summary: string;
  /** Path parameters, already URL-decoded; their names match the route pattern's `{name}`s. */
  readonly params?: z.ZodType<P>;
  /** Query string; without a schema, any query parameter is refused. */
  readonly query?: z.ZodType<Q>;
  /** JSON body; without a schema, the body is ignored. */
  readonly body?: z.ZodType<B>;
  /** Documented success responses: status code to body schema (null: no body). */
  readonly responses: Readonly<Record<number, z.ZodType | null>>;
  handle(input: OperationInput<P, Q, B>, deps: ApiDeps): Promise<ApiResult>;
}

/** Declares an operation; the type parameters are inferred from its schemas. */
export function operation<P = undefined, Q = undefined, B = undefined>(
  op: Operation<P, Q, B>,
): Operation<P, Q, B> {
  return op;
}

export function json(status: number, body: unknown): ApiResult {
  return { status, body };
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
