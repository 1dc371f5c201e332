/**
 * Issue 7 defect 2: a second connection for the same identity. The newest connection wins and
 * the older one is closed (a station that reconnects after a network change must not be locked
 * out, nor answered twice, by its own half-open socket); the stored connection state stays true
 * and commands reach the live connection. Out-of-order $connect / $disconnect handling of the
 * store itself: test/unit/store.test.ts ("the newest connection wins ...").
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const BOOT = { chargePointVendor: 'Dup', chargePointModel: 'D1' };

function closeCode(client: RpcClient): Promise<number> {
  return new Promise((resolve) => client.on('close', ({ code }: { code: number }) => resolve(code)));
}

describe('a second connection for the same identity (issue 7 defect 2)', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
    await h.provision('CS-DUP');
  });
  after(() => h.close());

  test(
    'the newest connection wins: the older is closed, the station stays connected, commands reach the newer',
    { timeout: 60_000 },
    async () => {
      const first = await h.station('CS-DUP', 'ocpp1.6');
      assert.equal((await first.call('BootNotification', BOOT)).status, 'Accepted');
      const toFirst: unknown[] = [];
      first.handle('GetConfiguration', ({ params }) => {
        toFirst.push(params);
        return { configurationKey: [], unknownKey: [] };
      });
      const firstClosed = closeCode(first);

      const second = await h.station('CS-DUP', 'ocpp1.6');
      const toSecond: unknown[] = [];
      second.handle('GetConfiguration', ({ params }) => {
        toSecond.push(params);
        return {
          configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
          unknownKey: [],
        };
      });
      // The older connection is closed by the CSMS (DeleteConnection: a normal closure).
      assert.equal(await firstClosed, 1000);
      assert.equal((await second.call('Heartbeat', {})).currentTime !== undefined, true);

      // After the old connection's $disconnect the station is still connected, on the new one.
      const view = await h.api('GET', '/v1/stations/CS-DUP');
      assert.equal(view.body.connected, true);
      assert.equal(eventsOf(h.host, 'station.disconnected.v1', 'CS-DUP').length, 0);

      // A command after the old connection closed is delivered to the new one and completes.
      const submitted = await h.api('POST', '/v1/stations/CS-DUP/commands?wait=10', {
        action: 'GetConfiguration',
        payload: {},
      });
      assert.ok([200, 202].includes(submitted.status), JSON.stringify(submitted.body));
      let command = submitted.body;
      for (let i = 0; i < 100 && command.status !== 'completed'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        command = (await h.api('GET', `/v1/commands/${encodeURIComponent(submitted.body.id)}`)).body;
      }
      assert.equal(command.status, 'completed');
      assert.equal(toSecond.length, 1);
      assert.equal(toFirst.length, 0);
      assert.equal((await h.api('GET', '/v1/stations/CS-DUP')).body.connected, true);

      // The live connection closing is what takes the station offline.
      await second.close();
      let connected = true;
      for (let i = 0; i < 100 && connected; i++) {
        connected = (await h.api('GET', '/v1/stations/CS-DUP')).body.connected;
        if (connected) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(connected, false);
      assert.equal(eventsOf(h.host, 'station.disconnected.v1', 'CS-DUP').length, 1);
    },
  );
});
