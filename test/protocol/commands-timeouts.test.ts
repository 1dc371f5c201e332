/**
 * Time-outs of the command path, with a short CALL time-out and queue deadline (1 s and 2 s) and a
 * fast sweep: a station that never answers, a late answer, a station that stays offline. Waits
 * poll the command's status; nothing here sleeps for minutes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommandPath } from '../../shared/calls/service.js';
import { gate, outcome, peer, waitFor, type Peer } from '../support/commands.js';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };

describe('remote command time-outs', () => {
  let h: Harness;
  let commands: CommandPath;

  const bootedStation = async (id: string): Promise<Peer> => {
    await h.provision(id);
    const p = await peer(h, id, 'ocpp2.0.1');
    assert.equal((await p.client.call('BootNotification', boot)).status, 'Accepted');
    return p;
  };

  before(async () => {
    h = await startHarness({ callTimeoutSeconds: 1, queueTtlSeconds: 2, sweepIntervalMs: 100 });
    commands = (await import('../../functions/ocpp/command-path.js')).commandPath();
  });

  after(async () => {
    await h.close();
  });

  test('a station that never answers: the sweep times the CALL out, the next command goes out, a late answer is dropped', async () => {
    const station = 'CS201-SILENT';
    const cs = await bootedStation(station);
    const late = gate();
    cs.answers.set('TriggerMessage', async () => {
      await late.opened;
      return { status: 'Accepted' };
    });
    const second = gate();
    cs.answers.set('ClearCache', async () => {
      await second.opened;
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
    const timedOut = await outcome(commands, trigger.id);
    assert.equal(timedOut.status, 'timeout');
    assert.equal(timedOut.error?.code, 'Timeout');
    assert.equal(timedOut.response, undefined);
    // Its slot is free: the next command was sent.
    await waitFor('the ClearCache', () =>
      cs.received.some((r) => r.action === 'ClearCache') ? true : undefined,
    );
    late.open(); // the answer to the timed-out CALL: matches nothing outstanding
    second.open();
    assert.equal((await outcome(commands, clear.id)).status, 'completed');
    assert.equal((await commands.get(trigger.id))?.status, 'timeout');
    assert.deepEqual(
      eventsOf(h.host, 'command.completed.v1', station).map((e) => [e.detail.action, e.detail.status]),
      [
        ['TriggerMessage', 'timeout'],
        ['ClearCache', 'completed'],
      ],
    );
  });

  test('a command for a station that stays offline times out at the queue deadline', async () => {
    const station = 'CS201-AWAY';
    const cs = await bootedStation(station);
    await cs.client.close();
    const command = await commands.submit(
      { stationId: station, action: 'ClearCache', payload: {} },
      new Date(),
    );
    assert.equal(command.status, 'queued');
    const done = await outcome(commands, command.id);
    assert.equal(done.status, 'timeout');
    assert.equal(done.error?.code, 'Timeout');
    assert.match(done.error?.description ?? '', /offline/);
    assert.equal(done.sentAt, undefined);
  });
});
