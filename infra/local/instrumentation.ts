/**
 * Optional instrumentation of the local host, for the benchmarks (bench/): hooks that see what a
 * deployment on AWS would bill — gateway messages, connection time, @connections calls, function
 * invocations and their durations — and a way to put a counting proxy in front of the host's
 * DynamoDB and EventBridge endpoints. Nothing here runs unless LocalHostOptions.instrumentation
 * is given: every hook is one optional call.
 */
import type { FunctionName } from '../topology.js';

/**
 * Runs one invocation of a function: must call `run` once and return (or rethrow) its outcome.
 * A wrapper can time the invocation or run it inside an AsyncLocalStorage context.
 */
export type InvocationWrapper = <T>(fn: FunctionName, event: unknown, run: () => Promise<T>) => Promise<T>;

/** What the station gateway reports; every method is optional. */
export interface GatewayObserver {
  /** A connection is open ($connect allowed it and the handshake completed). */
  connectionOpened?(connectionId: string, stationId: string): void;
  /** A connection is closed, `durationMs` after it opened. */
  connectionClosed?(connectionId: string, durationMs: number): void;
  /** A text message from a station, `bytes` of payload. */
  messageIn?(connectionId: string, bytes: number): void;
  /** A message to a station: a route response, or a PostToConnection through @connections. */
  messageOut?(connectionId: string, bytes: number, via: 'route-response' | 'post-to-connection'): void;
  /** A call of the @connections management API (POST, GET or DELETE). */
  managementCall?(method: string): void;
}

export interface HostInstrumentation {
  /** Wraps every function invocation (authorizer, connect, message, disconnect, api). */
  readonly invocations?: InvocationWrapper | undefined;
  readonly gateway?: GatewayObserver | undefined;
  /**
   * The endpoint the functions get for a service instead of the host's own, e.g. a counting
   * proxy in front of it. The host's own clients keep the real endpoint.
   */
  readonly endpoint?:
    ((service: 'dynamodb' | 'eventbridge', endpoint: string) => string | Promise<string>) | undefined;
  /**
   * Environment for the functions, applied over the host's own before they load (e.g.
   * POWERTOOLS_METRICS_DISABLED as on AWS); `undefined` removes a variable.
   */
  readonly environment?: Readonly<Record<string, string | undefined>> | undefined;
}
