/**
 * The local station gateway: what CloudFront + API Gateway (WebSocket API) do on AWS, in front of
 * the same four functions.
 *
 * - `/ocpp/{stationId}` upgrades, the identity moved to the query string (the CloudFront function);
 * - `$connect`: REQUEST authorizer (IAM policy), then the connect integration, whose
 *   `Sec-WebSocket-Protocol` response header is the subprotocol the handshake selects;
 * - every text message to `$default`, a one-way route: the integration's return value is not sent
 *   (replies go through @connections, docs/adr/0009-station-replies-through-connections.md);
 * - CloudFront-Viewer-Address (the station's address and port), as the front door's origin
 *   request policy forwards it;
 * - `$disconnect` once the connection is gone, with the close code and reason;
 * - the `@connections` management API (`POST|GET|DELETE /{stage}/@connections/{id}`);
 * - API Gateway's limits: 32 KB frames and 128 KB messages (close 1009), no binary frames
 *   (close 1003), idle timeout and maximum connection duration (close 1001).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import { ORIGIN_SECRET_HEADER, STATION_ID_PARAM, VIEWER_HEADERS, WEBSOCKET_STAGE } from '../topology.js';
import { FunctionError, type LocalFunction } from './lambda.js';
import { HandshakeAdmission, type AdmissionOptions } from './admission.js';
import type { GatewayObserver } from './instrumentation.js';
import type { HostLog } from './log.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '000000000000';
export const API_ID = 'local';
export const CONNECT_METHOD_ARN = `arn:aws:execute-api:${REGION}:${ACCOUNT}:${API_ID}/${WEBSOCKET_STAGE}/$connect`;
/** API Gateway WebSocket quotas. */
export const MAX_MESSAGE_BYTES = 128 * 1024;
export const MAX_FRAME_BYTES = 32 * 1024;
export const MAX_AUTHORIZER_RESULT_BYTES = 8 * 1024;
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60 * 1000;
export const DEFAULT_MAX_CONNECTION_MS = 2 * 60 * 60 * 1000;

export interface GatewayFunctions {
  readonly authorizer: LocalFunction;
  readonly connect: LocalFunction;
  readonly message: LocalFunction;
  readonly disconnect: LocalFunction;
}

export interface GatewayOptions {
  readonly log: HostLog;
  /** `127.0.0.1:PORT`, the requestContext.domainName. */
  readonly domainName: () => string;
  readonly idleTimeoutMs?: number | undefined;
  readonly maxConnectionMs?: number | undefined;
  /** Instrumentation (bench/): told about connections and messages. */
  readonly observer?: GatewayObserver | undefined;
  /** Handshakes in flight and waiting (./admission.ts); the rest get 503 + Retry-After. */
  readonly admission?: AdmissionOptions | undefined;
}

type AuthorizerContext = Record<string, string | number | boolean>;

/** requestContext of the WebSocket events (API Gateway's field names). */
export interface WebSocketRequestContext {
  routeKey: '$connect' | '$default' | '$disconnect';
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  extendedRequestId: string;
  requestTime: string;
  messageDirection: 'IN';
  stage: string;
  connectedAt: number;
  requestTimeEpoch: number;
  identity: { sourceIp: string; userAgent?: string };
  requestId: string;
  domainName: string;
  connectionId: string;
  apiId: string;
  messageId?: string;
  authorizer?: AuthorizerContext & { principalId: string };
  disconnectStatusCode?: number;
  disconnectReason?: string;
}

interface Connection extends ConnectionInfo {
  readonly ws: WebSocket;
  lastActiveAt: number;
  readonly timers: NodeJS.Timeout[];
  /** Set when the gateway closes the connection: what $disconnect reports. */
  serverClose?: { code: number; reason: string };
  /** A limit was broken: ignore whatever else arrives. */
  refused: boolean;
  /** Messages received so far: the next one's localArrivalSequence. */
  received: number;
}

