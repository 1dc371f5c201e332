/**
 * Call deadlines (docs/adr/0005-command-path.md): when a CALL goes out, a message is put on the
 * deadline queue, delayed until the CALL's deadline (SQS DelaySeconds, at most 900 s). The sweep
 * function receives it at the deadline and, if the station has not answered, times the command out
 * and sends the next one at once: a silent station holds its queue for the call timeout, not until
 * the next minute sweep. The minute sweep remains the safety net (a lost message, a process that
 * stopped between posting the CALL and scheduling its deadline).
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MAX_QUEUE_DELAY_SECONDS } from '../contract.js';

/** What the deadline message carries: enough to find the CALL again. */
export interface CallDeadline {
  readonly stationId: string;
  readonly commandId: string;
  readonly messageId: string;
  /** ISO 8601. */
  readonly deadline: string;
}

export interface DeadlineTimer {
  /** Arranges for `expireCall(call)` to run at (or a little after) `call.deadline`. */
  schedule(call: CallDeadline, now: Date): Promise<void>;
}

/** Whole seconds until `deadline` (rounded up: never early), within SQS's 0 to 900. */
export function delaySecondsUntil(deadline: string, now: Date): number {
  const seconds = Math.ceil((Date.parse(deadline) - now.getTime()) / 1000);
  return Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, seconds));
}

export class SqsDeadlineTimer implements DeadlineTimer {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async schedule(call: CallDeadline, now: Date): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(call),
        DelaySeconds: delaySecondsUntil(call.deadline, now),
      }),
    );
  }
}

/** A deadline message's body, or undefined when it is not one. */
export function parseCallDeadline(body: string): CallDeadline | undefined {
  try {
    const value = JSON.parse(body) as Record<string, unknown>;
    const { stationId, commandId, messageId, deadline } = value;
    if (
      typeof stationId === 'string' &&
      typeof commandId === 'string' &&
      typeof messageId === 'string' &&
      typeof deadline === 'string' &&
      !Number.isNaN(Date.parse(deadline))
    ) {
      return { stationId, commandId, messageId, deadline };
    }
  } catch {
    // not JSON: not ours
  }
  return undefined;
}
