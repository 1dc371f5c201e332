/**
 * Admission control for WebSocket handshakes on the local host. A handshake costs an authorizer
 * invocation (a scrypt check: ~20 ms of CPU) and a $connect; a fleet reconnecting at once
 * (issue 7: 1,000 stations after a restart) would otherwise start them all together, starve the
 * event loop and the HTTP API, and time every one of them out. Instead at most `limit` run at
 * once, up to `queueLimit` more wait for a slot, and the rest are refused at once with
 * 503 + Retry-After: stations retry with back-off and come in at the rate the machine can serve.
 * A waiting handshake whose client has given up is dropped without running anything.
 */
import os from 'node:os';

export interface AdmissionOptions {
  /**
   * Most handshakes running at once. Default: 4 per core. A handshake waits on the table too, so
   * one per core can leave the cores idle; many more starve the event loop that serves the open
   * connections and the HTTP API. Within it the limit adapts (below).
   */
  readonly limit?: number | undefined;
  /**
   * The limit adapts to the machine (additive increase, multiplicative decrease): a handshake
   * slower than this lowers it, a faster one raises it. Default 2 s: a loaded machine (other
   * processes, a slow table) admits fewer at a time instead of timing them all out.
   */
  readonly targetMs?: number | undefined;
  /** Handshakes waiting for a slot before new ones are refused. Default: 8 × limit. */
  readonly queueLimit?: number | undefined;
  /** A handshake waiting longer than this is refused (503) before its client times out. Default 5 s. */
  readonly maxWaitMs?: number | undefined;
}

export type Admitted = { readonly ok: true; readonly release: () => void };
export type Refused = { readonly ok: false; readonly retryAfterSeconds: number };

interface Waiter {
  readonly gone: () => boolean;
  readonly resolve: (outcome: Admitted | Refused | undefined) => void;
  readonly timer: NodeJS.Timeout;
}

export class HandshakeAdmission {
  /** The most handshakes that may run at once. */
  readonly maxLimit: number;
  readonly targetMs: number;
  readonly queueLimit: number;
  /** The current limit, between 1 and maxLimit. */
  #limit: number;
  readonly maxWaitMs: number;
  #running = 0;
  readonly #queue: Waiter[] = [];
  /** Mean handshake time (exponentially weighted), for Retry-After. */
  #meanMs = 50;
  #shed = 0;

  constructor(options: AdmissionOptions = {}) {
    this.maxLimit = Math.max(1, options.limit ?? 4 * os.availableParallelism());
    this.#limit = Math.max(1, Math.min(this.maxLimit, os.availableParallelism()));
    this.targetMs = options.targetMs ?? 2_000;
    this.queueLimit = Math.max(0, options.queueLimit ?? 8 * this.maxLimit);
    this.maxWaitMs = options.maxWaitMs ?? 5_000;
  }

  /** Handshakes refused so far (503). */
  get shed(): number {
    return this.#shed;
  }

  /**
   * A slot, at once or after waiting; `undefined` when the client went away while waiting
   * (`gone()` is asked before the slot is handed over); Refused when the queue is full.
   */
  async acquire(gone: () => boolean): Promise<Admitted | Refused | undefined> {
    if (this.#running < Math.floor(this.#limit) && this.#queue.length === 0) return this.#grant();
    if (this.#queue.length >= this.queueLimit) {
      this.#dropGone();
      if (this.#queue.length >= this.queueLimit) {
        this.#shed++;
        return { ok: false, retryAfterSeconds: this.#retryAfterSeconds() };
      }
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        gone,
        resolve,
        timer: setTimeout(() => {
          const at = this.#queue.indexOf(waiter);
          if (at < 0) return;
          this.#queue.splice(at, 1);
          this.#shed++;
          resolve({ ok: false, retryAfterSeconds: this.#retryAfterSeconds() });
        }, this.maxWaitMs),
      };
      this.#queue.push(waiter);
    });
  }

  #grant(): Admitted {
    this.#running++;
    const started = performance.now();
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.#running--;
        const ms = performance.now() - started;
        this.#meanMs = 0.9 * this.#meanMs + 0.1 * ms;
        this.#limit =
          ms > this.targetMs
            ? Math.max(1, this.#limit * 0.9)
            : Math.min(this.maxLimit, this.#limit + 1 / this.#limit);
        this.#next();
      },
    };
  }

  #next(): void {
    while (this.#running < Math.floor(this.#limit) && this.#queue.length > 0) {
      const waiter = this.#queue.shift()!;
      clearTimeout(waiter.timer);
      if (waiter.gone()) waiter.resolve(undefined);
      else waiter.resolve(this.#grant());
    }
  }

  #dropGone(): void {
    for (let i = this.#queue.length - 1; i >= 0; i--) {
      const waiter = this.#queue[i]!;
      if (waiter.gone()) {
        this.#queue.splice(i, 1);
        clearTimeout(waiter.timer);
        waiter.resolve(undefined);
      }
    }
  }

  /** About how long the work already waiting takes (at least 1 s, at most a minute). */
  #retryAfterSeconds(): number {
    const drainMs = ((this.#queue.length + this.#running) * this.#meanMs) / Math.floor(this.#limit);
    return Math.min(60, Math.max(1, Math.ceil(drainMs / 1000)));
  }
}
