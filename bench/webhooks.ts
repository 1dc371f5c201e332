/**
 * Benchmark: partner webhook delivery on the local host (infra/local/webhook-delivery.ts).
 *
 * 1. Throughput: one subscription to every event, a receiver answering 200 at once on loopback;
 *    events published through PutEvents (the functions' publisher) as fast as the bus takes them;
 *    events delivered per second from the first PutEvents to the last delivery.
 * 2. Station latency while a partner is down: one 1.6 station sends StatusNotifications (each
 *    publishes connector.status-changed.v1) one after the other; the round trip's p50 / p99 with
 *    no subscription, with a subscription whose endpoint refuses connections, and with one that
 *    accepts and never answers (every request runs into the 5 s timeout, then retries).
 *
 * Runs in the bench process (receivers too: they do almost nothing). `npm run bench -- --only=webhooks`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { startLocalHost, type LocalHost } from '../infra/local/host.js';
import { EventBridgePublisher } from '../shared/events/publisher.js';
import type { DomainEvent } from '../shared/events/catalog.js';
import { percentile } from './lib/stats.js';
import { LeanStation } from './load/station.js';

export interface WebhookBenchOptions {
  readonly events: number;
  readonly calls: number;
}

export interface WebhookBenchResult {
  readonly events: number;
  readonly deliveredPerSecond: number;
  readonly publishedPerSecond: number;
  readonly station: {
    readonly condition: string;
    readonly p50: number;
    readonly p99: number;
    readonly calls: number;
  }[];
  readonly loadAverage: number[];
}

const PASSWORD = 'bench-webhook-password-0123';

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`),
    ),
  );
}

async function api(host: LocalHost, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${host.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${host.apiToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runWebhookBench(
  options: WebhookBenchOptions,
  log: (text: string) => void,
): Promise<WebhookBenchResult> {
  const host = await startLocalHost({ port: 0, inMemory: true, quiet: true });
  const servers: Server[] = [];
  try {
    // ---- 1. throughput
    let received = 0;
    let lastAt = 0;
    const ok = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received++;
        lastAt = performance.now();
        res.writeHead(200).end();
      });
    });
    servers.push(ok);
    const okUrl = await listen(ok);
    const subscription = await api(host, 'POST', '/v1/webhooks', { url: okUrl });
    const publisher = new EventBridgePublisher(new EventBridgeClient({}), 'csms');
    const events: DomainEvent[] = Array.from({ length: options.events }, (_, i) => ({
      type: 'station.booted.v1',
      detail: {
        stationId: `CS-${i % 100}`,
        occurredAt: new Date().toISOString(),
        registrationStatus: 'Accepted',
        vendor: 'Bench',
        model: 'Webhook',
      },
    }));
    log(`webhooks: publishing ${options.events} events to one subscriber`);
    const started = performance.now();
    // Four publishers at once, as several function instances would.
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = lane * 10; i < events.length; i += 40) await publisher.publish(events.slice(i, i + 10));
      }),
    );
    const published = performance.now();
    const deadline = Date.now() + 120_000;
    while (received < options.events && Date.now() < deadline) await sleep(20);
    if (received < options.events)
      throw new Error(`only ${received} of ${options.events} delivered in 120 s`);
    const deliveredPerSecond = options.events / ((lastAt - started) / 1000);
    const publishedPerSecond = options.events / ((published - started) / 1000);
    log(
      `webhooks: ${deliveredPerSecond.toFixed(0)} delivered/s (published at ${publishedPerSecond.toFixed(0)}/s)`,
    );
    await api(host, 'DELETE', `/v1/webhooks/${subscription.id}`);

    // ---- 2. station latency while the partner is down
    const hanging = createServer(() => undefined); // accepts, never answers
    servers.push(hanging);
    const hangingUrl = await listen(hanging);
    const refused = createServer();
    const refusedUrl = await listen(refused);
    await new Promise<void>((r) => refused.close(() => r())); // nothing listens there now

    await api(host, 'POST', '/v1/stations', { id: 'CS-WH', password: PASSWORD });
    const station = new LeanStation(`${host.wsUrl}`, 'CS-WH', PASSWORD, 'ocpp1.6');
    await station.connect();
    await station.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Webhook' });
    let t = Date.now() - 3_600_000;
    const measure = async (condition: string) => {
      const samples: number[] = [];
      for (let i = 0; i < options.calls; i++) {
        const answer = await station.call('StatusNotification', {
          connectorId: 1,
          errorCode: 'NoError',
          status: i % 2 === 0 ? 'Available' : 'Preparing',
          timestamp: new Date((t += 1000)).toISOString(),
        });
        samples.push(answer.ms);
      }
      samples.sort((a, b) => a - b);
      const row = {
        condition,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        calls: samples.length,
      };
      log(`webhooks: station ${condition}: p50 ${row.p50.toFixed(2)} ms, p99 ${row.p99.toFixed(2)} ms`);
      return row;
    };
    const rows = [];
    rows.push(await measure('no subscription'));
    const down = await api(host, 'POST', '/v1/webhooks', { url: refusedUrl });
    rows.push(await measure('partner refuses connections'));
    await api(host, 'DELETE', `/v1/webhooks/${down.id}`);
    const slow = await api(host, 'POST', '/v1/webhooks', { url: hangingUrl });
    rows.push(await measure('partner never answers (5 s timeouts)'));
    await api(host, 'DELETE', `/v1/webhooks/${slow.id}`);
    await station.close();
    return {
      events: options.events,
      deliveredPerSecond,
      publishedPerSecond,
      station: rows,
      loadAverage: (await import('node:os')).loadavg(),
    };
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await host.close();
  }
}

/** The BENCHMARKS.md section. */
export function renderWebhooks(
  r: WebhookBenchResult,
  line: (text?: string) => void,
  table: (head: string[], rows: string[][], align?: string[]) => void,
): void {
  const f = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2));
  line('## 5. Partner webhook delivery (local host)');
  line();
  line(
    `One subscription to every event, a receiver on loopback answering 200; ${r.events.toLocaleString('en-US')} events ` +
      'published through PutEvents by four publishers at once, as fast as the bus takes them (bench/webhooks.ts). Delivery runs beside ' +
      'the functions in the same process, 8 requests in flight per subscription.',
  );
  line();
  table(
    ['', 'events per second'],
    [
      ['Published (PutEvents, batches of 10, 4 at once)', f(r.publishedPerSecond)],
      ['Delivered to the receiver (first PutEvents to last delivery)', f(r.deliveredPerSecond)],
    ],
    ['l', 'r'],
  );
  line(
    'Station round trip (1.6 StatusNotification, each publishes an event the subscription matches), one CALL ' +
      'at a time, while the partner endpoint is down:',
  );
  line();
  table(
    ['Partner endpoint', 'calls', 'p50', 'p99'],
    r.station.map((s) => [s.condition, String(s.calls), `${f(s.p50)} ms`, `${f(s.p99)} ms`]),
    ['l', 'r', 'r', 'r'],
  );
  line(
    `Load average after the phase: ${r.loadAverage.map((v) => v.toFixed(2)).join(', ')} (the machine is shared; ` +
      "other work shows in every timing). On AWS delivery is EventBridge's and costs the functions nothing.",
  );
  line();
}
