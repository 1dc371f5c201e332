/**
 * The host under test, in a process of its own: the local host (`npm start`'s startLocalHost,
 * DynamoDB in memory), optionally with the cost meter (`--meter`). Driven over IPC by
 * bench/run.ts: provisioning, counters, memory.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { startLocalHost } from '../../infra/local/host.js';
import { hashSecret } from '../../shared/auth/secrets.js';
import { createStore } from '../../shared/store/index.js';
import { serve } from '../lib/ipc.js';
import { Meter } from './meter.js';

const metered = process.argv.includes('--meter');
const meter = metered ? new Meter() : undefined;

const host = await startLocalHost({
  port: 0,
  inMemory: true,
  quiet: true,
  // Metered: the scheduled functions run every 500 ms instead of every minute, to be measured.
  ...(meter
    ? { instrumentation: meter.instrumentation, logLevel: 'INFO' as const, sweepIntervalMs: 500 }
    : {}),
});

// Provisioning goes straight to the store (dynalite), outside any counted invocation.
const dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB!;
const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamoEndpoint }), {
  marshallOptions: { removeUndefinedValues: true },
});
const store = createStore({ db: documentClient, tableName: 'csms' });
const hashes = new Map<string, string>();

// Resident set size, sampled: the peak since the last `markMemory`.
let peakRss = process.memoryUsage.rss();
setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peakRss) peakRss = rss;
}, 100).unref();

serve(
  {
    /** Provisions stations (one password, hashed once: the hash is salted, the check is the same). */
    async provision(params: { ids: string[]; password: string; idTags?: string[] }) {
      let hash = hashes.get(params.password);
      if (!hash) {
        hash = await hashSecret(params.password);
        hashes.set(params.password, hash);
      }
      const now = new Date();
      const queue = [...params.ids];
      const worker = async () => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
          await store.stations.create({ id, passwordHash: hash, now });
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      for (const idToken of params.idTags ?? []) {
        await store.idTokens.put({
          idToken,
          type: 'ISO14443',
          status: 'Accepted',
          createdAt: now.toISOString(),
        });
      }
      return { provisioned: params.ids.length };
    },
    reset() {
      meter?.reset();
      return true;
    },
    snapshot() {
      return meter?.snapshot();
    },
    markMemory() {
      peakRss = process.memoryUsage.rss();
      return peakRss;
    },
    memory() {
      const rss = process.memoryUsage.rss();
      if (rss > peakRss) peakRss = rss;
      const { heapUsed, external, arrayBuffers } = process.memoryUsage();
      return {
        rss,
        peakRss,
        maxRss: process.resourceUsage().maxRSS * 1024,
        heapUsed,
        external,
        arrayBuffers,
        events: host.events.length,
        uptimeMs: performance.now(),
      };
    },
  },
  {
    wsUrl: host.wsUrl,
    httpUrl: host.httpUrl,
    apiToken: host.apiToken,
    pid: process.pid,
    env: {
      AWS_ENDPOINT_URL_DYNAMODB: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      AWS_ENDPOINT_URL_EVENTBRIDGE: process.env.AWS_ENDPOINT_URL_EVENTBRIDGE,
      CSMS_CONNECTIONS_URL: process.env.CSMS_CONNECTIONS_URL,
      CSMS_TABLE_NAME: process.env.CSMS_TABLE_NAME,
      CSMS_EVENT_BUS_NAME: process.env.CSMS_EVENT_BUS_NAME,
    },
  },
  async () => {
    await host.close();
    await meter?.close();
  },
);
