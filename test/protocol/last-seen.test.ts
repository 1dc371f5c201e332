/**
 * Issue 14: a Heartbeat writes nothing. A connected station is alive by definition (the gateway
 * closes a connection idle for 10 minutes), so the API shows it as seen now; the stored
 * lastSeenAt is written at connect, boot and disconnect only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { startHarness, type Harness } from '../support/harness.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lastSeenAt without Heartbeat writes', () => {
  let h: Harness;
  let store: Store;

  before(async () => {
    h = await startHarness();
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
  });

  after(async () => {
    await h.close();
  });

  for (const protocol of ['ocpp1.6', 'ocpp2.0.1'] as const) {
    test(`${protocol} Heartbeat (1.6 §4.6, G02.FR.04): answered with the time, the station item is not written`, async () => {
      const id = `CP-SEEN-${protocol.replace(/\W/g, '')}`;
      await h.provision(id);
      const cp = await h.station(id, protocol);
      const boot =
        protocol === 'ocpp1.6'
          ? await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })
          : await cp.call('BootNotification', {
              reason: 'PowerUp',
              chargingStation: { vendorName: 'V', model: 'M' },
            });
      assert.equal(boot.status, 'Accepted');
      const stored = await store.stations.get(id);
      assert.match(stored?.lastSeenAt ?? '', ISO, 'written at connect and boot');
      await sleep(5);
      const before = Date.now();
      const beat = await cp.call('Heartbeat', {});
      assert.ok(Date.parse(beat.currentTime) >= before, beat.currentTime);
      assert.deepEqual(await store.stations.get(id), stored, 'the Heartbeat wrote nothing');

      // The API: a connected station was seen now.
      const connected = await h.api('GET', `/v1/stations/${id}`);
      assert.equal(connected.body.connected, true);
      assert.ok(Date.parse(connected.body.lastSeenAt) >= before, connected.body.lastSeenAt);
      const listed = await h.api('GET', '/v1/stations');
      const row = listed.body.items.find((s: { id: string }) => s.id === id);
      assert.ok(Date.parse(row.lastSeenAt) >= before, row.lastSeenAt);

      // Disconnected: the time it went away, kept.
      await cp.close();
      let view = (await h.api('GET', `/v1/stations/${id}`)).body;
      for (let i = 0; i < 100 && view.connected; i++) {
        await sleep(20);
        view = (await h.api('GET', `/v1/stations/${id}`)).body;
      }
      assert.equal(view.connected, false);
      assert.ok(Date.parse(view.lastSeenAt) >= before, view.lastSeenAt);
      assert.equal(view.lastSeenAt, (await store.stations.get(id))?.disconnectedAt);
      await sleep(5);
      assert.equal((await h.api('GET', `/v1/stations/${id}`)).body.lastSeenAt, view.lastSeenAt, 'not now');
    });
  }
});
