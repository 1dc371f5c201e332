/**
 * The command path without the sweep (its timer is set to an hour, so it never runs here): a CALL
 * times out at its deadline (the call-deadline queue: a timer per CALL), and commands queued while a
 * station was away go out once it has booted or connected (the command-pump event rule), without
 * waiting for its next message. Order and outcomes only; waits poll.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommandPath } from '../../shared/calls/service.js';
import { gate, outcome, peer, waitFor, type Peer } from '../support/commands.js';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };
const boot16 = { chargePointVendor: 'VendorX', chargePointModel: 'Model1' };

describe('command deadlines and queued commands, no sweep', () => {
  let h: Harness;
  let commands: CommandPath;

  before(async () => {
    h = await startHarness({ callTimeoutSeconds: 1, sweepIntervalMs: 3_600_000 });
    commands = (await import('../../functions/ocpp/command-path.js')).commandPath();
  });

  after(async () => {
    await h.close();
  });

  test('a silent station: its CALL times out at the deadline and the next command is sent at once (issue 7 #20)', async () => {
    const station = 'DL-SILENT';
    await h.provision(station);
    const cs = await peer(h, station, 'ocpp2.0.1');
    assert.equal((await cs.client.call('BootNotification', boot201)).status, 'Accepted');
    const never = gate();
    cs.answers.set('TriggerMessage', async () => {
      await never.opened;
      return { status: 'Accepted' };
    });
    const trigger = await commands.submit(
      { stationId: station, action: 'TriggerMessage', payload: { requestedMessage: 'Heartbeat' } },
      new Date(),
    );
    const clear = await commands.submit(
      { stationId: station, action: 'ClearCache', payload: {} },
      new Date(),
    );
    assert.equal(clear.status, 'queued', 'it waits behind the unanswered TriggerMessage');

    const timedOut = await outcome(commands, trigger.id);
    assert.equal(timedOut.status, 'timeout');
    assert.equal(timedOut.error?.code, 'Timeout');
    assert.equal((await outcome(commands, clear.id)).status, 'completed');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['TriggerMessage', 'ClearCache'],
    );
    // The command is final in the store a moment before its event is published.
    const events = await waitFor('both command.completed.v1', () => {
      const all = eventsOf(h.host, 'command.completed.v1', station);
      return all.length >= 2 ? all : undefined;
    });
    assert.deepEqual(
      events.map((e) => [e.detail.action, e.detail.status]),
      [
        ['TriggerMessage', 'timeout'],
        ['ClearCache', 'completed'],
      ],
    );
    never.open(); // a late answer: nothing outstanding matches it
    await cs.client.close();
  });

  test('a command queued while the station was away is sent right after its Boot answer, nothing else sent (issue 7 #4, B01)', async () => {
    const station = 'DL-REBOOT';
    await h.provision(station);
    const first = await peer(h, station, 'ocpp1.6');
    assert.equal((await first.client.call('BootNotification', boot16)).status, 'Accepted');
    await first.client.close();
    await waitFor('the station to be offline', async () =>
      (await h.api('GET', `/v1/stations/${station}`)).body.connected === false ? true : undefined,
    );

    const command = await commands.submit(
      { stationId: station, action: 'GetConfiguration', payload: { key: ['HeartbeatInterval'] } },
      new Date(),
    );
    assert.equal(command.status, 'queued');

    const seen: string[] = [];
    const cs: Peer = await peer(h, station, 'ocpp1.6', {
      answers: new Map([
        [
          'GetConfiguration',
          () => {
            seen.push('GetConfiguration');
            return { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }] };
          },
        ],
      ]),
    });
    const answer = await cs.client.call('BootNotification', boot16);
    seen.push(`Boot ${answer.status}`);

    const done = await outcome(commands, command.id);
    assert.equal(done.status, 'completed');
    // The station's Boot answer came first; the CALL followed without any other station message.
    assert.deepEqual(seen, ['Boot Accepted', 'GetConfiguration']);
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['GetConfiguration'],
    );
    await cs.client.close();
  });

  test('an accepted station that reconnects without booting gets what was queued, without sending anything (issue 7 #4)', async () => {
    const station = 'DL-RECONNECT';
    await h.provision(station);
    const first = await peer(h, station, 'ocpp2.0.1');
    assert.equal((await first.client.call('BootNotification', boot201)).status, 'Accepted');
    await first.client.close();
    await waitFor('the station to be offline', async () =>
      (await h.api('GET', `/v1/stations/${station}`)).body.connected === false ? true : undefined,
    );
    const command = await commands.submit(
      { stationId: station, action: 'ClearCache', payload: {} },
      new Date(),
    );
    assert.equal(command.status, 'queued');

    const cs = await peer(h, station, 'ocpp2.0.1');
    assert.equal((await outcome(commands, command.id)).status, 'completed');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['ClearCache'],
    );
    await cs.client.close();
  });
});
