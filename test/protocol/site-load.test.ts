/**
 * Site load management (issue 15 item 2) with real ocpp-rpc stations in strict mode (which
 * validate every SetChargingProfile the CSMS sends against the official schemas), 2.0.1 and 1.6:
 * three stations on a 32 A site share it; a third session lowers the other two within one command
 * round, ending one raises them; a station refusing its TxProfile gets one retry and then shows in
 * the allocation; bad sites are refused (409 for a station in two sites, 400 with the numbers for
 * a limit below the stations' minimums).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';
import { waitFor } from '../support/commands.js';

const boot201 = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };
const boot16 = { chargePointVendor: 'VendorX', chargePointModel: 'Model1' };
const now = () => new Date().toISOString();
const VIEWER = 'site-load-viewer-token-0123456789abcdef';

interface Station {
  readonly id: string;
  readonly cs: RpcClient;
  /** The limit of every SetChargingProfile received, in order. */
  readonly limits: number[];
  readonly payloads: Record<string, any>[];
}

describe('Site load management: three stations on a 32 A site', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ viewerApiToken: VIEWER });
    assert.equal((await h.api('POST', '/v1/id-tokens', { idToken: 'SITE-TAG' })).status, 201);
  });

  after(async () => {
    await h.close();
  });

  const station = async (
    id: string,
    protocol: 'ocpp2.0.1' | 'ocpp1.6',
    answer: 'Accepted' | 'Rejected' = 'Accepted',
  ): Promise<Station> => {
    await h.provision(id);
    const cs = await h.station(id, protocol);
    const s: Station = { id, cs, limits: [], payloads: [] };
    cs.handle('SetChargingProfile', ({ params }) => {
      s.payloads.push(params);
      const schedule =
        protocol === 'ocpp1.6'
          ? params.csChargingProfiles.chargingSchedule
          : params.chargingProfile.chargingSchedule[0];
      s.limits.push(schedule.chargingSchedulePeriod[0].limit);
      return { status: answer };
    });
    const booted = await cs.call('BootNotification', protocol === 'ocpp1.6' ? boot16 : boot201);
    assert.equal(booted.status, 'Accepted');
    return s;
  };

  const received = (s: Station, n: number): Promise<number[]> =>
    waitFor(`${s.id} to receive ${n} SetChargingProfile (has ${JSON.stringify(s.limits)})`, () =>
      s.limits.length >= n ? s.limits : undefined,
    );
  const allocation = async (siteId: string) => {
    const res = await h.api('GET', `/v1/sites/${siteId}/allocation`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };
  const createSite = async (id: string, stationIds: string[], extra: Record<string, unknown> = {}) => {
    const res = await h.api('POST', '/v1/sites', {
      id,
      name: `Site ${id}`,
      limit: { value: 32, unit: 'A' },
      stationIds,
      ...extra,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  };

  const start201 = async (s: Station, txId: string) => {
    await s.cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: now(),
      triggerReason: 'Authorized',
      seqNo: 0,
      transactionInfo: { transactionId: txId, chargingState: 'Charging' },
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'SITE-TAG', type: 'ISO14443' },
    });
  };
  const end201 = async (s: Station, txId: string) => {
    await s.cs.call('TransactionEvent', {
      eventType: 'Ended',
      timestamp: now(),
      triggerReason: 'EVDeparted',
      seqNo: 1,
      transactionInfo: { transactionId: txId, stoppedReason: 'EVDisconnected', chargingState: 'Idle' },
    });
  };

  test('2.0.1 K01: a third session lowers the other two in one command round; ending one raises them (TxProfile with transactionId, K01.FR.03/.16/.31)', async () => {
    const [a, b, c] = await Promise.all([
      station('LM-A', 'ocpp2.0.1'),
      station('LM-B', 'ocpp2.0.1'),
      station('LM-C', 'ocpp2.0.1'),
    ]);
    await createSite('depot', ['LM-A', 'LM-B', 'LM-C']);

    await start201(a, 'tx-a');
    assert.deepEqual(await received(a, 1), [32]);
    await start201(b, 'tx-b');
    assert.deepEqual(await received(a, 2), [32, 16]);
    assert.deepEqual(await received(b, 1), [16]);

    // The third session: each of the three gets one SetChargingProfile of 32/3 A, rounded down to 0.1.
    await start201(c, 'tx-c');
    assert.deepEqual(await received(a, 3), [32, 16, 10.6]);
    assert.deepEqual(await received(b, 2), [16, 10.6]);
    assert.deepEqual(await received(c, 1), [10.6]);
    const profile = c.payloads[0]!;
    assert.equal(profile.evseId, 1); // K01.FR.16: a TxProfile on an EVSE > 0
    assert.equal(profile.chargingProfile.chargingProfilePurpose, 'TxProfile');
    assert.equal(profile.chargingProfile.transactionId, 'tx-c'); // K01.FR.03
    assert.equal(profile.chargingProfile.chargingSchedule[0].chargingRateUnit, 'A');
    assert.equal(profile.chargingProfile.chargingSchedule[0].chargingSchedulePeriod[0].startPeriod, 0); // K01.FR.31
    assert.equal(profile.chargingProfile.chargingSchedule[0].minChargingRate, 6); // K01.FR.21
    // The same profile id each time: a new share replaces the profile (K01.FR.05), never stacks.
    assert.equal(a.payloads[2]!.chargingProfile.id, a.payloads[0]!.chargingProfile.id);

    const shown = await waitFor('the three profiles applied', async () => {
      const view = await allocation('depot');
      return view.evses.length === 3 && view.evses.every((e: any) => e.profile.state === 'applied')
        ? view
        : undefined;
    });
    assert.equal(shown.limit, 32);
    assert.deepEqual(
      shown.evses.map((e: any) => [e.stationId, e.evseId, e.transactionId, e.value, e.reason]).sort(),
      [
        ['LM-A', 1, 'tx-a', 10.6, 'fair-share'],
        ['LM-B', 1, 'tx-b', 10.6, 'fair-share'],
        ['LM-C', 1, 'tx-c', 10.6, 'fair-share'],
      ],
    );

    // Ending C: A and B go back up to 16 A; C gets nothing more.
    await end201(c, 'tx-c');
    assert.deepEqual(await received(a, 4), [32, 16, 10.6, 16]);
    assert.deepEqual(await received(b, 3), [16, 10.6, 16]);
    const afterEnd = await waitFor('two EVSEs in the allocation', async () => {
      const view = await allocation('depot');
      return view.evses.length === 2 ? view : undefined;
    });
    assert.deepEqual(
      afterEnd.evses.map((e: any) => e.value),
      [16, 16],
    );
    assert.equal(c.limits.length, 1);

    const changed = h.host.events.filter((e) => e['detail-type'] === 'site.allocation-changed.v1');
    assert.ok(
      changed.some((e) => (e.detail as any).siteId === 'depot' && (e.detail as any).evses.length === 3),
    );

    // A lower limit through the API: recomputed at once.
    const patched = await h.api('PATCH', '/v1/sites/depot', { limit: { value: 20, unit: 'A' } });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.deepEqual(await received(a, 5), [32, 16, 10.6, 16, 10]);
    assert.deepEqual(await received(b, 4), [16, 10.6, 16, 10]);
  });

  test('1.6 §3.13 / §5.16: TxProfile on the connector with the transactionId; a third session lowers the others, a stop raises them', async () => {
    const [a, b, c] = await Promise.all([
      station('LM16-A', 'ocpp1.6'),
      station('LM16-B', 'ocpp1.6'),
      station('LM16-C', 'ocpp1.6'),
    ]);
    await createSite('depot16', ['LM16-A', 'LM16-B', 'LM16-C']);
    const start = async (s: Station): Promise<number> => {
      const res = await s.cs.call('StartTransaction', {
        connectorId: 1,
        idTag: 'SITE-TAG',
        meterStart: 0,
        timestamp: now(),
      });
      assert.equal(res.idTagInfo.status, 'Accepted');
      return res.transactionId as number;
    };
    const txA = await start(a);
    assert.deepEqual(await received(a, 1), [32]);
    await start(b);
    assert.deepEqual(await received(a, 2), [32, 16]);
    assert.deepEqual(await received(b, 1), [16]);
    const txC = await start(c);
    assert.deepEqual(await received(a, 3), [32, 16, 10.6]);
    assert.deepEqual(await received(b, 2), [16, 10.6]);
    assert.deepEqual(await received(c, 1), [10.6]);
    const sent = a.payloads[2]!;
    assert.equal(sent.connectorId, 1);
    assert.equal(sent.csChargingProfiles.chargingProfilePurpose, 'TxProfile');
    assert.equal(sent.csChargingProfiles.transactionId, txA);

    await c.cs.call('StopTransaction', { transactionId: txC, meterStop: 5000, timestamp: now() });
    assert.deepEqual(await received(a, 4), [32, 16, 10.6, 16]);
    assert.deepEqual(await received(b, 3), [16, 10.6, 16]);
    assert.equal(c.limits.length, 1);
  });

  test('a station rejecting its TxProfile is sent it once more, then shown as rejected in the allocation (not looped)', async () => {
    const r = await station('LM-REJ', 'ocpp2.0.1', 'Rejected');
    await createSite('stubborn', ['LM-REJ']);
    await start201(r, 'tx-rej');
    assert.deepEqual(await received(r, 2), [32, 32]);
    const view = await waitFor('the profile shown as rejected', async () => {
      const v = await allocation('stubborn');
      return v.evses[0]?.profile.state === 'rejected' ? v : undefined;
    });
    assert.deepEqual(
      { ...view.evses[0].profile, commandId: typeof view.evses[0].profile.commandId },
      { state: 'rejected', commandId: 'string', attempts: 2, error: 'Rejected' },
    );
    // Another recompute (a rename) does not send it again: same share, given up on.
    assert.equal((await h.api('PATCH', '/v1/sites/stubborn', { name: 'Renamed' })).status, 200);
    assert.equal((await allocation('stubborn')).evses[0].profile.state, 'rejected');
    assert.deepEqual(r.limits, [32, 32]);
    // A new share is a new attempt.
    assert.equal(
      (await h.api('PATCH', '/v1/sites/stubborn', { limit: { value: 16, unit: 'A' } })).status,
      200,
    );
    assert.deepEqual(await received(r, 3), [32, 32, 16]);
  });

  test("K15 + K01.FR.39: an ISO 15118 EV on a site EVSE gets a schedule within its share, under the share's own profile id (it replaces the share, never stacks)", async () => {
    const ev = await station('LM-EV', 'ocpp2.0.1');
    await createSite('ev-site', ['LM-EV'], { limit: { value: 16, unit: 'A' } });
    await start201(ev, 'tx-ev');
    assert.deepEqual(await received(ev, 1), [16]);
    await waitFor('the share applied', async () => {
      const view = await allocation('ev-site');
      return view.evses[0]?.profile.state === 'applied' ? view : undefined;
    });
    // The EV wants 22 kWh within an hour at up to 32 A: more than the 16 A share can give.
    const res = await ev.cs.call('NotifyEVChargingNeeds', {
      evseId: 1,
      chargingNeeds: {
        requestedEnergyTransfer: 'AC_three_phase',
        departureTime: new Date(Date.now() + 3_600_000).toISOString(),
        acChargingParameters: { energyAmount: 22_000, evMinCurrent: 6, evMaxCurrent: 32, evMaxVoltage: 400 },
      },
    });
    assert.equal(res.status, 'Accepted');
    const limits = await received(ev, 2);
    assert.ok(limits[1]! <= 16, `the EV's schedule stays within the site share: ${limits[1]} A`);
    const [share, needs] = ev.payloads;
    assert.equal(needs!.chargingProfile.id, share!.chargingProfile.id);
    assert.equal(needs!.chargingProfile.stackLevel, share!.chargingProfile.stackLevel);
    assert.equal(needs!.chargingProfile.transactionId, 'tx-ev');
    await end201(ev, 'tx-ev');
  });

  test('bad input: a station in two sites is a 409; a limit below the minimums a 400 with the numbers', async () => {
    await h.provision('LM-X1');
    await h.provision('LM-X2');
    await h.provision('LM-X3');
    await createSite('one', ['LM-X1']);
    const twice = await h.api('POST', '/v1/sites', {
      id: 'two',
      name: 'Two',
      limit: { value: 32, unit: 'A' },
      stationIds: ['LM-X2', 'LM-X1'],
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'conflict');
    assert.match(twice.body.error.message, /LM-X1 is already in site one/);
    // Nothing left behind: the site is absent and LM-X2 is free for another site.
    assert.equal((await h.api('GET', '/v1/sites/two')).status, 404);
    await createSite('three', ['LM-X2']);
    const patch = await h.api('PATCH', '/v1/sites/three', { stationIds: ['LM-X2', 'LM-X1'] });
    assert.equal(patch.status, 409);
    assert.deepEqual((await h.api('GET', '/v1/sites/three')).body.stationIds, ['LM-X2']);

    const low = await h.api('POST', '/v1/sites', {
      id: 'tiny',
      name: 'Tiny',
      limit: { value: 10, unit: 'A' },
      stationIds: ['LM-X3'],
      schedule: { timeZone: 'Europe/Paris', windows: [{ from: '10:00', to: '16:00', value: 5 }] },
    });
    assert.equal(low.status, 400);
    assert.equal(low.body.error.code, 'invalid_request');
    assert.equal(
      low.body.error.message,
      "The limit of window 10:00-16:00, 5 A, is below the sum of the stations' minimum charging rates, 6 A (LM-X3 6 A)",
    );
    const lowPatch = await h.api('PATCH', '/v1/sites/three', { limit: { value: 5.5, unit: 'A' } });
    assert.equal(lowPatch.status, 400);
    assert.match(lowPatch.body.error.message, /5\.5 A, is below the sum .* 6 A \(LM-X2 6 A\)/);
    // In W: 6 A × 230 V × 3 phases per station.
    const lowW = await h.api('PATCH', '/v1/sites/three', { limit: { value: 4000, unit: 'W' } });
    assert.equal(lowW.status, 400);
    assert.match(lowW.body.error.message, /4000 W, is below the sum .* 4140 W/);

    // Viewers read, never write; no token, nothing.
    assert.equal((await h.api('GET', '/v1/sites', undefined, VIEWER)).status, 200);
    assert.equal((await h.api('GET', '/v1/sites/one/allocation', undefined, VIEWER)).status, 200);
    assert.equal((await h.api('PATCH', '/v1/sites/one', { name: 'x' }, VIEWER)).status, 403);
    assert.equal((await h.api('GET', '/v1/sites', undefined, null)).status, 401);

    const unknown = await h.api('POST', '/v1/sites', {
      id: 'ghost',
      name: 'Ghost',
      limit: { value: 32, unit: 'A' },
      stationIds: ['NOPE'],
    });
    assert.equal(unknown.status, 400);
    assert.equal((await h.api('DELETE', '/v1/sites/one')).status, 204);
    await createSite('one-again', ['LM-X1']);
  });
});
