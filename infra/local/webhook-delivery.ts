/**
 * What EventBridge does for an API destination target, on the local host: POST the event
 * envelope to the endpoint with the connection's auth header, a 5-second timeout, retries with
 * exponential back-off and jitter on network errors, 401, 407, 409, 429 and 5xx (other answers
 * are final, as on EventBridge), until the target's retry policy (attempts, event age) is spent;
 * then the event goes to the dead-letter queue with EventBridge's message attributes.
 *
 * It runs beside station handling and never slows it: `enqueue` only appends to a bounded queue
 * per target (what overflows is dead-lettered and counted). Queued deliveries and dead letters not
 * yet consumed are saved to `{dataDir}/webhooks/deliveries.json`, so a restart loses none (one
 * in flight at a crash is sent again: at least once). The dead-letter queue is drained into the
 * consumer function the way an SQS event source mapping would (batches, partial failures).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { writeFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventEnvelope } from './event-bus.js';
import type { LocalApiDestination, LocalConnection, LocalTarget } from './event-rules.js';
import type { HostLog } from './log.js';

export interface WebhookDeliveryOptions {
  /** First retry delay; each further one doubles (with jitter). Default 1000 ms. */
  readonly retryBaseMs?: number | undefined;
  /** Longest delay between attempts. Default 60 s. */
  readonly retryMaxDelayMs?: number | undefined;
  /** Per-request timeout, as EventBridge's API destinations. Default 5000 ms. */
  readonly timeoutMs?: number | undefined;
  /** Deliveries one target may have queued, waiting for a retry or in flight. Default 10,000. */
  readonly maxQueuePerTarget?: number | undefined;
  /** Requests in flight per target. Default 8. */
  readonly concurrencyPerTarget?: number | undefined;
}

/** A message of the dead-letter queue, shaped like the SQS record a Lambda consumer receives. */
export interface DeadLetterMessage {
  readonly messageId: string;
  readonly body: string;
  readonly attributes: { readonly SentTimestamp: string; readonly ApproximateReceiveCount: string };
  readonly messageAttributes: Record<string, { stringValue: string; dataType: 'String' }>;
}

/** Takes a batch of dead letters; returns the ids it could not take (SQS batchItemFailures). */
export type DeadLetterConsumer = (messages: readonly DeadLetterMessage[]) => Promise<readonly string[]>;

export interface WebhookStats {
  delivered: number;
  retried: number;
  deadLettered: number;
  /** Dead-lettered because the target's queue was full. */
  overflowed: number;
  /** Waiting, retrying or in flight now. */
  queued: number;
}

interface Delivery {
  readonly ruleArn: string;
  readonly targetId: string;
  readonly event: EventEnvelope;
  /** Attempts made so far. */
  attempts: number;
  readonly firstAt: number;
  dueAt: number;
  lastError?: { code: string; message: string };
}

interface TargetQueue {
  readonly ready: Delivery[];
  readonly waiting: Set<Delivery>;
  readonly inFlight: Set<Delivery>;
}

/** How the delivery finds a target's endpoint and auth at send time (they can change). */
export interface TargetResolver {
  (
    ruleArn: string,
    targetId: string,
  ): { target: LocalTarget; destination: LocalApiDestination; connection: LocalConnection } | undefined;
}

const RETRYABLE = new Set([401, 407, 409, 429]);
const DLQ_BATCH = 10;

export class WebhookDelivery {
  readonly stats: WebhookStats = { delivered: 0, retried: 0, deadLettered: 0, overflowed: 0, queued: 0 };
  readonly #queues = new Map<string, TargetQueue>();
  #deadLetters: DeadLetterMessage[] = [];
  #consumer: DeadLetterConsumer | undefined;
  #draining = false;
  #timer: NodeJS.Timeout | undefined;
  #saveTimer: NodeJS.Timeout | undefined;
  #saving: Promise<void> = Promise.resolve();
  #closed = false;
  readonly #abort = new AbortController();
  readonly #tokens = new Map<string, { token: string; expiresAt: number }>();
  readonly #retryBaseMs: number;
  readonly #retryMaxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #maxQueue: number;
  readonly #concurrency: number;

