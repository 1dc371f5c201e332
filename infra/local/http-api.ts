/**
 * The local HTTP API: what API Gateway's HTTP API does with the `ANY /v1/{proxy+}` route and a
 * Lambda proxy integration, payload format 2.0. Authorization is the api function's business.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { FunctionError, type LocalFunction } from './lambda.js';
import type { HostLog } from './log.js';
import { apiGatewayId, readBody, requestTime } from './gateway.js';

export const ACCOUNT = '000000000000';
export const API_ID = 'local';
/** HTTP API payload quota. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const PROXY_ROUTE_KEY = 'ANY /v1/{proxy+}';
const PROXY_PREFIX = '/v1/';

/** API Gateway HTTP API payload format 2.0 event. */
export interface HttpApiEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  cookies?: string[];
  headers: Record<string, string>;
  queryStringParameters?: Record<string, string>;
  pathParameters?: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: {
    accountId: string;
    apiId: string;
    domainName: string;
    domainPrefix: string;
    http: { method: string; path: string; protocol: string; sourceIp: string; userAgent: string };
    requestId: string;
    routeKey: string;
    stage: string;
    time: string;
    timeEpoch: number;
  };
}

export interface HttpApiOptions {
  readonly log: HostLog;
  /** `127.0.0.1:PORT`. */
  readonly domainName: () => string;
}

export class HttpApi {
  readonly #log: HostLog;
  readonly #domainName: () => string;
  #fn: LocalFunction | undefined;

  constructor(options: HttpApiOptions) {
    this.#log = options.log;
    this.#domainName = options.domainName;
  }

  /** The api function; undefined answers 503 (starting or stopping). */
  setFunction(fn: LocalFunction | undefined): void {
    this.#fn = fn;
  }

