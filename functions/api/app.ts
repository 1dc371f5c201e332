/**
 * The HTTP API as one function of an API Gateway HTTP API event (payload format 2.0): route,
 * authenticate, validate, run the operation, answer JSON. Every error goes through errors.ts.
 */
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import {
  BadRequestError,
  errorResult,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  validationError,
} from './errors.js';
import type { ApiDeps, ApiResult } from './http.js';
import { Authenticator, authorize, type JwtVerify, type Principal } from './principals.js';
import { matchRoute, type Route } from './router.js';

export type ApiHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

/** A missing field reads "Required" rather than "expected string, received undefined". */
const errorMap: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'Required' : undefined;

function parse<T>(schema: z.ZodType<T>, value: unknown, place: 'body' | 'query' | 'params' | 'headers'): T {
  const result = schema.safeParse(value, { error: errorMap });
  if (!result.success) throw validationError(result.error, place);
  return result.data;
}

/**
 * Largest request body the API reads. Lambda refuses invocation payloads over 6 MB (the event, with
 * headers, around the body) and API Gateway answers those itself in its own shape; below this
 * limit the client gets the documented 413. A full local list (20,000 entries) fits.
 */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;

/** application/json or any +json type (RFC 6839), parameters (charset) allowed. */
function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

function readBody(event: APIGatewayProxyEventV2, optional: boolean): unknown {
  if (event.body === undefined || event.body === '') {
    if (optional) return {};
    throw new BadRequestError('A JSON request body is required');
  }
  const contentType = event.headers['content-type'];
  if (!isJson(contentType)) throw new UnsupportedMediaTypeError(contentType);
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : undefined;
  if ((bytes?.length ?? Buffer.byteLength(event.body, 'utf8')) > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(MAX_BODY_BYTES);
  }
  const text = bytes ? bytes.toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequestError('The request body is not valid JSON');
  }
}

const NO_QUERY_PARAMETERS: Record<string, never> = {};

async function run(
  route: Route,
  params: Record<string, string>,
  event: APIGatewayProxyEventV2,
  deps: ApiDeps,
  principal: Principal | undefined,
) {
  const op = route.operation;
  const query = event.queryStringParameters ?? {};
  if (!op.query) {
    const unknown = Object.keys(query);
    if (unknown.length > 0) {
      throw new BadRequestError(
        'Invalid query string',
        unknown.map((path) => ({ path, message: 'Unknown query parameter' })),
      );
    }
  }
  return op.handle(
    {
      params: op.params ? parse(op.params, params, 'params') : undefined,
      query: op.query ? parse(op.query, query, 'query') : NO_QUERY_PARAMETERS,
      body: op.body ? parse(op.body, readBody(event, op.bodyOptional ?? false), 'body') : undefined,
      headers: op.headers ? parse(op.headers, event.headers, 'headers') : undefined,
      principal,
    },
    deps,
  );
}

/**
 * A weak ETag of a 200 body, so that a client polling a GET (the dashboard's live views) sends
 * If-None-Match and gets a bodiless 304 while nothing changed.
 */
function etagOf(body: string): string {
  return `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || `W/${t}` === etag;
  });
}

function toResult(result: ApiResult, ifNoneMatch?: string): APIGatewayProxyStructuredResultV2 {
  const headers = { 'cache-control': 'no-store', ...result.headers };
  if (result.text !== undefined) return { statusCode: result.status, headers, body: result.text };
  if (result.body === undefined) return { statusCode: result.status, headers };
  const body = JSON.stringify(result.body);
  if (ifNoneMatch !== undefined && result.status === 200) {
    const etag = etagOf(body);
    if (notModified(ifNoneMatch, etag)) return { statusCode: 304, headers: { ...headers, etag } };
    return { statusCode: 200, headers: { 'content-type': 'application/json', ...headers, etag }, body };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  };
}

export interface ApiOptions {
  /** Also accept these JWTs (the dashboard's Cognito access tokens); else API keys only. */
  readonly verifyJwt?: JwtVerify;
}

export function createApi(deps: ApiDeps, options: ApiOptions = {}): ApiHandler {
  const authenticator = new Authenticator(
    (token) => deps.store.apiKeys.verifyKey(token),
    deps.clock,
    options.verifyJwt,
  );

  return async (event) => {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    try {
      const match = matchRoute(method, path);
      let principal: Principal | undefined;
      if (!(match.kind === 'route' && match.route.public)) {
        try {
          principal = await authenticator.authenticate(event.headers.authorization);
          deps.log.appendKeys(
            principal.via === 'api-key' ? { apiKey: principal.name } : { user: principal.name },
          );
        } catch (error) {
          deps.log.warn('HTTP API request refused: no valid API key', {
            method,
            path,
            sourceIp: event.requestContext.http.sourceIp,
          });
          throw error;
        }
      }
      if (match.kind === 'not-found') throw new NotFoundError(`No route ${method} ${path}`);
      if (match.kind === 'method-not-allowed') throw new MethodNotAllowedError(method, path, match.allowed);
      if (principal) authorize(principal, method);
      const ifNoneMatch = method === 'GET' ? (event.headers['if-none-match'] ?? '') : undefined;
      return toResult(await run(match.route, match.params, event, deps, principal), ifNoneMatch);
    } catch (error) {
      return toResult(errorResult(error, deps.log));
    }
  };
}