/** What is known of a connection from $connect on. */
interface ConnectionInfo {
  readonly id: string;
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string | undefined;
  readonly authorizer: AuthorizerContext & { principalId: string };
}

export type AuthorizerDecision =
  | { effect: 'Allow'; authorizer: AuthorizerContext & { principalId: string } }
  | { effect: 'Deny'; retryAfterSeconds?: number }
  | { effect: 'Invalid'; problem: string };

export class WebSocketGateway {
  readonly #log: HostLog;
  readonly #domainName: () => string;
  readonly #idleTimeoutMs: number;
  readonly #maxConnectionMs: number;
  readonly #observer: GatewayObserver | undefined;
  readonly #wss: WebSocketServer;
  /** Subprotocol chosen by the connect function, per upgrade request. */
  readonly #chosenProtocol = new WeakMap<IncomingMessage, string>();
  readonly #connections = new Map<string, Connection>();
  /** Handshakes and $disconnect invocations under way (close() waits for them). */
  readonly #pending = new Set<Promise<unknown>>();
  #functions: GatewayFunctions | undefined;
  #closing = false;
  readonly #admission: HandshakeAdmission;

  constructor(options: GatewayOptions) {
    this.#log = options.log;
    this.#domainName = options.domainName;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#maxConnectionMs = options.maxConnectionMs ?? DEFAULT_MAX_CONNECTION_MS;
    this.#observer = options.observer;
    this.#admission = new HandshakeAdmission(options.admission);
    this.#wss = new WebSocketServer({
      noServer: true,
      clientTracking: false,
      maxPayload: MAX_MESSAGE_BYTES,
      perMessageDeflate: false,
      handleProtocols: (_offered, req) => this.#chosenProtocol.get(req) ?? false,
    });
    // A protocol chosen although the client offered none: API Gateway still sends the header.
    this.#wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const chosen = this.#chosenProtocol.get(req);
      if (chosen !== undefined && req.headers['sec-websocket-protocol'] === undefined) {
        headers.push(`Sec-WebSocket-Protocol: ${chosen}`);
      }
    });
  }

  /** The functions are loaded: accept connections. Until then upgrades get 503. */
  setFunctions(functions: GatewayFunctions): void {
    this.#functions = functions;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Handshakes refused with 503 because too many were under way (load shed). */
  get handshakesShed(): number {
    return this.#admission.shed;
  }

  /** `/ocpp/{stationId}` → the station id; undefined for any other path. Throws URIError on bad escapes. */
  static stationIdOf(pathname: string): string | undefined {
    const match = /^\/ocpp\/([^/]+)$/.exec(pathname);
    return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
  }

  /** Whether `pathname` is the @connections management API. */
  static isManagementPath(pathname: string): boolean {
    return pathname.startsWith(`/${WEBSOCKET_STAGE}/@connections/`);
  }

  // ---------------------------------------------------------------- $connect

  /** The main server's 'upgrade' listener. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined); // the client may reset at any time: not our error
    const handshake = this.#handshake(req, socket, head).catch((error: unknown) => {
      this.#log.error('websocket handshake failed', { error });
      refuse(socket, 500, internalError());
    });
    this.#track(handshake);
  }

  async #handshake(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const pathname = queryAt >= 0 ? rawUrl.slice(0, queryAt) : rawUrl;
    const query = queryAt >= 0 ? rawUrl.slice(queryAt + 1) : '';
    let stationId: string | undefined;
    try {
      stationId = WebSocketGateway.stationIdOf(pathname);
    } catch {
      return refuse(socket, 400, JSON.stringify({ message: 'Bad Request' }));
    }
    if (stationId === undefined) return refuse(socket, 404, JSON.stringify({ message: 'Not Found' }));
    const functions = this.#functions;
    if (!functions || this.#closing)
      return refuse(socket, 503, JSON.stringify({ message: 'Service Unavailable' }));
    const invalid = invalidHandshake(req);
    if (invalid) return refuse(socket, 400, JSON.stringify({ message: invalid }));

    // Shed load before any function runs: a storm of handshakes would otherwise time them all out.
    const slot = await this.#admission.acquire(() => socket.destroyed || !socket.readable);
    if (!slot) return; // the client gave up while waiting: nothing runs for it
    if (!slot.ok) {
      return refuse(socket, 503, JSON.stringify({ message: 'Service Unavailable' }), {
        'Retry-After': String(slot.retryAfterSeconds),
      });
    }
    try {
      await this.#admitted(req, socket, head, stationId, query, functions);
    } finally {
      slot.release();
    }
  }

  async #admitted(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    stationId: string,
    query: string,
    functions: GatewayFunctions,
  ): Promise<void> {
    const connectionId = apiGatewayId(11);
    const connectedAt = Date.now();
    const sourceIp = sourceIpOf(req);
    const userAgent = req.headers['user-agent'];
    const { headers, multiValueHeaders } = eventHeaders(req);
    const { queryStringParameters, multiValueQueryStringParameters } = eventQuery(
      new URLSearchParams(query),
      stationId,
    );
    const requestContext = this.#requestContext(
      '$connect',
      'CONNECT',
      connectionId,
      connectedAt,
      sourceIp,
      userAgent,
    );

    // Lambda REQUEST authorizer
    let decision: AuthorizerDecision;
    try {
      const policy = await functions.authorizer.invoke({
        type: 'REQUEST',
        methodArn: CONNECT_METHOD_ARN,
        headers,
        multiValueHeaders,
        queryStringParameters,
        multiValueQueryStringParameters,
        stageVariables: {},
        requestContext,
      });
      decision = evaluateAuthorizerResult(policy, CONNECT_METHOD_ARN);
    } catch (error) {
      if (error instanceof FunctionError && error.errorMessage === 'Unauthorized') {
        return refuse(socket, 401, JSON.stringify({ message: 'Unauthorized' }));
      }
      this.#log.error('authorizer failed: the handshake gets 500', { error: describeError(error) });
      return refuse(socket, 500, internalError());
    }
    if (decision.effect === 'Invalid') {
      this.#log.error('authorizer returned an invalid result: the handshake gets 500', {
        problem: decision.problem,
      });
      return refuse(socket, 500, internalError());
    }
    if (decision.effect === 'Deny') {
      // A throttled identity (failed logins): API Gateway can only say 403; here the authorizer's
      // context gives the wait, answered as 429 + Retry-After.
      if (decision.retryAfterSeconds !== undefined) {
        return refuse(socket, 429, JSON.stringify({ message: 'Too Many Requests' }), {
          'Retry-After': String(decision.retryAfterSeconds),
        });
      }
      return refuse(socket, 403, JSON.stringify({ message: 'Forbidden' }));
    }
    const authorizer = decision.authorizer;

    // The client gave up while the authorizer ran: no connection to record (nor to disconnect).
    if (socket.destroyed || !socket.readable) return;

    // $connect integration
    const context = { ...requestContext, authorizer };
    let result: unknown;
    try {
      result = await functions.connect.invoke({
        headers,
        multiValueHeaders,
        queryStringParameters,
        multiValueQueryStringParameters,
        requestContext: context,
        isBase64Encoded: false,
      });
    } catch (error) {
      this.#log.error('connect function failed: the handshake gets 500', { error: describeError(error) });
      return refuse(socket, 500, internalError());
    }
    const response = proxyResponse(result);
    if (!response) {
      this.#log.error('connect function returned no statusCode: the handshake gets 500', { result });
      return refuse(socket, 500, internalError());
    }
    if (response.statusCode < 200 || response.statusCode > 299) {
      return refuse(socket, response.statusCode, response.body ?? '');
    }

    const connection: ConnectionInfo = { id: connectionId, connectedAt, sourceIp, userAgent, authorizer };
    // The connection exists for the backend from here on: whatever happens next, $disconnect runs.
    if (socket.destroyed || !socket.readable || this.#closing) {
      if (!socket.destroyed) refuse(socket, 503, JSON.stringify({ message: 'Service Unavailable' }));
      return this.#disconnect(connection, 1006, '');
    }
    const protocol = response.headers.get('sec-websocket-protocol');
    if (protocol !== undefined) this.#chosenProtocol.set(req, protocol);

    let opened = false;
    socket.once('close', () => {
      if (!opened) void this.#disconnect(connection, 1006, '');
    });
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      opened = true;
      this.#open(ws, connection, socket);
    });
  }

  #open(ws: WebSocket, info: ConnectionInfo, socket: Duplex): void {
    const connection: Connection = {
      ...info,
      ws,
      lastActiveAt: info.connectedAt,
      timers: [],
      refused: false,
      received: 0,
    };
    this.#connections.set(connection.id, connection);
    this.#observer?.connectionOpened?.(connection.id, connection.authorizer.principalId);

    const idle = setTimeout(() => this.#closeByGateway(connection, 1001, 'Going away'), this.#idleTimeoutMs);
    const lifetime = setTimeout(
      () => this.#closeByGateway(connection, 1001, 'Going away'),
      this.#maxConnectionMs,
    );
    connection.timers.push(idle, lifetime);

    // 32 KB per frame: ws checks only the whole message, so read frame headers as they arrive
    // (before ws does: this listener goes first).
    const frames = new FrameSizeGuard(MAX_FRAME_BYTES);
    socket.prependListener('data', (chunk: Buffer) => {
      if (!connection.refused && !frames.accepts(chunk))
        this.#closeByGateway(connection, 1009, 'Message too big');
    });

    ws.on('message', (data, isBinary) => {
      if (connection.refused) return;
      if (isBinary) {
        // API Gateway refuses binary frames and disconnects with 1003.
        this.#closeByGateway(connection, 1003, 'Unsupported data');
        return;
      }
      connection.lastActiveAt = Date.now();
      idle.refresh(); // only data frames count as activity (pings are not known to)
      const text = rawDataToString(data);
      this.#observer?.messageIn?.(connection.id, Buffer.byteLength(text));
      this.#track(this.#message(connection, text, connection.received++));
    });
    ws.on('error', (error: Error & { code?: string }) => {
      // ws closes the connection itself (e.g. a message over maxPayload: 1009).
      const code =
        error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? 1009
          : error.code === 'WS_ERR_INVALID_UTF8'
            ? 1007
            : 1002;
      connection.refused = true;
      connection.serverClose ??= { code, reason: code === 1009 ? 'Message too big' : '' };
    });
    ws.on('close', (code: number, reason: Buffer) => {
      for (const timer of connection.timers) clearTimeout(timer);
      this.#connections.delete(connection.id);
      this.#observer?.connectionClosed?.(connection.id, Date.now() - connection.connectedAt);
      const reported = connection.serverClose ?? { code, reason: reason.toString('utf8') };
      this.#track(this.#disconnect(connection, reported.code, reported.reason));
    });
  }

  #closeByGateway(connection: Connection, code: number, reason: string): void {
    if (connection.serverClose) return;
    connection.refused = true;
    connection.serverClose = { code, reason };
    connection.ws.close(code, reason);
  }

  // ---------------------------------------------------------------- $default

  async #message(connection: Connection, body: string, sequence: number): Promise<void> {
    const functions = this.#functions;
    if (!functions) return;
    const requestContext = {
      ...this.#requestContext(
        '$default',
        'MESSAGE',
        connection.id,
        connection.connectedAt,
        connection.sourceIp,
        connection.userAgent,
      ),
      messageId: apiGatewayId(11),
      authorizer: connection.authorizer,
      // Not an API Gateway field: the order of arrival, which requestTimeEpoch (ms) cannot always tell.
      localArrivalSequence: sequence,
    };
    let reply: string | undefined;
    try {
      // One-way route (no route response): whatever the function returns is not sent.
      await functions.message.invoke({ requestContext, body, isBase64Encoded: false });
    } catch (error) {
      this.#log.error('message function failed: the station gets API Gateway\'s "Internal server error"', {
        connectionId: connection.id,
        error: describeError(error),
      });
      reply = JSON.stringify({
        message: 'Internal server error',
        connectionId: connection.id,
        requestId: requestContext.requestId,
      });
    }
    if (reply === undefined) return;
    if (Buffer.byteLength(reply) > MAX_MESSAGE_BYTES) {
      this.#log.error('error frame over the 128 KB message quota: not sent', {
        connectionId: connection.id,
        bytes: Buffer.byteLength(reply),
      });
      return;
    }
    if (connection.ws.readyState === WebSocket.OPEN) {
      connection.ws.send(reply);
      this.#observer?.messageOut?.(connection.id, Buffer.byteLength(reply), 'route-response');
    }
  }

  // ---------------------------------------------------------------- $disconnect

  async #disconnect(connection: ConnectionInfo, code: number, reason: string): Promise<void> {
    const functions = this.#functions;
    if (!functions) return;
    const requestContext = {
      ...this.#requestContext(
        '$disconnect',
        'DISCONNECT',
        connection.id,
        connection.connectedAt,
        connection.sourceIp,
        connection.userAgent,
      ),
      authorizer: connection.authorizer,
      disconnectStatusCode: code,
      disconnectReason: reason,
    };
    try {
      await functions.disconnect.invoke({
        headers: { Host: this.#domainName() },
        multiValueHeaders: { Host: [this.#domainName()] },
        requestContext,
        isBase64Encoded: false,
      });
    } catch (error) {
      this.#log.error('disconnect function failed', {
        connectionId: connection.id,
        error: describeError(error),
      });
    }
  }

  // ---------------------------------------------------------------- @connections

  /** `POST|GET|DELETE /{stage}/@connections/{connectionId}`; SigV4 headers are accepted unchecked. */
  async handleManagement(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = pathname.slice(`/${WEBSOCKET_STAGE}/@connections/`.length);
    let connectionId: string;
    try {
      connectionId = decodeURIComponent(raw);
    } catch {
      connectionId = '';
    }
    const error = (status: number, type: string, message: string): void =>
      writeJson(res, status, { message }, { 'x-amzn-errortype': type });
    if (connectionId === '' || connectionId.includes('/')) {
      return error(403, 'ForbiddenException', 'Forbidden');
    }
    this.#observer?.managementCall?.(req.method ?? '');
    const connection = this.#connections.get(connectionId);
    const open = connection?.ws.readyState === WebSocket.OPEN && !connection.refused;

    switch (req.method) {
      case 'POST': {
        let data: Buffer;
        try {
          data = await readBody(req, MAX_MESSAGE_BYTES);
        } catch {
          return error(413, 'PayloadTooLargeException', 'Request entity too large');
        }
        if (!connection || !open) return error(410, 'GoneException', 'GoneException');
        connection.ws.send(data.toString('utf8'));
        this.#observer?.messageOut?.(connection.id, data.length, 'post-to-connection');
        res.writeHead(200, { 'content-length': 0 }).end();
        return;
      }
      case 'GET': {
        if (!connection || !open) return error(410, 'GoneException', 'GoneException');
        writeJson(res, 200, {
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent ?? '' },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
        return;
      }
      case 'DELETE': {
        if (!connection || !open) return error(410, 'GoneException', 'GoneException');
        this.#closeByGateway(connection, 1000, '');
        res.writeHead(204).end();
        return;
      }
      default:
        return error(403, 'ForbiddenException', 'Forbidden');
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Refuses new connections, closes the open ones (1001 Going away; a client that does not
   * answer the close is dropped after a second) and waits for their $disconnect invocations.
   */
  async close(): Promise<void> {
    this.#closing = true;
    for (const connection of this.#connections.values()) {
      this.#closeByGateway(connection, 1001, 'Going away');
      setTimeout(() => connection.ws.terminate(), 1000).unref();
    }
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
    this.#wss.close();
  }

  #track(work: Promise<unknown>): void {
    this.#pending.add(work);
    const forget = (): void => void this.#pending.delete(work);
    work.then(forget, forget);
  }

  #requestContext(
    routeKey: WebSocketRequestContext['routeKey'],
    eventType: WebSocketRequestContext['eventType'],
    connectionId: string,
    connectedAt: number,
    sourceIp: string,
    userAgent: string | undefined,
  ): WebSocketRequestContext {
    const now = new Date();
    return {
      routeKey,
      eventType,
      extendedRequestId: apiGatewayId(11),
      requestTime: requestTime(now),
      messageDirection: 'IN',
      stage: WEBSOCKET_STAGE,
      connectedAt,
      requestTimeEpoch: now.getTime(),
      identity: userAgent === undefined ? { sourceIp } : { sourceIp, userAgent },
      requestId: apiGatewayId(11),
      domainName: this.#domainName(),
      connectionId,
      apiId: API_ID,
    };
  }
}

// ------------------------------------------------------------------ helpers

/**
 * IAM evaluation of a REQUEST authorizer's result for `methodArn`: an explicit Deny wins, then an
 * Allow; nothing matching is a Deny (403). A malformed result is API Gateway's 500
 * (AuthorizerConfigurationException).
 */
export function evaluateAuthorizerResult(result: unknown, methodArn: string): AuthorizerDecision {
  const misconfigured = (problem: string): AuthorizerDecision => ({ effect: 'Invalid', problem });
  if (!result || typeof result !== 'object') return misconfigured('the result is not an object');
  if (JSON.stringify(result).length > MAX_AUTHORIZER_RESULT_BYTES)
    return misconfigured('the result is over 8 KB');
  const r = result as { principalId?: unknown; policyDocument?: unknown; context?: unknown };
  if (typeof r.principalId !== 'string' || r.principalId === '')
    return misconfigured('principalId is missing');
  const statements = (r.policyDocument as { Statement?: unknown } | undefined)?.Statement;
  if (!statements || typeof statements !== 'object')
    return misconfigured('policyDocument.Statement is missing');
  const context: AuthorizerContext = {};
  if (r.context !== undefined && r.context !== null) {
    if (typeof r.context !== 'object' || Array.isArray(r.context))
      return misconfigured('context is not an object');
    for (const [key, value] of Object.entries(r.context)) {
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
        return misconfigured(`context.${key} is not a string, number or boolean`);
      }
      context[key] = value;
    }
  }
  let allowed = false;
  for (const statement of Array.isArray(statements) ? (statements as unknown[]) : [statements]) {
    const s = (statement ?? {}) as { Effect?: unknown; Action?: unknown; Resource?: unknown };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return misconfigured('a Statement has no valid Effect');
    const matches =
      anyMatches(s.Action, 'execute-api:Invoke', true) && anyMatches(s.Resource, methodArn, false);
    if (matches && s.Effect === 'Deny') {
      const wait = context.retryAfterSeconds;
      return typeof wait === 'number' && Number.isInteger(wait) && wait > 0
        ? { effect: 'Deny', retryAfterSeconds: wait }
        : { effect: 'Deny' };
    }
    if (matches) allowed = true;
  }
  if (!allowed) return { effect: 'Deny' };
  return { effect: 'Allow', authorizer: { ...context, principalId: r.principalId } };
}

