/**
 * Issue 7 defect 16: every CALL gets an OCPP answer. When a handler cannot finish before the
 * message function's deadline (here: the status write held up by a slow table), the station
 * gets a CALLERROR InternalError (OCPP-J 1.6 §4.2.3, 2.0.1 part 4 §4.2.3) — not API Gateway's
 * `{"message": "Internal server error"}` — and nothing is acknowledged that was not stored: the
 * station's retry, once the table is fast again, is answered normally.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHarness, type Harness } from '../support/harness.js';

/** A DynamoDB endpoint in front of the host's own that holds up connector status writes while `slow`. */
class SlowTable {
  slow = false;
  readonly held: Promise<void>[] = [];
  #server: Server | undefined;

  async start(target: string): Promise<string> {
    this.#server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const statusWrite =
          String(req.headers['x-amz-target']).endsWith('.PutItem') && body.includes('"CONN#');
        const forward = async (): Promise<void> => {
          if (this.slow && statusWrite) await new Promise((resolve) => setTimeout(resolve, 4_000));
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(req.headers)) {
            if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
              headers[name] = value;
          }
          const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body });
          const out = Buffer.from(await upstream.arrayBuffer());
          const back: Record<string, string> = {};
          upstream.headers.forEach((value, name) => {
            if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name))
              back[name] = value;
          });
          res.writeHead(upstream.status, back).end(out);
        };
        const done = forward().catch(() => void res.destroy());
        if (this.slow && statusWrite) this.held.push(done);
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server?.closeAllConnections();
      this.#server?.close(() => resolve());
    });
  }
}

describe('every CALL gets an OCPP answer before the deadline (issue 7 defect 16)', () => {
  let h: Harness;
  const table = new SlowTable();

  before(async () => {
    h = await startHarness({
      // A 3 s message function: its deadline comes before the held-up write (4 s) finishes.
      functionTimeoutsSeconds: { message: 3 },
      instrumentation: {
        endpoint: (service, endpoint) => (service === 'dynamodb' ? table.start(endpoint) : endpoint),
      },
    });
    await h.provision('CS-LATE16');
    await h.provision('CS-LATE201');
  });
  after(async () => {
    await h.close();
    await table.close();
  });

  const cases = [
    {
      id: 'CS-LATE16',
      protocol: 'ocpp1.6',
      boot: { chargePointVendor: 'Late', chargePointModel: 'L1' },
      status: { connectorId: 1, errorCode: 'NoError', status: 'Preparing' },
    },
    {
      id: 'CS-LATE201',
      protocol: 'ocpp2.0.1',
      boot: { reason: 'PowerUp', chargingStation: { vendorName: 'Late', model: 'L2' } },
      status: {
        timestamp: '2026-03-01T10:00:00.000Z',
        connectorStatus: 'Occupied',
        evseId: 1,
        connectorId: 1,
      },
    },
  ] as const;

  for (const c of cases) {
    test(`${c.protocol}: a StatusNotification the table cannot store in time gets CALLERROR InternalError; its retry is stored and answered`, async () => {
      const password = `pw-${c.id}-0123456789abcdef`;
      const station = await h.raw(c.id, c.protocol, password);
      const boot = (await station.send(JSON.stringify([2, 'b1', 'BootNotification', c.boot]))) as unknown[];
      assert.equal((boot[2] as { status: string }).status, 'Accepted');

      table.slow = true;
      const late = (await station.send(
        JSON.stringify([2, 's1', 'StatusNotification', c.status]),
        10_000,
      )) as unknown[];
      table.slow = false;
      assert.ok(Array.isArray(late), `not an OCPP-J frame: ${JSON.stringify(late)}`);
      assert.deepEqual(late.slice(0, 3), [4, 's1', 'InternalError']);
      assert.equal(typeof late[3], 'string');
      assert.deepEqual(late[4], {});

      // The held-up write may land later (it was not acknowledged); the station sends the CALL again.
      await Promise.all(table.held);
      const retry = (await station.send(
        JSON.stringify([2, 's1', 'StatusNotification', c.status]),
      )) as unknown[];
      assert.deepEqual(retry, [3, 's1', {}]);
      const view = await h.api('GET', `/v1/stations/${c.id}`);
      assert.equal(
        view.body.evses[0]?.connectors[0]?.status,
        c.protocol === 'ocpp1.6' ? 'Preparing' : 'Occupied',
      );
      await station.close();
    });
  }
});
