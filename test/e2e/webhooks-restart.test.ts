/**
 * Restarting the local host loses no queued webhook delivery: a delivery waiting for its retry
 * is saved in the data dir and sent by the next host (ADR 0008).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startLocalHost, type LocalHost } from '../../infra/local/host.js';
import { waitFor } from '../support/commands.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

let dir: string | undefined;
let receiver: Receiver | undefined;
after(async () => {
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function call(host: LocalHost, method: string, path: string, body?: unknown) {
  const res = await fetch(`${host.httpUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${host.apiToken}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as any };
}

/** A loopback port that nothing listens on (yet). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a delivery waiting for its retry survives a restart of the local host and is delivered after it', async () => {
  dir = await mkdtemp(join(tmpdir(), 'csms-webhook-restart-'));
  const port = await freePort();
  const first = await startLocalHost({
    dataDir: dir,
    port: 0,
    quiet: true,
    webhooks: { retryBaseMs: 600_000 },
  });
  const created = await call(first, 'POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/hooks` });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id as string;
  assert.equal((await call(first, 'POST', `/v1/webhooks/${id}/test`)).status, 202);
  await waitFor('the first attempt failed', () => (first.webhookStats().retried === 1 ? true : undefined));
  assert.equal(first.webhookStats().queued, 1);
  await first.close();

  // The partner is back, on the port the subscription names.
  receiver = await startReceiver(() => 200, '/hooks', port);

  const second = await startLocalHost({ dataDir: dir, port: 0, quiet: true, webhooks: { retryBaseMs: 10 } });
  try {
    const [event] = await waitFor('delivered after the restart', () =>
      receiver && receiver.delivered().length > 0 ? receiver.delivered() : undefined,
    );
    assert.equal(event['detail-type'], 'webhook.test.v1');
    assert.equal(event.detail.webhookId, id);
    assert.equal((await call(second, 'GET', `/v1/webhooks/${id}`)).status, 200);
  } finally {
    await second.close();
  }
});
