/**
 * Every error the HTTP API answers, mapped to a status in one place. Clients get a code and a
 * message; unknown errors become a generic 500 with the details only in the logs. Never a stack.
 */
import { z } from 'zod';
import type { Log } from '../../shared/aws/observability.js';
import {
  CommandValidationError,
  IdempotencyKeyReusedError,
  ProtocolUnknownError,
  StationNotFoundError,
  StationOfflineError,
  UnknownActionError,
} from '../../shared/calls/types.js';
import { StationExistsError } from '../../shared/store/stations.js';
import { InvalidCursorError } from '../../shared/store/table.js';
import type { ApiResult } from './http.js';

export const FieldError = z
  .object({
    path: z.string().describe('Dotted path of the field (`evses.0.id`); empty for the whole body or query.'),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });
export type FieldError = z.output<typeof FieldError>;

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.enum([
        'invalid_request',
        'unauthorized',
        'forbidden',
        'not_found',
        'method_not_allowed',
        'conflict',
        'payload_too_large',
        'unsupported_media_type',
        'headers_too_large',
        'station_offline',
        'protocol_unknown',
        'idempotency_key_reused',
        'internal',
      ]),
      message: z.string(),
      fields: z
        .array(FieldError)
        .optional()
        .describe('Present on invalid_request: what is wrong with which field.'),
    }),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.output<typeof ErrorResponse>;
type ErrorCode = ErrorResponse['error']['code'];

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly fields?: readonly FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, fields?: readonly FieldError[]) {
    super(400, 'invalid_request', message, {}, fields);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message: string) {
    // RFC 6750 §3: a 401 names the scheme the client must use.
    super(401, 'unauthorized', message, { 'www-authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends HttpError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class NotFoundError extends HttpError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super(405, 'method_not_allowed', `${path} does not accept ${method} (allowed: ${allowed.join(', ')})`, {
      allow: allowed.join(', '),
    });
  }
}

export class PayloadTooLargeError extends HttpError {
  constructor(limitBytes: number) {
    super(413, 'payload_too_large', `The request body exceeds ${limitBytes} bytes`);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(contentType: string | undefined) {
    super(
      415,
      'unsupported_media_type',
      `The request body must be JSON (content-type application/json), not ${contentType ?? 'untyped'}`,
      { accept: 'application/json' },
    );
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, code: 'conflict' | 'station_offline' | 'protocol_unknown' = 'conflict') {
    super(409, code, message);
  }
}

/**
 * An OCPP field path as the command path reports it (`/a/0/b`, `a[0].b`, `a.0.b`) in the API's
 * dotted form (`a.0.b`); '' for the payload itself.
 */
export function dottedPath(path: string): string {
  return path
    .replace(/^\(payload\)$/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .split(/[/.]/)
    .filter((s) => s !== '')
    .join('.');
}

/**
 * A payload the station's OCPP version refuses, as a 400 naming the request fields: `toField`
 * turns the OCPP field path (dotted) into the path of the request field it came from.
 */
export function commandValidationError(
  error: CommandValidationError,
  toField: (ocppPath: string) => string = (p) => p,
): BadRequestError {
  const fields = error.fields.map((f) => ({ path: toField(dottedPath(f.path)), message: f.message }));
  return new BadRequestError(
    error.message,
    fields.length > 0 ? fields : [{ path: toField(''), message: error.message }],
  );
}

const PLACES = {
  body: 'request body',
  query: 'query string',
  params: 'path',
  headers: 'request headers',
} as const;

/** Zod issues as field errors; an unknown field gets one entry of its own (operators typo names). */
export function fieldErrors(error: z.ZodError, place: keyof typeof PLACES = 'body'): FieldError[] {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({
          path: [...issue.path, key].join('.'),
          message: place === 'query' ? 'Unknown query parameter' : 'Unknown field',
        }))
      : [{ path: issue.path.map(String).join('.'), message: issue.message }],
  );
}

export function validationError(error: z.ZodError, place: keyof typeof PLACES): BadRequestError {
  return new BadRequestError(`Invalid ${PLACES[place]}`, fieldErrors(error, place));
}

/** The response for any error thrown while handling a request. */
export function errorResult(error: unknown, log: Log): ApiResult {
  const known = asHttpError(error);
  if (known) {
    const body: ErrorResponse = {
      error: {
        code: known.code,
        message: known.message,
        ...(known.fields ? { fields: [...known.fields] } : {}),
      },
    };
    return { status: known.status, body, headers: known.headers };
  }
  log.error('Unhandled error in the HTTP API', { error: error as Error });
  const body: ErrorResponse = { error: { code: 'internal', message: 'Internal error' } };
  return { status: 500, body };
}

function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof z.ZodError) return new BadRequestError('Invalid request', fieldErrors(error));
  if (error instanceof StationExistsError) return new ConflictError(error.message);
  // The command path (shared/calls): what a station cannot be sent, before anything is sent.
  if (error instanceof CommandValidationError) return commandValidationError(error);
  if (error instanceof UnknownActionError) {
    return new BadRequestError(error.message, [{ path: 'action', message: error.message }]);
  }
  if (error instanceof StationNotFoundError) return new NotFoundError(`No station ${error.stationId}`);
  if (error instanceof ProtocolUnknownError) return new ConflictError(error.message, 'protocol_unknown');
  // IETF Idempotency-Key draft §2.7: a key reused for a different request payload is a 422.
  if (error instanceof IdempotencyKeyReusedError) {
    return new HttpError(422, 'idempotency_key_reused', error.message);
  }
  if (error instanceof StationOfflineError) return new ConflictError(error.message, 'station_offline');
  if (error instanceof InvalidCursorError) {
    return new BadRequestError('Invalid query string', [{ path: 'cursor', message: error.message }]);
  }
  return undefined;
}
