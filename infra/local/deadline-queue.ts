/**
 * The local call-deadline queue (topology DEADLINE_QUEUE): an SQS SendMessage endpoint (AWS JSON
 * 1.0, what the SDK speaks) on loopback. Each message is delivered after its DelaySeconds — one
 * timer per message, as SQS does — to a consumer, as the Records of an SQS event (batch of one).
 * Only SendMessage: the functions never receive or delete themselves (the event source mapping does
 * that on AWS).
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEADLINE_QUEUE } from '../topology.js';
import { closeServer } from './dynamodb.js';
import { ACCOUNT, REGION } from './event-bus.js';

export const DEADLINE_QUEUE_NAME = 'csms-call-deadlines';
/** SQS's largest message. */
const MAX_BODY_BYTES = 256 * 1024;

/** What an SQS event source mapping hands to a function. */
export interface SqsEvent {
  readonly Records: readonly {
    readonly messageId: string;
    readonly receiptHandle: string;
    readonly body: string;
    readonly attributes: Record<string, string>;
    readonly messageAttributes: Record<string, never>;
    readonly md5OfBody: string;
    readonly eventSource: 'aws:sqs';
    readonly eventSourceARN: string;
    readonly awsRegion: string;
  }[];
}

export interface LocalDeadlineQueue {
  readonly port: number;
  /** For CSMS_DEADLINE_QUEUE_URL (the SDK posts to the queue URL's origin). */
  readonly queueUrl: string;
  /** Messages waiting for their delay. */
  readonly pending: number;
  /** Stops the timers (undelivered messages are dropped, as on a deleted queue) and the server. */
  close(): Promise<void>;
}

export async function startDeadlineQueue(options: {
  readonly consume: (event: SqsEvent) => Promise<unknown>;
  readonly onError: (error: unknown) => void;
  /** 0 or undefined picks a free port. */
  readonly port?: number | undefined;
}): Promise<LocalDeadlineQueue> {
  const timers = new Set<NodeJS.Timeout>();
  const arn = `arn:aws:sqs:${REGION}:${ACCOUNT}:${DEADLINE_QUEUE_NAME}`;

  const sendMessage = (request: Record<string, unknown>): Record<string, string> => {
    const body = request.MessageBody;
    if (typeof body !== 'string' || body === '' || Buffer.byteLength(body) > MAX_BODY_BYTES) {
      throw new QueueError('InvalidParameterValue', 'MessageBody must be 1 byte to 256 KB');
    }
    const delay = request.DelaySeconds ?? 0;
    if (
      typeof delay !== 'number' ||
      !Number.isInteger(delay) ||
      delay < 0 ||
      delay > DEADLINE_QUEUE.maxDelaySeconds
    ) {
      throw new QueueError('InvalidParameterValue', 'DelaySeconds must be an integer from 0 to 900');
    }
    const messageId = randomUUID();
    const md5 = createHash('md5').update(body).digest('hex');
    const timer = setTimeout(() => {
      timers.delete(timer);
      const event: SqsEvent = {
        Records: [
          {
            messageId,
            receiptHandle: randomUUID(),
            body,
            attributes: { SentTimestamp: String(Date.now() - delay * 1000), ApproximateReceiveCount: '1' },
            messageAttributes: {},
            md5OfBody: md5,
            eventSource: 'aws:sqs',
            eventSourceARN: arn,
            awsRegion: REGION,
          },
        ],
      };
      options.consume(event).catch(options.onError);
    }, delay * 1000);
    timer.unref();
    timers.add(timer);
    return { MessageId: messageId, MD5OfMessageBody: md5 };
  };

  const server = createServer((req, res) => void handle(req, res, sendMessage));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    queueUrl: `http://127.0.0.1:${port}/${ACCOUNT}/${DEADLINE_QUEUE_NAME}`,
    get pending() {
      return timers.size;
    },
    close: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      return (closed ??= closeServer(server));
    },
  };
}

class QueueError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  sendMessage: (request: Record<string, unknown>) => unknown,
): Promise<void> {
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  };
  try {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > 2 * MAX_BODY_BYTES)
        throw new QueueError('InvalidParameterValue', 'Request is too large', 413);
      chunks.push(chunk);
    }
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'AmazonSQS.SendMessage') {
      throw new QueueError(
        'UnsupportedOperation',
        `The local deadline queue serves only SendMessage, not ${String(target)}`,
      );
    }
    let request: unknown;
    try {
      request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new QueueError('InvalidParameterValue', 'Request body is not valid JSON');
    }
    send(200, sendMessage((request ?? {}) as Record<string, unknown>));
  } catch (error) {
    if (error instanceof QueueError)
      send(error.status, { __type: `com.amazonaws.sqs#${error.type}`, message: error.message });
    else send(500, { __type: 'com.amazonaws.sqs#InternalError', message: String(error) });
  }
}