  constructor(
    private readonly resolve: TargetResolver,
    private readonly log: HostLog,
    options: WebhookDeliveryOptions = {},
    /** Where queued deliveries and dead letters survive a restart; undefined: memory only. */
    private readonly file?: string | undefined,
  ) {
    this.#retryBaseMs = options.retryBaseMs ?? 1000;
    this.#retryMaxDelayMs = options.retryMaxDelayMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#maxQueue = options.maxQueuePerTarget ?? 10_000;
    this.#concurrency = options.concurrencyPerTarget ?? 8;
    this.load();
    this.#timer = setInterval(() => this.tick(), Math.max(10, Math.min(250, this.#retryBaseMs)));
    this.#timer.unref();
  }

  /** Queues an event for a rule's API destination target. Synchronous and O(1): never waits. */
  enqueue(ruleArn: string, target: LocalTarget, event: EventEnvelope): void {
    if (this.#closed) return;
    const delivery: Delivery = {
      ruleArn,
      targetId: target.id,
      event,
      attempts: 0,
      firstAt: Date.now(),
      dueAt: 0,
    };
    const queue = this.queue(ruleArn, target.id);
    if (queue.ready.length + queue.waiting.size + queue.inFlight.size >= this.#maxQueue) {
      this.stats.overflowed++;
      delivery.lastError = {
        code: 'LOCAL_QUEUE_FULL',
        message: `More than ${this.#maxQueue} deliveries queued for this target`,
      };
      this.deadLetter(delivery, 'QueueFull');
      return;
    }
    queue.ready.push(delivery);
    this.stats.queued++;
    this.pump(queue);
    this.scheduleSave();
  }

  /** Set once the consumer function is loaded; dead letters wait until then. */
  setDeadLetterConsumer(consumer: DeadLetterConsumer | undefined): void {
    this.#consumer = consumer;
    void this.drainDeadLetters();
  }

  /** Dead letters not yet taken by the consumer. */
  get pendingDeadLetters(): number {
    return this.#deadLetters.length;
  }

  /** Stops sending; what is queued or in flight is saved for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#saveTimer);
    this.#abort.abort();
    await this.#saving;
    this.saveNow();
  }

  private queue(ruleArn: string, targetId: string): TargetQueue {
    const key = `${ruleArn}|${targetId}`;
    let queue = this.#queues.get(key);
    if (!queue) {
      queue = { ready: [], waiting: new Set(), inFlight: new Set() };
      this.#queues.set(key, queue);
    }
    return queue;
  }

  private tick(): void {
    const now = Date.now();
    for (const queue of this.#queues.values()) {
      for (const delivery of queue.waiting) {
        if (delivery.dueAt <= now) {
          queue.waiting.delete(delivery);
          queue.ready.push(delivery);
        }
      }
      this.pump(queue);
    }
    void this.drainDeadLetters();
  }

  private pump(queue: TargetQueue): void {
    while (!this.#closed && queue.inFlight.size < this.#concurrency && queue.ready.length > 0) {
      const delivery = queue.ready.shift() as Delivery;
      queue.inFlight.add(delivery);
      void this.attempt(delivery).finally(() => {
        queue.inFlight.delete(delivery);
        this.pump(queue);
      });
    }
  }

  private async attempt(delivery: Delivery): Promise<void> {
    const resolved = this.resolve(delivery.ruleArn, delivery.targetId);
    if (!resolved) {
      // The rule or its target was removed: EventBridge would not deliver it either.
      this.stats.queued--;
      this.scheduleSave();
      return;
    }
    const { target, destination, connection } = resolved;
    delivery.attempts++;
    let outcome: { ok: true } | { ok: false; retry: boolean; code: string; message: string };
    try {
      const headers = await this.authHeaders(connection);
      const response = await fetch(destination.endpoint, {
        method: destination.httpMethod,
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Amazon/EventBridge/ApiDestinations',
          ...headers,
        },
        body: JSON.stringify(delivery.event),
        signal: AbortSignal.any([AbortSignal.timeout(this.#timeoutMs), this.#abort.signal]),
      });
      await response.arrayBuffer().catch(() => undefined);
      outcome = response.ok
        ? { ok: true }
        : {
            ok: false,
            retry: response.status >= 500 || RETRYABLE.has(response.status),
            code: response.status >= 500 ? 'HTTP_SERVER_ERROR' : 'HTTP_CLIENT_ERROR',
            message: `The endpoint answered HTTP ${response.status}`,
          };
    } catch (error) {
      if (this.#closed) {
        // Shutting down: not an attempt; it is saved and sent after the restart.
        delivery.attempts--;
        this.queue(delivery.ruleArn, delivery.targetId).ready.unshift(delivery);
        return;
      }
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      outcome = {
        ok: false,
        retry: true,
        code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        message: timedOut
          ? `No answer within ${this.#timeoutMs} ms`
          : `Request failed: ${(error as Error).message}`,
      };
    }
    if (outcome.ok) {
      this.stats.delivered++;
      this.stats.queued--;
      this.scheduleSave();
      return;
    }
    delivery.lastError = { code: outcome.code, message: outcome.message };
    const retries = delivery.attempts - 1;
    const age = (Date.now() - delivery.firstAt) / 1000;
    if (!outcome.retry) {
      this.stats.queued--;
      this.deadLetter(delivery, undefined);
    } else if (retries >= target.maximumRetryAttempts) {
      this.stats.queued--;
      this.deadLetter(delivery, 'MaximumRetryAttempts');
    } else if (age >= target.maximumEventAgeSeconds) {
      this.stats.queued--;
      this.deadLetter(delivery, 'MaximumEventAgeInSeconds');
    } else {
      this.stats.retried++;
      // Exponential back-off with jitter: a random delay in [d/2, d].
      const ceiling = Math.min(this.#retryMaxDelayMs, this.#retryBaseMs * 2 ** retries);
      delivery.dueAt = Date.now() + ceiling / 2 + Math.random() * (ceiling / 2);
      this.queue(delivery.ruleArn, delivery.targetId).waiting.add(delivery);
    }
    this.scheduleSave();
  }

  private async authHeaders(connection: LocalConnection): Promise<Record<string, string>> {
    const p = connection.authParameters;
    switch (connection.authorizationType) {
      case 'API_KEY':
        return { [p.ApiKeyAuthParameters?.ApiKeyName ?? '']: p.ApiKeyAuthParameters?.ApiKeyValue ?? '' };
      case 'BASIC': {
        const basic = p.BasicAuthParameters;
        const pair = `${basic?.Username ?? ''}:${basic?.Password ?? ''}`;
        return { authorization: `Basic ${Buffer.from(pair).toString('base64')}` };
      }
      case 'OAUTH_CLIENT_CREDENTIALS':
        return { authorization: `Bearer ${await this.oauthToken(connection)}` };
      default:
        return {};
    }
  }

  /** Client credentials grant, the token cached until shortly before it expires. */
  private async oauthToken(connection: LocalConnection): Promise<string> {
    const cached = this.#tokens.get(connection.arn);
    if (cached && cached.expiresAt > Date.now()) return cached.token;
    const o = connection.authParameters.OAuthParameters;
    const form = new URLSearchParams();
    for (const b of o?.OAuthHttpParameters?.BodyParameters ?? []) form.set(b.Key ?? '', b.Value ?? '');
    const client = `${o?.ClientParameters?.ClientID ?? ''}:${o?.ClientParameters?.ClientSecret ?? ''}`;
    const response = await fetch(o?.AuthorizationEndpoint ?? '', {
      method: o?.HttpMethod ?? 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(client).toString('base64')}`,
      },
      body: form.toString(),
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (!response.ok) throw new Error(`OAuth token endpoint answered HTTP ${response.status}`);
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!body.access_token) throw new Error('OAuth token endpoint gave no access_token');
    this.#tokens.set(connection.arn, {
      token: body.access_token,
      expiresAt: Date.now() + Math.max(0, (body.expires_in ?? 3600) - 30) * 1000,
    });
    return body.access_token;
  }

  private deadLetter(delivery: Delivery, exhausted: string | undefined): void {
    this.stats.deadLettered++;
    const resolved = this.resolve(delivery.ruleArn, delivery.targetId);
    const attribute = (value: string) => ({ stringValue: value, dataType: 'String' as const });
    const error = delivery.lastError ?? { code: 'UNKNOWN', message: '' };
    this.#deadLetters.push({
      messageId: randomUUID(),
      body: JSON.stringify(delivery.event),
      attributes: { SentTimestamp: String(Date.now()), ApproximateReceiveCount: '1' },
      messageAttributes: {
        RULE_ARN: attribute(delivery.ruleArn),
        TARGET_ARN: attribute(resolved?.target.arn ?? ''),
        ERROR_CODE: attribute(error.code),
        ERROR_MESSAGE: attribute(error.message),
        RETRY_ATTEMPTS: attribute(String(Math.max(0, delivery.attempts - 1))),
        ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attribute(exhausted) } : {}),
      },
    });
    this.log.warn('webhook delivery dead-lettered', {
      rule: delivery.ruleArn.split('/').pop(),
      eventId: delivery.event.id,
      errorCode: error.code,
      errorMessage: error.message,
    });
    this.scheduleSave();
    void this.drainDeadLetters();
  }

  private async drainDeadLetters(): Promise<void> {
    const consumer = this.#consumer;
    if (this.#draining || !consumer || this.#deadLetters.length === 0) return;
    this.#draining = true;
    try {
      while (this.#deadLetters.length > 0) {
        const batch = this.#deadLetters.slice(0, DLQ_BATCH);
        let failed: readonly string[];
        try {
          failed = await consumer(batch);
        } catch (error) {
          this.log.error('dead-letter consumer failed; the batch stays queued', { error });
          return; // the next tick tries again
        }
        const taken = new Set(batch.map((m) => m.messageId).filter((id) => !failed.includes(id)));
        this.#deadLetters = this.#deadLetters.filter((m) => !taken.has(m.messageId));
        this.scheduleSave();
        if (taken.size === 0) return;
      }
    } finally {
      this.#draining = false;
    }
  }

  // ---- persistence ---------------------------------------------------------------------------

  private snapshot(): string {
    const deliveries: Delivery[] = [];
    for (const q of this.#queues.values()) deliveries.push(...q.inFlight, ...q.ready, ...q.waiting);
    return JSON.stringify({ deliveries, deadLetters: this.#deadLetters });
  }

  private scheduleSave(): void {
    if (!this.file || this.#saveTimer || this.#closed) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      const file = this.file as string;
      const temporary = `${file}.tmp`;
      const text = this.snapshot();
      this.#saving = this.#saving
        .then(() => writeFile(temporary, text, { mode: 0o600 }))
        .then(() => rename(temporary, file))
        .catch((error: unknown) => this.log.error('cannot save the webhook queue', { error }));
    }, 100);
    this.#saveTimer.unref();
  }

  private saveNow(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, this.snapshot(), { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }

  private load(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    let saved: { deliveries?: Delivery[]; deadLetters?: DeadLetterMessage[] };
    try {
      saved = JSON.parse(readFileSync(this.file, 'utf8')) as typeof saved;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const delivery of saved.deliveries ?? []) {
      delivery.dueAt = 0;
      this.queue(delivery.ruleArn, delivery.targetId).ready.push(delivery);
      this.stats.queued++;
    }
    this.#deadLetters = saved.deadLetters ?? [];
  }
}
