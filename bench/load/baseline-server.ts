/**
 * The baselines the host is compared with, each a process of its own on loopback, speaking to the
 * same load generator on the same path (`/ocpp/{stationId}`, first offered subprotocol):
 *  - `bare`: a plain `ws` server that answers each CALL with a fixed CALLRESULT;
 *  - `validate`: the same answers, but every frame is parsed and its request validated against
 *    the official schema with the project's own parser and validators (shared/ocpp), and the
 *    answer validated before it is sent, as the message function does; nothing is stored.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { encodeCallError, encodeCallResult, parseFrame } from '../../shared/ocpp/frames.js';
import { OcppError } from '../../shared/ocpp/errors.js';
import { loadValidators, validatePayload } from '../../shared/ocpp/validation.js';
import { isProtocol, type OcppProtocol } from '../../shared/ocpp/versions.js';
import { serve } from '../lib/ipc.js';

const mode = process.argv.includes('--validate') ? 'validate' : 'bare';
const TIME = '2025-01-01T00:00:00.000Z';
const ANSWERS: Record<string, Record<string, object>> = {
  'ocpp1.6': {
    BootNotification: { status: 'Accepted', currentTime: TIME, interval: 300 },
    Heartbeat: { currentTime: TIME },
    StatusNotification: {},
    Authorize: { idTagInfo: { status: 'Accepted' } },
    StartTransaction: { transactionId: 1, idTagInfo: { status: 'Accepted' } },
    MeterValues: {},
    StopTransaction: { idTagInfo: { status: 'Accepted' } },
  },
  'ocpp2.0.1': {
    BootNotification: { status: 'Accepted', currentTime: TIME, interval: 300 },
    Heartbeat: { currentTime: TIME },
    StatusNotification: {},
    Authorize: { idTokenInfo: { status: 'Accepted' } },
    TransactionEvent: {},
    MeterValues: {},
  },
};

const server = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({
  server,
  perMessageDeflate: false,
  handleProtocols: (offered) => [...offered][0] ?? false,
});

wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
  if (!/^\/ocpp\/[^/]+$/.test(req.url ?? '')) return ws.close(1008);
  const protocol = ws.protocol;
  ws.on('message', (data: Buffer) => {
    const raw = data.toString('utf8');
    const reply = mode === 'bare' ? bare(raw, protocol) : validated(raw, protocol);
    if (reply !== undefined) ws.send(reply);
  });
});

function bare(raw: string, protocol: string): string | undefined {
  let frame: unknown[];
  try {
    frame = JSON.parse(raw) as unknown[];
  } catch {
    return undefined;
  }
  if (frame[0] !== 2) return undefined;
  return JSON.stringify([3, frame[1], ANSWERS[protocol]?.[String(frame[2])] ?? {}]);
}

function validated(raw: string, protocol: string): string | undefined {
  if (!isProtocol(protocol)) return undefined;
  const p: OcppProtocol = protocol;
  const parsed = parseFrame(raw, p);
  if (!parsed.ok)
    return parsed.replyId === undefined ? undefined : encodeCallError(parsed.replyId, parsed.error, p);
  const frame = parsed.frame;
  if (frame.type !== 2) return undefined;
  const invalid = validatePayload(p, frame.action, 'Request', frame.payload);
  if (invalid) return encodeCallError(frame.id, invalid, p);
  const answer = ANSWERS[p]?.[frame.action] ?? {};
  const invalidAnswer = validatePayload(p, frame.action, 'Response', answer);
  if (invalidAnswer) return encodeCallError(frame.id, new OcppError('InternalError', 'Internal error'), p);
  return encodeCallResult(frame.id, answer);
}

// The validators are loaded on first use in the CSMS; here, before listening (the baseline times
// only the per-message work).
for (const p of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) await loadValidators(p);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as AddressInfo).port;

let peakRss = process.memoryUsage.rss();
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 100).unref();

serve(
  {
    // Provisioning and counters: nothing to do, nothing stored.
    provision: (params: { ids: string[] }) => ({ provisioned: params.ids.length }),
    markMemory: () => (peakRss = process.memoryUsage.rss()),
    memory: () => {
      const rss = process.memoryUsage.rss();
      peakRss = Math.max(peakRss, rss);
      return { rss, peakRss, maxRss: process.resourceUsage().maxRSS * 1024 };
    },
  },
  { wsUrl: `ws://127.0.0.1:${port}/ocpp`, mode, pid: process.pid },
  async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => server.close(resolve));
  },
);
