/**
 * A partner's webhook endpoint on 127.0.0.1: records every request (headers and the parsed
 * envelope) and answers what `respond` says (200 by default; `'hang'` never answers).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly headers: IncomingMessage['headers'];
  readonly body: any;
  readonly status: number | 'hang';
}

export interface Receiver {
  readonly url: string;
  /** Every request, in arrival order, whatever was answered. */
  readonly requests: ReceivedRequest[];
  /** Envelopes answered with 2xx. */
  delivered(): any[];
  respond: (request: { index: number; body: any }) => number | 'hang';
  close(): Promise<void>;
}

export async function startReceiver(
  respond: Receiver['respond'] = () => 200,
  path = '/hooks',
  port = 0,
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const receiver: Receiver = {
    url: '',
    requests,
    delivered: () =>
      requests.filter((r) => typeof r.status === 'number' && r.status < 300).map((r) => r.body),
    respond,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      const status = receiver.respond({ index: requests.length, body });
      requests.push({ headers: req.headers, body, status });
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  Object.assign(receiver, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}` });
  return receiver;
}