function anyMatches(patterns: unknown, value: string, ignoreCase: boolean): boolean {
  const list = Array.isArray(patterns) ? (patterns as unknown[]) : [patterns];
  return list.some((pattern) => {
    if (typeof pattern !== 'string') return false;
    const regex = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.');
    return new RegExp(`^${regex}$`, ignoreCase ? 'i' : '').test(value);
  });
}

/** A Lambda proxy response: `{ statusCode, headers?, body? }`, headers looked up case-insensitively. */
function proxyResponse(
  result: unknown,
): { statusCode: number; headers: Map<string, string>; body: string | undefined } | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as { statusCode?: unknown; headers?: unknown; body?: unknown };
  if (typeof r.statusCode !== 'number' || !Number.isInteger(r.statusCode)) return undefined;
  const headers = new Map<string, string>();
  if (r.headers && typeof r.headers === 'object') {
    for (const [name, value] of Object.entries(r.headers)) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        headers.set(name.toLowerCase(), String(value));
      }
    }
  }
  return { statusCode: r.statusCode, headers, body: typeof r.body === 'string' ? r.body : undefined };
}

/** Why ws would refuse this handshake (checked before any function runs), or undefined. */
function invalidHandshake(req: IncomingMessage): string | undefined {
  if (req.method !== 'GET') return 'Invalid HTTP method';
  if (req.headers.upgrade?.toLowerCase() !== 'websocket') return 'Invalid Upgrade header';
  const key = req.headers['sec-websocket-key'];
  if (key === undefined || !/^[+/0-9A-Za-z]{22}==$/.test(key))
    return 'Missing or invalid Sec-WebSocket-Key header';
  const version = req.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'Missing or invalid Sec-WebSocket-Version header';
  const protocols = req.headers['sec-websocket-protocol'];
  if (
    protocols !== undefined &&
    !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+(\s*,\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+)*$/.test(protocols.trim())
  ) {
    return 'Invalid Sec-WebSocket-Protocol header';
  }
  return undefined;
}

