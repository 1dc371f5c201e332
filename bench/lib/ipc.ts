/**
 * A small request/response protocol over the IPC channel of `child_process.fork`: every benchmark
 * participant (host under test, load generator, baseline servers) is its own process, driven by
 * bench/run.ts.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface Request {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

interface Response {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

export interface Child {
  readonly process: ChildProcess;
  /** What the child passed to `serve` when it became ready. */
  readonly info: any;
  call<T = any>(method: string, params?: unknown, timeoutMs?: number): Promise<T>;
  /** Asks the child to exit ("exit" method), then kills it if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export interface ForkOptions {
  readonly args?: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  /** Extra node flags. */
  readonly execArgv?: readonly string[];
  /** How long the child may take to call `serve`. */
  readonly readyTimeoutMs?: number;
  /** Where the child's stdout / stderr go; default inherited stderr, ignored stdout. */
  readonly stdio?: 'inherit' | 'ignore';
}

/** Forks a TypeScript module (through tsx) that calls `serve`, and waits until it is ready. */
export function forkChild(moduleUrl: URL, options: ForkOptions = {}): Promise<Child> {
  const child = fork(fileURLToPath(moduleUrl), [...(options.args ?? [])], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: options.env ?? process.env,
    stdio: options.stdio === 'inherit' ? 'inherit' : ['ignore', 'ignore', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    exited = true;
    for (const p of pending.values()) p.reject(new Error(`child exited (${code ?? signal}) during a call`));
    pending.clear();
  });

  return new Promise<Child>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${moduleUrl.pathname} did not become ready`));
    }, options.readyTimeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${moduleUrl.pathname} exited with ${code} before it was ready`));
    });
    child.on('message', (message: any) => {
      if (message?.ready) {
        clearTimeout(timer);
        resolve(handle(message.info));
        return;
      }
      const response = message as Response;
      const waiter = pending.get(response.id);
      if (!waiter) return;
      pending.delete(response.id);
      if (response.error !== undefined) waiter.reject(new Error(response.error));
      else waiter.resolve(response.result);
    });
  });

  function handle(info: unknown): Child {
    return {
      process: child,
      info,
      call(method, params, timeoutMs = 600_000) {
        if (exited) return Promise.reject(new Error('child has exited'));
        const id = nextId++;
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => {
            pending.delete(id);
            reject(new Error(`${method} timed out after ${timeoutMs} ms`));
          }, timeoutMs);
          pending.set(id, {
            resolve: (v) => {
              clearTimeout(timer);
              resolve(v);
            },
            reject: (e) => {
              clearTimeout(timer);
              reject(e);
            },
          });
          child.send({ id, method, params } satisfies Request);
        });
      },
      async stop(graceMs = 15_000) {
        if (exited) return;
        child.send({ id: 0, method: 'exit', params: undefined } satisfies Request);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      },
    };
  }
}

export type Methods = Record<string, (params: any) => unknown>;

/**
 * The child side: answers calls with `methods`; "exit" runs `onExit` and exits. Tells the parent
 * it is ready with `info`.
 */
export function serve(methods: Methods, info: unknown, onExit?: () => Promise<void>): void {
  if (!process.send) throw new Error('not started by forkChild (no IPC channel)');
  process.on('message', (message: Request) => {
    void (async () => {
      if (message.method === 'exit') {
        await onExit?.().catch(() => undefined);
        process.exit(0);
      }
      const method = methods[message.method];
      let response: Response;
      try {
        if (!method) throw new Error(`unknown method ${message.method}`);
        response = { id: message.id, result: await method(message.params) };
      } catch (error) {
        response = {
          id: message.id,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        };
      }
      process.send!(response);
    })();
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, info });
}
