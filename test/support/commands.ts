/**
 * Helpers for tests of the command path (shared/calls): a strict ocpp-rpc station that records the
 * CALLs it receives and answers them as the test says, and polling for a command's outcome (no
 * fixed sleeps in assertions).
 */
import { createRequire } from 'node:module';
import { setTimeout as delay } from 'node:timers/promises';
import type { CommandPath } from '../../shared/calls/service.js';
import type { Command } from '../../shared/calls/types.js';
import { FINAL_STATUSES } from '../../shared/calls/types.js';
import type { Harness, RpcClient } from './harness.js';

const require = createRequire(import.meta.url);
const { createRPCError } = require('ocpp-rpc') as {
  createRPCError: (type: string, message?: string, details?: Record<string, unknown>) => Error;
};

/** A CALLERROR the station answers with (ocpp-rpc sends it as [4, id, code, message, details]). */
export function callError(code: string, message = ''): Error {
  return createRPCError(code, message);
}

export interface Received {
  readonly action: string;
  readonly params: any;
}

/** How the station answers one CALL: a payload, or a promise of one (thrown errors become CALLERRORs). */
export type Answer = (params: any) => unknown;

export interface Peer {
  readonly client: RpcClient;
  readonly received: Received[];
  /** Answers by action; an action without one gets `{ status: 'Accepted' }`. */
  readonly answers: Map<string, Answer>;
  /** CALLs received and not answered yet. */
  inFlight: number;
  /** The most CALLs this station ever had unanswered at once. */
  maxInFlight: number;
}

/** Connects a strict station that records every CALL and answers it as `answers` says. */
export async function peer(
  h: Harness,
  id: string,
  protocol: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1',
  options: { password?: string | null; answers?: Map<string, Answer> } = {},
): Promise<Peer> {
  const client = await h.station(
    id,
    protocol,
    options.password === undefined ? {} : { password: options.password },
  );
  const p: Peer = {
    client,
    received: [],
    answers: options.answers ?? new Map(),
    inFlight: 0,
    maxInFlight: 0,
  };
  // ocpp-rpc: a handler registered without a method name receives every CALL.
  (client.handle as unknown as (h: (call: { method: string; params: any }) => unknown) => void)(
    async ({ method, params }) => {
      p.received.push({ action: method, params });
      p.inFlight++;
      p.maxInFlight = Math.max(p.maxInFlight, p.inFlight);
      try {
        const answer = p.answers.get(method);
        return answer ? await answer(params) : { status: 'Accepted' };
      } finally {
        p.inFlight--;
      }
    },
  );
  return p;
}

/** Polls `check` until it returns something other than undefined (or fails after `timeoutMs`). */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(25);
  }
}

/** Waits until the command is final and returns it. */
export async function outcome(commands: CommandPath, id: string, timeoutMs = 10_000): Promise<Command> {
  return waitFor(
    `command ${id} to finish`,
    async () => {
      const c = await commands.get(id);
      return c && FINAL_STATUSES.includes(c.status) ? c : undefined;
    },
    timeoutMs,
  );
}

/** Waits until the command has this status. */
export async function status(commands: CommandPath, id: string, wanted: Command['status']): Promise<Command> {
  return waitFor(`command ${id} to be ${wanted}`, async () => {
    const c = await commands.get(id);
    return c?.status === wanted ? c : undefined;
  });
}

/** A promise the test resolves when it wants the station to answer. */
export function gate(): { readonly opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}
