/**
 * Firmware rollouts over real, strict ocpp-rpc stations (1.6 and 2.0.1), driven by the same state
 * machine definition the CDK deploys, run by the local host's Step Functions endpoint. Some
 * stations report InstallationFailed: the canary passes, a later wave crosses the threshold, the
 * rollout pauses, resume continues to the end; another rollout is aborted mid-wave. What is
 * checked is what operators and partners see: GET per-station results and the events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { waitFor } from '../support/commands.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const OLD = '1.0.0';
const NEW = '2.0.0';
/** Stations that report InstallationFailed: one in wave 1 (25%, not over), two in wave 2 (50%). */
const FAILING = new Set(['FW-03', 'FW-07', 'FW-08']);
/** Accepts and then says nothing: its wave never ends by itself. */
const SILENT = new Set(['FW-17']);
const ids = Array.from({ length: 20 }, (_, i) => `FW-${String(i + 1).padStart(2, '0')}`);
const protocolOf = (id: string) => (Number(id.slice(3)) % 2 === 0 ? 'ocpp2.0.1' : 'ocpp1.6');

describe('firmware rollouts (local Step Functions, 20 stations of 1.6 and 2.0.1)', () => {
  let h: Harness;
  const received = new Map<string, { method: string; params: any }[]>();

  /** The station's side of L01 / 1.6 §5.19: accept, then report progress, then boot the new image. */
  async function station(id: string): Promise<RpcClient> {
    const protocol = protocolOf(id);
    await h.provision(id);
    const client = await h.station(id, protocol);
    const notify = async (status: string, requestId?: number) => {
      if (protocol === 'ocpp1.6') await client.call('FirmwareStatusNotification', { status });
      else
        await client.call('FirmwareStatusNotification', {
          status,
          ...(requestId !== undefined ? { requestId } : {}),
        });
    };
    const onUpdate = ({ method, params }: { method: string; params: any }) => {
      received.set(id, [...(received.get(id) ?? []), { method, params }]);
      if (!SILENT.has(id)) {
        void (async () => {
          await delay(20);
          const requestId = params.requestId as number | undefined;
          for (const s of ['Downloading', 'Downloaded', 'Installing']) await notify(s, requestId);
          await notify(FAILING.has(id) ? 'InstallationFailed' : 'Installed', requestId);
        })().catch(() => undefined);
      }
      return protocol === 'ocpp1.6' ? {} : { status: 'Accepted' };
    };
    client.handle('UpdateFirmware', onUpdate);
    if (protocol === 'ocpp1.6') {
      await client.call('BootNotification', {
        chargePointVendor: 'Acme',
        chargePointModel: 'X1',
        firmwareVersion: OLD,
      });
    } else {
      await client.call('BootNotification', {
        reason: 'PowerUp',
        chargingStation: { vendorName: 'Acme', model: 'X1', firmwareVersion: OLD },
      });
    }
    return client;
  }

  const rollout = async (id: string) => (await h.api('GET', `/v1/firmware/rollouts/${id}`)).body;
  const until = (what: string, id: string, check: (r: any) => boolean) =>
    waitFor(
      what,
      async () => {
        const r = await rollout(id);
        return check(r) ? r : undefined;
      },
      60_000,
    );
  const rolloutEvents = (id: string) =>
    h.host.events
      .filter((e: any) => e.detail?.rolloutId === id)
      .map((e: any) => ({ type: e['detail-type'], ...e.detail }));

  before(async () => {
    h = await startHarness({ sweepIntervalMs: 200 });
    for (const id of ids) await station(id);
  });

  after(async () => {
    await h.close();
  });

  test('canary passes, wave 2 crosses maxFailurePercent and pauses, resume runs to completed; a second rollout touching its stations is 409, abort stops another one', async () => {
    // B: the last four stations; its canary FW-17 never finishes.
    const b = await h.api('POST', '/v1/firmware/rollouts', {
      firmware: { location: 'https://firmware.example.com/acme-x1-2.0.0.bin', version: NEW },
      target: { stationIds: ['FW-17', 'FW-18', 'FW-19', 'FW-20'] },
      policy: { canary: 1, batchSize: 3, maxFailurePercent: 0, stationTimeoutSeconds: 600, pollSeconds: 1 },
    });
    assert.equal(b.status, 202, JSON.stringify(b.body));

    // A: every Acme X1 station on the old version that B does not hold... B holds 17-20: 409 first.
    const clash = await h.api('POST', '/v1/firmware/rollouts', {
      firmware: { location: 'https://firmware.example.com/acme-x1-2.0.0.bin', version: NEW },
      target: { filter: { vendor: 'Acme', model: 'X1', firmwareVersion: OLD } },
      policy: { canary: 2, batchSize: 4, maxFailurePercent: 25, pollSeconds: 1 },
    });
    assert.equal(clash.status, 409);
    assert.equal(clash.body.error.code, 'conflict');
    assert.match(clash.body.error.message, new RegExp(`station FW-17 .*rollout ${b.body.id}`));

    const a = await h.api('POST', '/v1/firmware/rollouts', {
      firmware: { location: 'https://firmware.example.com/acme-x1-2.0.0.bin', version: NEW },
      target: { stationIds: ids.slice(0, 16) },
      policy: {
        canary: 2,
        batchSize: 4,
        maxFailurePercent: 25,
        onThreshold: 'pause',
        stationTimeoutSeconds: 60,
        pollSeconds: 1,
      },
    });
    assert.equal(a.status, 202, JSON.stringify(a.body));
    assert.deepEqual(a.body, { id: a.body.id, state: 'running' });

    // The health gate: wave 2 (FW-07..FW-10) has 2 of 4 failed, 50% > 25%.
    const paused = await until('rollout A paused', a.body.id, (r) => r.state !== 'running');
    assert.equal(paused.state, 'paused');
    assert.equal(paused.reason, 'threshold');
    assert.deepEqual(
      paused.waves.map((w: any) => [w.index, w.size, w.state, w.failed]),
      [
        [0, 2, 'done', 0],
        [1, 4, 'done', 1],
        [2, 4, 'done', 2],
        [3, 4, 'pending', null],
        [4, 2, 'pending', null],
      ],
    );
    const byId = (r: any) => new Map(r.stations.map((s: any) => [s.stationId, s]));
    const pausedStations = byId(paused);
    assert.equal((pausedStations.get('FW-07') as any).status, 'failed');
    assert.equal((pausedStations.get('FW-07') as any).firmwareStatus, 'InstallationFailed');
    assert.equal((pausedStations.get('FW-01') as any).status, 'succeeded');
    assert.equal((pausedStations.get('FW-12') as any).status, 'pending');
    assert.equal(received.has('FW-12'), false, 'no command to a station of a wave not started');

    // What the stations got: 1.6 UpdateFirmware {location, retrieveDate}; 2.0.1 with requestId + firmware.
    const v16 = received.get('FW-01')![0]!;
    assert.equal(v16.method, 'UpdateFirmware');
    assert.equal(v16.params.location, 'https://firmware.example.com/acme-x1-2.0.0.bin');
    assert.equal(typeof v16.params.retrieveDate, 'string');
    const v201 = received.get('FW-02')![0]!;
    assert.equal(typeof v201.params.requestId, 'number');
    assert.equal(v201.params.firmware.location, 'https://firmware.example.com/acme-x1-2.0.0.bin');

    // Events so far: started, three waves completed (the third over the threshold), paused.
    const soFar = rolloutEvents(a.body.id);
    assert.deepEqual(
      soFar.map((e: any) => e.type),
      [
        'rollout.started.v1',
        'rollout.wave-completed.v1',
        'rollout.wave-completed.v1',
        'rollout.wave-completed.v1',
        'rollout.paused.v1',
      ],
    );
    assert.equal(soFar[0].stations, 16);
    assert.deepEqual(
      soFar.slice(1, 4).map((e: any) => [e.wave, e.failed, e.overThreshold]),
      [
        [0, 0, false],
        [1, 1, false],
        [2, 2, true],
      ],
    );
    assert.deepEqual([soFar[4].reason, soFar[4].wave], ['threshold', 2]);

    // Pausing a paused rollout is a conflict; resume continues from wave 3.
    assert.equal((await h.api('POST', `/v1/firmware/rollouts/${a.body.id}/pause`)).status, 409);
    const resumed = await h.api('POST', `/v1/firmware/rollouts/${a.body.id}/resume`);
    assert.deepEqual([resumed.status, resumed.body.state], [200, 'running']);
    const done = await until('rollout A completed', a.body.id, (r) => r.state !== 'running');
    assert.equal(done.state, 'completed');
    assert.deepEqual(done.counts, {
      total: 16,
      pending: 0,
      inProgress: 0,
      succeeded: 13,
      failed: 3,
      skipped: 0,
    });
    for (const s of done.stations) {
      assert.equal(s.status, FAILING.has(s.stationId) ? 'failed' : 'succeeded', s.stationId);
      assert.equal(s.firmwareStatus, FAILING.has(s.stationId) ? 'InstallationFailed' : 'Installed');
      assert.equal(received.get(s.stationId)?.length, 1, `${s.stationId} got exactly one UpdateFirmware`);
    }
    // The state is stored a moment before the event is published.
    await waitFor('rollout.completed.v1', () =>
      rolloutEvents(a.body.id).some((e: any) => e.type === 'rollout.completed.v1') ? true : undefined,
    );
    assert.deepEqual(
      rolloutEvents(a.body.id)
        .slice(5)
        .map((e: any) => e.type),
      [
        'rollout.resumed.v1',
        'rollout.wave-completed.v1',
        'rollout.wave-completed.v1',
        'rollout.completed.v1',
      ],
    );
    assert.deepEqual(rolloutEvents(a.body.id).at(-1).counts, done.counts);
    assert.equal((await h.api('POST', `/v1/firmware/rollouts/${a.body.id}/resume`)).status, 409);

    // B: still in its canary (FW-17 said nothing). Abort stops it for good.
    const running = await until('rollout B canary sent', b.body.id, (r) =>
      r.stations.some((s: any) => s.status === 'in-progress'),
    );
    assert.equal(running.state, 'running');
    const aborted = await h.api('POST', `/v1/firmware/rollouts/${b.body.id}/abort`);
    assert.deepEqual([aborted.status, aborted.body.state], [200, 'aborted']);
    const afterAbort = await rollout(b.body.id);
    assert.deepEqual(afterAbort.counts, {
      total: 4,
      pending: 0,
      inProgress: 0,
      succeeded: 0,
      failed: 0,
      skipped: 4,
    });
    assert.equal(received.has('FW-18'), false, 'no command after the abort');
    assert.deepEqual(
      rolloutEvents(b.body.id).map((e: any) => [e.type, e.reason]),
      [
        ['rollout.started.v1', undefined],
        ['rollout.aborted.v1', 'operator'],
      ],
    );
    assert.equal((await h.api('POST', `/v1/firmware/rollouts/${b.body.id}/resume`)).status, 409);
    assert.equal((await h.api('POST', `/v1/firmware/rollouts/${b.body.id}/abort`)).status, 409);
    // Its stations are free again.
    const again = await h.api('POST', '/v1/firmware/rollouts', {
      firmware: { location: 'https://firmware.example.com/acme-x1-2.0.0.bin', version: NEW },
      target: { stationIds: ['FW-18'] },
      policy: { canary: 1, batchSize: 1, maxFailurePercent: 0, pollSeconds: 1 },
    });
    assert.equal(again.status, 202, JSON.stringify(again.body));
    const third = await until('rollout C completed', again.body.id, (r) => r.state !== 'running');
    assert.equal(third.state, 'completed');
    assert.equal(third.counts.succeeded, 1);

    // Cost: state transitions per station updated, whatever the wave sizes (one poll per wave).
    const stationsUpdated = 16 + 1 + 1;
    const perStation = h.host.stepFunctions.transitions / stationsUpdated;
    assert.ok(perStation > 0);
    console.log(`state transitions: ${h.host.stepFunctions.transitions} for ${stationsUpdated} stations`);
    assert.equal(eventsOf(h.host, 'rollout.failed.v1').length, 0);
  });
});