  /** Whether this path is routed to the api function. */
  static matches(pathname: string): boolean {
    return pathname.startsWith(PROXY_PREFIX) && pathname.length > PROXY_PREFIX.length;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const fn = this.#fn;
    if (!fn) return writeJson(res, 503, { message: 'Service Unavailable' });
    let body: Buffer;
    try {
      body = await readBody(req, MAX_BODY_BYTES);
    } catch {
      // API Gateway answers this itself ({"message": ...}); the local host answers in the API's
      // documented shape, which the api function also uses for bodies over its own lower limit.
      return writeJson(res, 413, {
        error: { code: 'payload_too_large', message: `The request body exceeds ${MAX_BODY_BYTES} bytes` },
      });
    }
    const event = this.#event(req, body);
    let result: unknown;
    try {
      result = await fn.invoke(event);
    } catch (error) {
      if (error instanceof FunctionError && error.timedOut) {
        this.#log.error('api function timed out: 503', { errorMessage: error.errorMessage });
        return writeJson(res, 503, { message: 'Service Unavailable' });
      }
      this.#log.error('api function failed: 500', {
        error:
          error instanceof FunctionError
            ? { errorType: error.errorType, errorMessage: error.errorMessage }
            : String(error),
      });
      return writeJson(res, 500, { message: 'Internal Server Error' });
    }
    const response = interpretResult(result);
    if (!response) {
      this.#log.error('api function returned a malformed response: 500', { result });
      return writeJson(res, 500, { message: 'Internal Server Error' });
    }
    for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
    if (response.cookies.length > 0) res.setHeader('set-cookie', response.cookies);
    res.setHeader('apigw-requestid', event.requestContext.requestId);
    res.statusCode = response.statusCode;
    res.end(response.body);
  }

  #event(req: IncomingMessage, body: Buffer): HttpApiEventV2 {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl;
    const rawQueryString = queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '';
    const now = new Date();
    const headers: Record<string, string> = {};
    let cookies: string[] | undefined;
    for (const [name, values] of Object.entries(req.headersDistinct)) {
      if (!values) continue;
      if (name === 'cookie') {
        cookies = values.flatMap((v) => v.split(';').map((c) => c.trim())).filter((c) => c !== '');
        continue;
      }
      headers[name] = values.join(',');
    }
    const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${sourceIp}`
      : sourceIp;
    headers['x-forwarded-port'] = String(req.socket.localPort ?? '');
    headers['x-forwarded-proto'] = 'http';

    const queryStringParameters: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[name] =
        name in queryStringParameters ? `${queryStringParameters[name]},${value}` : value;
    }
    let proxy = rawPath.slice(PROXY_PREFIX.length);
    try {
      proxy = decodeURIComponent(proxy);
    } catch {
      // keep it raw, as sent
    }
    const domainName = this.#domainName();
    const hasBody = body.length > 0;
    const asText = hasBody && isTextContent(headers['content-type']);
    return {
      version: '2.0',
      routeKey: PROXY_ROUTE_KEY,
      rawPath,
      rawQueryString,
      ...(cookies ? { cookies } : {}),
      headers,
      ...(Object.keys(queryStringParameters).length > 0 ? { queryStringParameters } : {}),
      pathParameters: { proxy },
      ...(hasBody ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: hasBody && !asText,
      requestContext: {
        accountId: ACCOUNT,
        apiId: API_ID,
        domainName,
        domainPrefix: domainName.split('.')[0] ?? domainName,
        http: {
          method: req.method ?? 'GET',
          path: rawPath,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp,
          userAgent: req.headers['user-agent'] ?? '',
        },
        requestId: apiGatewayId(11),
        routeKey: PROXY_ROUTE_KEY,
        stage: '$default',
        time: requestTime(now),
        timeEpoch: now.getTime(),
      },
    };
  }
}

/** Text bodies reach the function as UTF-8; anything else base64-encoded. */
function isTextContent(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type.endsWith('+json') ||
    type === 'application/xml' ||
    type.endsWith('+xml') ||
    type === 'application/javascript' ||
    type === 'application/x-www-form-urlencoded'
  );
}

interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/**
 * Payload format 2.0 responses: `{ statusCode, headers?, cookies?, body?, isBase64Encoded? }`, or
 * anything without a statusCode, which is a 200 JSON body (a string as is, else its JSON).
 */
export function interpretResult(result: unknown): HttpResponse | undefined {
  const isResponse = result !== null && typeof result === 'object' && 'statusCode' in result;
  if (!isResponse) {
    const body = typeof result === 'string' ? result : JSON.stringify(result);
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      cookies: [],
      body: Buffer.from(body),
    };
  }
  const r = result as {
    statusCode?: unknown;
    headers?: unknown;
    cookies?: unknown;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  if (
    typeof r.statusCode !== 'number' ||
    !Number.isInteger(r.statusCode) ||
    r.statusCode < 100 ||
    r.statusCode > 599
  ) {
    return undefined;
  }
  const headers: Record<string, string> = {};
  if (r.headers !== undefined && r.headers !== null) {
    if (typeof r.headers !== 'object') return undefined;
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
        return undefined;
      headers[name.toLowerCase()] = String(value);
    }
  }
  const cookies = Array.isArray(r.cookies) ? r.cookies.filter((c): c is string => typeof c === 'string') : [];
  let body = Buffer.alloc(0);
  if (r.body !== undefined && r.body !== null) {
    if (typeof r.body !== 'string') return undefined;
    body = r.isBase64Encoded === true ? Buffer.from(r.body, 'base64') : Buffer.from(r.body);
  }
  return { statusCode: r.statusCode, headers, cookies, body };
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * The server's answer to a request it cannot parse (the 'clientError' event): Node would answer
 * 431 (headers or query string over its limit) or 400 with an empty body; clients get the API's
 * documented error shape instead.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const text = JSON.stringify({
    error: tooLarge
      ? { code: 'headers_too_large', message: 'The request headers or query string are too large' }
      : { code: 'invalid_request', message: 'The request is not valid HTTP' },
  });
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
      'content-type: application/json\r\n' +
      `content-length: ${Buffer.byteLength(text)}\r\n` +
      'connection: close\r\n\r\n' +
      text,
  );
}
