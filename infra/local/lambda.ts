/**
 * Invoking a Lambda handler in this process the way the Lambda service would: a fresh copy of
 * the event (JSON across the boundary), a Context, the function's timeout, a JSON result of at
 * most 6 MB. What it cannot do: freeze the process between invocations, kill a timed-out
 * invocation (its promise keeps running; its result is ignored) or isolate memory.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '../topology.js';
import type { InvocationWrapper } from './instrumentation.js';

/**
 * A Lambda handler. `never` as the event type lets any handler signature be assigned here
 * (parameters are contravariant); the invoker passes the event it built.
 */
export type Handler = (event: never, context: Context) => unknown;

type CallableHandler = (event: unknown, context: Context) => unknown;

const REGION = 'us-east-1';
const ACCOUNT = '000000000000';
/** Synchronous invocation payload quota, request and response. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** What the Lambda service reports when a function fails: the invoker sees only this. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: FunctionName,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly requestId: string,
    options?: { cause?: unknown },
  ) {
    super(`${functionName}: ${errorType}: ${errorMessage}`, options);
    this.name = 'FunctionError';
  }

  /** The function ran past its timeout (API Gateway answers these differently). */
  get timedOut(): boolean {
    return this.errorType === 'Sandbox.Timedout';
  }
}

export class LocalFunction {
  readonly #handler: CallableHandler;
  readonly #inFlight = new Set<Promise<unknown>>();
  #wrapper: InvocationWrapper | undefined;

  constructor(
    readonly name: FunctionName,
    readonly spec: FunctionSpec,
    handler: Handler,
  ) {
    this.#handler = handler as CallableHandler;
  }

  get functionName(): string {
    return `csms-${this.name}`;
  }

  /**
   * Runs the handler once. Resolves with the JSON round-trip of its result (`null` for
   * undefined); rejects with FunctionError when it throws, times out or returns what Lambda
   * could not serialize.
   */
  invoke(event: unknown): Promise<unknown> {
    const wrapper = this.#wrapper;
    const run = wrapper ? wrapper(this.name, event, () => this.#run(event)) : this.#run(event);
    this.#inFlight.add(run);
    const forget = (): void => void this.#inFlight.delete(run);
    run.then(forget, forget);
    return run;
  }

  /** Instrumentation (bench/): every later invocation runs through `wrapper`. */
  wrapInvocations(wrapper: InvocationWrapper | undefined): void {
    this.#wrapper = wrapper;
  }

  /** Settles when every invocation started so far has finished (or timed out). */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  async #run(event: unknown): Promise<unknown> {
    const requestId = randomUUID();
    const fail = (errorType: string, errorMessage: string, cause?: unknown): FunctionError =>
      new FunctionError(this.name, errorType, errorMessage, requestId, { cause });

    const payload = JSON.stringify(event ?? null);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      throw fail(
        'RequestTooLargeException',
        'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
      );
    }
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    const context = this.#context(requestId, deadline);

    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            fail('Sandbox.Timedout', `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`),
          ),
        timeoutMs,
      );
    });
    let result: unknown;
    try {
      result = await Promise.race([
        Promise.resolve().then(() => this.#handler(JSON.parse(payload), context)),
        timeout,
      ]);
    } catch (error) {
      if (error instanceof FunctionError) throw error;
      const type = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      throw fail(type, message, error);
    } finally {
      clearTimeout(timer);
    }

    let serialized: string | undefined;
    try {
      serialized = JSON.stringify(result ?? null);
    } catch (error) {
      throw fail('Runtime.MarshalError', 'Unable to marshal response', error);
    }
    if (Buffer.byteLength(serialized) > MAX_PAYLOAD_BYTES) {
      throw fail(
        'Function.ResponseSizeTooLarge',
        'Response payload size exceeded maximum allowed payload size (6291556 bytes).',
      );
    }
    return JSON.parse(serialized) as unknown;
  }

  #context(awsRequestId: string, deadline: number): Context {
    const unsupported = (): never => {
      throw new Error('context.done/fail/succeed are not supported: return or throw from the handler');
    };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName: this.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${this.functionName}`,
      memoryLimitInMB: String(this.spec.memoryMb),
      awsRequestId,
      logGroupName: `/aws/lambda/${this.functionName}`,
      logStreamName: `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
    };
  }
}

/** The repository root, where topology entry paths start. */
const REPOSITORY_ROOT = new URL('../../', import.meta.url);

/**
 * Imports a function's entry module (topology FUNCTIONS) and returns its `handler`. Call only
 * after the environment the functions read has been set: modules read it when they load.
 */
export async function loadFunction(
  name: FunctionName,
  spec: FunctionSpec = FUNCTIONS[name],
): Promise<LocalFunction> {
  const module = (await import(new URL(spec.entry, REPOSITORY_ROOT).href)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new Error(`${spec.entry} does not export a function named "handler"`);
  }
  return new LocalFunction(name, spec, module.handler as Handler);
}