/**
 * Headers as API Gateway passes them to WebSocket integrations: original names, last value in
 * `headers`, all in `multiValueHeaders`. What CloudFront sets itself cannot come from the client
 * (the origin secret, CloudFront-* headers): the gateway sets them, as the front door's origin
 * request policy forwards them: the viewer address, the protocol (https on the wss:// listener)
 * and, on TLS, the client certificate the station presented (viewer mTLS).
 */
function eventHeaders(req: IncomingMessage): {
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
} {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  const add = (name: string, value: string): void => {
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  };
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? '';
    const lower = name.toLowerCase();
    if (lower === ORIGIN_SECRET_HEADER || lower.startsWith('cloudfront-')) continue;
    if (lower === 'x-forwarded-for' || lower === 'x-forwarded-port' || lower === 'x-forwarded-proto')
      continue;
    add(name, req.rawHeaders[i + 1] ?? '');
  }
  add('X-Forwarded-For', sourceIpOf(req));
  add('CloudFront-Viewer-Address', `${sourceIpOf(req)}:${req.socket.remotePort ?? 0}`);
  add('X-Forwarded-Port', String(req.socket.localPort ?? ''));
  const tls = (req.socket as Partial<TLSSocket>).encrypted === true;
  add('X-Forwarded-Proto', tls ? 'https' : 'http');
  add(VIEWER_HEADERS.forwardedProto, tls ? 'https' : 'http');
  if (tls) {
    for (const [name, value] of Object.entries(viewerCertificateHeaders(req.socket as TLSSocket)))
      add(name, value);
  }
  return { headers, multiValueHeaders };
}

