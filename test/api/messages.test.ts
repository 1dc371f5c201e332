/**
 * GET /v1/stations/{id}/messages: the last OCPP messages of a station, recorded only while it is
 * watched (the call starts the watch), with the CSMS's reply beside each; nothing is recorded for a
 * station nobody watches.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness } from '../support/harness.js';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorM', model: 'M1' } };

describe('station message log', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a watched station: each message it sends is listed, newest first, with the reply', async () => {
    await h.provision('CS-MSG-W');
    const first = await h.api('GET', '/v1/stations/CS-MSG-W/messages');
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.items, []);
    assert.ok(Date.parse(first.body.watchingUntil) > Date.now(), 'a watch started');

    const cs = await h.station('CS-MSG-W', 'ocpp2.0.1');
    await cs.call('BootNotification', boot);
    const heartbeat = await cs.call('Heartbeat', {});

    const { body } = await h.api('GET', '/v1/stations/CS-MSG-W/messages');
    assert.equal(body.items.length, 2);
    const [latest, earlier] = body.items;
    assert.equal(JSON.parse(latest.inbound)[2], 'Heartbeat');
    const reply = JSON.parse(latest.reply);
    assert.equal(reply[0], 3, 'a CALLRESULT');
    assert.equal(reply[1], JSON.parse(latest.inbound)[1], 'to that CALL');
    assert.equal(reply[2].currentTime, heartbeat.currentTime);
    assert.equal(JSON.parse(earlier.inbound)[2], 'BootNotification');
    assert.equal(latest.truncated, false);
  });

  test('a station nobody watches: its messages are not recorded', async () => {
    await h.provision('CS-MSG-U');
    const cs = await h.station('CS-MSG-U', 'ocpp2.0.1');
    await cs.call('BootNotification', boot);
    await cs.call('Heartbeat', {});
    await cs.call('Heartbeat', {});
    const { status, body } = await h.api('GET', '/v1/stations/CS-MSG-U/messages');
    assert.equal(status, 200);
    assert.deepEqual(body.items, [], 'nothing from before the watch');
  });

  test('an unknown station is a 404; a bad limit a 400 naming it', async () => {
    assert.equal((await h.api('GET', '/v1/stations/NOPE/messages')).status, 404);
    const res = await h.api('GET', '/v1/stations/CS-MSG-W/messages?limit=0');
    assert.equal(res.status, 400);
    assert.equal(res.body.error.fields[0].path, 'limit');
  });
});