/**
 * CloudFront's viewer mTLS headers (optional mode) for the certificate the station presented on
 * this TLS connection: Present 0 without one. Not verified here: the authorizer decides.
 */
function viewerCertificateHeaders(socket: TLSSocket): Record<string, string> {
  const cert = socket.getPeerX509Certificate?.();
  if (!cert) return { [VIEWER_HEADERS.certPresent]: '0' };
  const rfc2253 = (name: string): string => name.split('\n').reverse().join(',');
  return {
    [VIEWER_HEADERS.certPresent]: '1',
    [VIEWER_HEADERS.certPem]: encodeURIComponent(cert.toString()),
    [VIEWER_HEADERS.certSerialNumber]: (cert.serialNumber.toLowerCase().match(/../g) ?? []).join(':'),
    [VIEWER_HEADERS.certSubject]: rfc2253(cert.subject),
    [VIEWER_HEADERS.certIssuer]: rfc2253(cert.issuer),
    [VIEWER_HEADERS.certValidity]:
      `NotBefore=${new Date(cert.validFrom).toISOString().replace('.000', '')};` +
      `NotAfter=${new Date(cert.validTo).toISOString().replace('.000', '')}`,
  };
}

/** The CloudFront function's rewrite: the station id from the path wins over any query parameter of that name. */
function eventQuery(
  params: URLSearchParams,
  stationId: string,
): {
  queryStringParameters: Record<string, string>;
  multiValueQueryStringParameters: Record<string, string[]>;
} {
  const queryStringParameters: Record<string, string> = {};
  const multiValueQueryStringParameters: Record<string, string[]> = {};
  for (const [name, value] of params) {
    if (name === STATION_ID_PARAM) continue;
    queryStringParameters[name] = value;
    (multiValueQueryStringParameters[name] ??= []).push(value);
  }
  queryStringParameters[STATION_ID_PARAM] = stationId;
  multiValueQueryStringParameters[STATION_ID_PARAM] = [stationId];
  return { queryStringParameters, multiValueQueryStringParameters };
}

function sourceIpOf(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '127.0.0.1';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** API Gateway style ids (connectionId, requestId, messageId): base64 of random bytes, e.g. `Ze3fiejaIAMCKhQ=`. */
export function apiGatewayId(bytes: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return randomBytes(bytes)
    .toString('base64')
    .replace(/[+/]/g, () => alphabet[randomBytes(1)[0]! % alphabet.length]!);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `09/Apr/2020:18:03:50 +0000` */
export function requestTime(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`
  );
}

function internalError(): string {
  return JSON.stringify({ message: 'Internal server error' });
}

/** Answers the upgrade request with a plain HTTP response and drops the socket. */
function refuse(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  if (socket.destroyed) return;
  const text = STATUS_CODES[status] ?? 'Unknown';
  const extra = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\n${extra}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

function rawDataToString(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof FunctionError) {
    return { functionName: error.functionName, errorType: error.errorType, errorMessage: error.errorMessage };
  }
  return { error: error instanceof Error ? error.message : String(error) };
}

function writeJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': apiGatewayId(11),
    ...headers,
  });
  res.end(text);
}

class PayloadTooLarge extends Error {}

export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => (over ? reject(new PayloadTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/**
 * Reads WebSocket frame headers from the raw byte stream (client frames are masked) and
 * reports a data frame whose payload is over `limit`. Payloads are skipped, not copied.
 */
export class FrameSizeGuard {
  #header: number[] = [];
  #skip = 0;

  constructor(private readonly limit: number) {}

  /** False once a data frame over the limit starts. */
  accepts(chunk: Buffer): boolean {
    let i = 0;
    while (i < chunk.length) {
      if (this.#skip > 0) {
        const n = Math.min(this.#skip, chunk.length - i);
        this.#skip -= n;
        i += n;
        continue;
      }
      this.#header.push(chunk[i]!);
      i++;
      const h = this.#header;
      if (h.length < 2) continue;
      const length7 = h[1]! & 0x7f;
      const masked = (h[1]! & 0x80) !== 0;
      const needed = 2 + (length7 === 126 ? 2 : length7 === 127 ? 8 : 0) + (masked ? 4 : 0);
      if (h.length < needed) continue;
      const bytes = Buffer.from(h);
      const payload =
        length7 === 126
          ? bytes.readUInt16BE(2)
          : length7 === 127
            ? Number(bytes.readBigUInt64BE(2))
            : length7;
      const opcode = h[0]! & 0x0f;
      this.#header = [];
      this.#skip = payload;
      if (opcode < 0x08 && payload > this.limit) return false;
    }
    return true;
  }
}
