/**
 * The command path (shared/calls) with real, strict OCPP 2.0.1 stations (ocpp-rpc validates every
 * CALL the CSMS sends against the official schemas): what the station receives, the stored
 * outcome, the command.completed.v1 event, one CALL at a time, queueing while offline, what
 * happens when a connection drops mid-command, password rotation, requestId tie-backs, and the
 * boot gate for triggered messages. Named after the 2.0.1 compliance test cases (part 6, *_CSMS).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { verifySecret } from '../../shared/auth/secrets.js';
import type { CommandPath } from '../../shared/calls/service.js';
import { CommandValidationError, type Command } from '../../shared/calls/types.js';
import type { EventDetail } from '../../shared/events/catalog.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { callError, gate, outcome, peer, status, waitFor, type Peer } from '../support/commands.js';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };
const NOW = '2025-05-01T10:00:00.000Z';

describe('OCPP 2.0.1 remote commands', () => {
  let h: Harness;
  let commands: CommandPath;
  let store: Store;

  const completedEvents = (stationId: string) =>
    eventsOf(h.host, 'command.completed.v1', stationId).map(
      (e) => e.detail as EventDetail<'command.completed.v1'>,
    );
  /** The command is final in the store a moment before its event is published: wait for `count`. */
  const published = (stationId: string, count: number) =>
    waitFor(`${count} command.completed.v1`, () => {
      const events = completedEvents(stationId);
      return events.length >= count ? events : undefined;
    });

  /** A provisioned, booted 2.0.1 station. */
  const bootedStation = async (id: string, answers?: Peer['answers']): Promise<Peer> => {
    await h.provision(id);
    const p = await peer(h, id, 'ocpp2.0.1', answers ? { answers } : {});
    assert.equal((await p.client.call('BootNotification', boot)).status, 'Accepted');
    return p;
  };

  const submit = (stationId: string, action: string, payload: Record<string, unknown>, extra = {}) =>
    commands.submit({ stationId, action, payload, ...extra }, new Date());

  before(async () => {
    h = await startHarness({ admitUnknownStations: true, sweepIntervalMs: 200 });
    // Imported once the host has set the functions' environment (log level, endpoints).
    commands = (await import('../../functions/ocpp/command-path.js')).commandPath();
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
  });

  after(async () => {
    await h.close();
  });

  test('TC_B_06_CSMS B06.FR.01: GetVariables is sent as given, the answer completes the command and lands in the device model', async () => {
    const station = 'CS201-GETVAR';
    const cs = await bootedStation(station);
    cs.answers.set('GetVariables', () => ({
      getVariableResult: [
        {
          attributeStatus: 'Accepted',
          attributeValue: '300',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'OfflineThreshold' },
        },
      ],
    }));
    const payload = {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'OfflineThreshold' } }],
    };
    const submitted = await submit(station, 'GetVariables', payload);
    assert.equal(submitted.protocol, 'ocpp2.0.1');
    const done = await outcome(commands, submitted.id);

    assert.deepEqual(cs.received, [{ action: 'GetVariables', params: payload }], 'exactly the payload');
    assert.equal(done.status, 'completed');
    assert.ok(done.sentAt && done.completedAt && done.messageId);
    assert.deepEqual(done.response, {
      getVariableResult: [
        {
          attributeStatus: 'Accepted',
          attributeValue: '300',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'OfflineThreshold' },
        },
      ],
    });
    const [event] = await published(station, 1);
    assert.deepEqual(
      { ...event, occurredAt: undefined },
      {
        stationId: station,
        occurredAt: undefined,
        commandId: submitted.id,
        protocol: 'ocpp2.0.1',
        action: 'GetVariables',
        status: 'completed',
      },
    );
    const [attribute] = await store.deviceModel.attributeResults(station);
    assert.deepEqual(
      attribute && [attribute.component.name, attribute.variable.name, attribute.status, attribute.value],
      ['OCPPCommCtrlr', 'OfflineThreshold', 'Accepted', '300'],
    );
    assert.deepEqual(
      (await commands.listForStation(station, 10)).items.map((c) => c.id),
      [submitted.id],
    );
  });

  test('TC_B_09_CSMS B05.FR.01: SetVariables; the value is kept per variable only where the station accepted it', async () => {
    const station = 'CS201-SETVAR';
    const cs = await bootedStation(station);
    cs.answers.set('SetVariables', () => ({
      setVariableResult: [
        {
          attributeStatus: 'Accepted',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'OfflineThreshold' },
        },
        {
          attributeStatus: 'UnknownVariable',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'Nope' },
        },
      ],
    }));
    const command = await submit(station, 'SetVariables', {
      setVariableData: [
        {
          attributeValue: '123',
          component: { name: 'OCPPCommCtrlr' },
          variable: { name: 'OfflineThreshold' },
        },
        { attributeValue: 'x', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'Nope' } },
      ],
    });
    assert.equal((await outcome(commands, command.id)).status, 'completed');
    const stored = (await store.deviceModel.attributeResults(station))
      .map((a) => [a.variable.name, a.status, a.value])
      .sort();
    assert.deepEqual(stored, [
      ['Nope', 'UnknownVariable', undefined],
      ['OfflineThreshold', 'Accepted', '123'],
    ]);
  });

  test('OCPP-J §4.1.1: two commands submitted at once reach the station one after the other, in order', async () => {
    const station = 'CS201-ORDER';
    const cs = await bootedStation(station);
    const first = gate();
    cs.answers.set('ClearCache', async () => {
      await first.opened;
      return { status: 'Accepted' };
    });
    const [a, b] = await Promise.all([
      submit(station, 'ClearCache', {}),
      submit(station, 'GetLocalListVersion', {}),
    ]);
    cs.answers.set('GetLocalListVersion', () => ({ versionNumber: 7 }));
    await waitFor('the first CALL', () => (cs.received.length > 0 ? true : undefined));
    // The first is unanswered: the second must not have been sent.
    assert.equal((await commands.get(b.id))?.status, 'queued');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['ClearCache'],
    );
    first.open();
    assert.equal((await outcome(commands, a.id)).status, 'completed');
    assert.equal((await outcome(commands, b.id)).status, 'completed');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['ClearCache', 'GetLocalListVersion'],
    );
    assert.equal(cs.maxInFlight, 1);
    assert.equal((await store.localList.get(station))?.version, 7, 'GetLocalListVersion stored');
  });

  test('a CALLERROR fails the command with its code; a Rejected status rejects it', async () => {
    const station = 'CS201-ERRORS';
    const cs = await bootedStation(station);
    cs.answers.set('UnlockConnector', () => {
      throw callError('NotSupported', 'no locks here');
    });
    cs.answers.set('Reset', () => ({ status: 'Rejected' }));
    const unlock = await submit(station, 'UnlockConnector', { evseId: 1, connectorId: 1 });
    const failed = await outcome(commands, unlock.id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'NotSupported');
    assert.equal(failed.error?.description, 'no locks here');
    const reset = await submit(station, 'Reset', { type: 'Immediate' });
    const rejected = await outcome(commands, reset.id);
    assert.equal(rejected.status, 'rejected');
    assert.deepEqual(rejected.response, { status: 'Rejected' });
    assert.deepEqual(
      (await published(station, 2)).map((e) => [e.action, e.status, e.errorCode, e.responseStatus]),
      [
        ['UnlockConnector', 'failed', 'NotSupported', undefined],
        ['Reset', 'rejected', undefined, 'Rejected'],
      ],
    );
  });

  test('a CALLRESULT that breaks the response schema fails the command with the validation error', async () => {
    const station = 'CS201-BADANSWER';
    const password = await h.provision(station);
    const raw = await h.raw(station, 'ocpp2.0.1', password);
    const calls: unknown[][] = [];
    raw.ws.on('message', (data) => {
      const frame = JSON.parse((data as Buffer).toString('utf8')) as unknown[];
      if (frame[0] !== 2) return;
      calls.push(frame);
      // A ClearCacheResponse without its required status.
      raw.ws.send(JSON.stringify([3, frame[1], { state: 'Accepted' }]));
    });
    await raw.send(JSON.stringify([2, 'b1', 'BootNotification', boot]));
    const command = await submit(station, 'ClearCache', {});
    const failed = await outcome(commands, command.id);
    assert.equal(calls.length, 1);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'InvalidResponse');
    assert.match(failed.error?.description ?? '', /status/);
    assert.deepEqual(failed.response, { state: 'Accepted' });
    assert.equal((await published(station, 1))[0]?.errorCode, 'InvalidResponse');
  });

  test('an invalid payload is refused naming the field, and nothing is sent', async () => {
    const station = 'CS201-INVALID';
    const cs = await bootedStation(station);
    await assert.rejects(
      submit(station, 'Reset', { type: 'Sometime' }),
      (error: unknown) =>
        error instanceof CommandValidationError && error.fields.some((f) => f.path === 'type'),
    );
    await assert.rejects(
      submit(station, 'SetChargingProfile', { evseId: 1 }),
      (error: unknown) =>
        error instanceof CommandValidationError && error.fields.some((f) => f.path === 'chargingProfile'),
    );
    await assert.rejects(
      submit(station, 'GetVariables', { getVariableData: [{ component: { name: 'X' }, variable: {} }] }),
      (error: unknown) =>
        error instanceof CommandValidationError &&
        error.fields.some((f) => f.path === 'getVariableData[0].variable.name'),
    );
    // A 1.6 message is not a 2.0.1 command; a station message is not one either.
    await assert.rejects(
      submit(station, 'ChangeConfiguration', { key: 'a', value: 'b' }),
      /not a CSMS-initiated/,
    );
    await assert.rejects(submit(station, 'Heartbeat', {}), /not a CSMS-initiated/);
    assert.deepEqual(cs.received, []);
    assert.deepEqual((await commands.listForStation(station, 10)).items, []);
  });

  test('the same idempotency key returns the first command, and the station gets one CALL', async () => {
    const station = 'CS201-IDEMP';
    const cs = await bootedStation(station);
    const [a, b] = await Promise.all([
      submit(station, 'ClearCache', {}, { idempotencyKey: 'k-1' }),
      submit(station, 'ClearCache', {}, { idempotencyKey: 'k-1' }),
    ]);
    assert.equal(a.id, b.id);
    await outcome(commands, a.id);
    const again = await submit(station, 'ClearCache', {}, { idempotencyKey: 'k-1' });
    assert.equal(again.id, a.id);
    assert.equal(again.status, 'completed');
    assert.equal(cs.received.length, 1);
    assert.equal((await commands.listForStation(station, 10)).items.length, 1);
  });

  test('queued while offline, sent in order once the station is back; refused when queueing is not wanted', async () => {
    const station = 'CS201-OFFLINE';
    const first = await bootedStation(station);
    await first.client.close();
    await waitFor('the station to be offline', async () =>
      (await store.stations.get(station))?.connected === false ? true : undefined,
    );
    await assert.rejects(submit(station, 'ClearCache', {}, { queueIfOffline: false }), /not connected/);
    const a = await submit(station, 'GetLocalListVersion', {});
    const b = await submit(station, 'ClearCache', {});
    assert.equal(a.status, 'queued');
    assert.equal(b.status, 'queued');
    const cs = await peer(h, station, 'ocpp2.0.1');
    cs.answers.set('GetLocalListVersion', () => ({ versionNumber: 0 }));
    // Sent on the station's first message (or by the sweep, whichever comes first).
    await cs.client.call('Heartbeat', {});
    assert.equal((await outcome(commands, a.id)).status, 'completed');
    assert.equal((await outcome(commands, b.id)).status, 'completed');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['GetLocalListVersion', 'ClearCache'],
    );
  });

  test('TC_B_20_CSMS: a Reset the station never answered before its connection dropped is not sent again', async () => {
    const station = 'CS201-RESETDROP';
    const cs = await bootedStation(station);
    cs.answers.set('Reset', () => new Promise(() => undefined)); // reboots without answering
    const reset = await submit(station, 'Reset', { type: 'Immediate' });
    await waitFor('the Reset', () => (cs.received.length === 1 ? true : undefined));
    await cs.client.close({ force: true });
    const back = await peer(h, station, 'ocpp2.0.1');
    await back.client.call('BootNotification', { ...boot, reason: 'RemoteReset' });
    await back.client.call('Heartbeat', {});
    const done = await outcome(commands, reset.id);
    assert.equal(done.status, 'timeout');
    assert.equal(done.error?.code, 'ConnectionLost');
    // Something else still goes out: the station is not blocked.
    const next = await submit(station, 'ClearCache', {});
    assert.equal((await outcome(commands, next.id)).status, 'completed');
    assert.deepEqual(
      back.received.map((r) => r.action),
      ['ClearCache'],
      'no second Reset',
    );
  });

  test('a GetVariables unanswered when the connection dropped is sent again on the next connection', async () => {
    const station = 'CS201-READDROP';
    const cs = await bootedStation(station);
    cs.answers.set('GetVariables', () => new Promise(() => undefined));
    const payload = {
      getVariableData: [{ component: { name: 'ClockCtrlr' }, variable: { name: 'DateTime' } }],
    };
    const read = await submit(station, 'GetVariables', payload);
    await waitFor('the GetVariables', () => (cs.received.length === 1 ? true : undefined));
    await cs.client.close({ force: true });
    await status(commands, read.id, 'queued');
    const back = await peer(h, station, 'ocpp2.0.1');
    back.answers.set('GetVariables', () => ({
      getVariableResult: [
        {
          attributeStatus: 'Accepted',
          attributeValue: NOW,
          component: { name: 'ClockCtrlr' },
          variable: { name: 'DateTime' },
        },
      ],
    }));
    await back.client.call('Heartbeat', {});
    const done = await outcome(commands, read.id);
    assert.equal(done.status, 'completed');
    assert.deepEqual(back.received, [{ action: 'GetVariables', params: payload }]);
  });

  test('TC_A_09_CSMS A01.FR.03: the station accepts the new password: the old one is refused from then on, the new one works', async () => {
    const station = 'CS201-PWOK';
    const cs = await bootedStation(station);
    const oldPassword = `pw-${station}-0123456789abcdef`;
    const newPassword = 'new-Secret_0123456789';
    cs.answers.set(
      'SetVariables',
      (params: { setVariableData: { component: unknown; variable: unknown }[] }) => ({
        setVariableResult: params.setVariableData.map((d) => ({
          attributeStatus: 'Accepted',
          component: d.component,
          variable: d.variable,
        })),
      }),
    );
    const command = await commands.rotatePassword(station, newPassword, new Date());
    const done = await outcome(commands, command.id);
    assert.equal(done.status, 'completed', JSON.stringify(done.error));
    // The station got the password; the CSMS kept only a redacted copy and a hash.
    assert.deepEqual(cs.received, [
      {
        action: 'SetVariables',
        params: {
          setVariableData: [
            {
              component: { name: 'SecurityCtrlr' },
              variable: { name: 'BasicAuthPassword' },
              attributeValue: newPassword,
            },
          ],
        },
      },
    ]);
    assert.equal((done.payload.setVariableData as { attributeValue: string }[])[0]?.attributeValue, '***');
    assert.ok(!JSON.stringify(await store.commands.get(command.id)).includes(newPassword));
    assert.ok(!JSON.stringify(await store.deviceModel.attributeResults(station)).includes(newPassword));
    const hash = (await store.stations.get(station))?.passwordHash ?? '';
    assert.ok(await verifySecret(newPassword, hash));
    await cs.client.close();
    await assert.rejects(h.station(station, 'ocpp2.0.1', { password: oldPassword }), /401|Unauthorized/);
    const again = await h.station(station, 'ocpp2.0.1', { password: newPassword });
    assert.equal((await again.call('BootNotification', boot)).status, 'Accepted');
  });

  test('TC_A_10_CSMS A01.FR.04: the station rejects the new password: the old one keeps working', async () => {
    const station = 'CS201-PWNO';
    const cs = await bootedStation(station);
    const oldPassword = `pw-${station}-0123456789abcdef`;
    cs.answers.set(
      'SetVariables',
      (params: { setVariableData: { component: unknown; variable: unknown }[] }) => ({
        setVariableResult: params.setVariableData.map((d) => ({
          attributeStatus: 'Rejected',
          component: d.component,
          variable: d.variable,
        })),
      }),
    );
    const command = await commands.rotatePassword(station, 'another-Secret_0123456789', new Date());
    // Every item refused: the command reads as rejected, not completed.
    assert.equal((await outcome(commands, command.id)).status, 'rejected');
    assert.equal(cs.received.length, 1);
    await cs.client.close();
    await assert.rejects(
      h.station(station, 'ocpp2.0.1', { password: 'another-Secret_0123456789' }),
      /401|Unauthorized/,
    );
    await h.station(station, 'ocpp2.0.1', { password: oldPassword });
    assert.equal((await store.commands.get(command.id))?.pendingPasswordHash, undefined, 'hash dropped');
  });

  test('TC_B_12_CSMS B07.FR.07: the NotifyReport parts of a GetBaseReport appear as its results; the report lands in the device model', async () => {
    const station = 'CS201-REPORT';
    const cs = await bootedStation(station);
    const report = (seqNo: number, tbc: boolean, name: string) => ({
      requestId: 42,
      generatedAt: NOW,
      seqNo,
      tbc,
      reportData: [
        {
          component: { name: 'OCPPCommCtrlr' },
          variable: { name },
          variableAttribute: [{ value: '1', mutability: 'ReadWrite' }],
        },
      ],
    });
    cs.answers.set('GetBaseReport', () => {
      // The parts follow the answer (B07.FR.07).
      setImmediate(() => {
        void (async () => {
          await cs.client.call('NotifyReport', report(0, true, 'OfflineThreshold'));
          await cs.client.call('NotifyReport', report(1, false, 'MessageTimeout'));
          await cs.client.call('NotifyReport', report(1, false, 'MessageTimeout')); // a retry
        })();
      });
      return { status: 'Accepted' };
    });
    const command = await submit(station, 'GetBaseReport', {
      requestId: 42,
      reportBase: 'ConfigurationInventory',
    });
    assert.equal(command.requestId, 42);
    assert.equal((await outcome(commands, command.id)).status, 'completed');
    const done = await waitFor('both report parts', async () => {
      const c = await commands.get(command.id);
      return (c?.results?.length ?? 0) >= 2 ? c : undefined;
    });
    assert.deepEqual(
      done.results?.map((r) => [r.action, r.payload.seqNo, r.payload.tbc, r.payload.variables]),
      [
        ['NotifyReport', 0, true, 1],
        ['NotifyReport', 1, false, 1],
      ],
    );
    assert.equal(done.resultCount, 2, 'the retried part is counted once');
    const { items } = await store.deviceModel.listVariables(station, 10);
    assert.deepEqual(items.map((i) => i.variable.name).sort(), ['MessageTimeout', 'OfflineThreshold']);
  });

  test('K01 / K10 / K09: SetChargingProfile stored, reported by ReportChargingProfiles (a result of GetChargingProfiles), removed by ClearChargingProfile', async () => {
    const station = 'CS201-PROFILES';
    const cs = await bootedStation(station);
    const profile = {
      id: 5,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: [
        {
          id: 1,
          chargingRateUnit: 'A',
          startSchedule: NOW,
          chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
        },
      ],
    };
    const set = await submit(station, 'SetChargingProfile', { evseId: 1, chargingProfile: profile });
    assert.equal((await outcome(commands, set.id)).status, 'completed');
    assert.deepEqual(
      (await store.chargingProfiles.list(station)).map((p) => [p.id, p.evseId, p.source, p.profile]),
      [[5, 1, 'SetChargingProfile', profile]],
    );
    cs.answers.set('GetChargingProfiles', (params: { requestId: number }) => {
      setImmediate(() => {
        void cs.client.call('ReportChargingProfiles', {
          requestId: params.requestId,
          chargingLimitSource: 'CSO',
          evseId: 1,
          chargingProfile: [profile],
        });
      });
      return { status: 'Accepted' };
    });
    const get = await submit(station, 'GetChargingProfiles', {
      requestId: 7,
      evseId: 1,
      chargingProfile: { chargingProfilePurpose: 'TxDefaultProfile' },
    });
    await outcome(commands, get.id);
    const reported = await waitFor('the report', async () => (await commands.get(get.id))?.results?.[0]);
    assert.equal(reported.action, 'ReportChargingProfiles');
    assert.deepEqual(reported.payload.chargingProfileIds, [5]);
    cs.answers.set('ClearChargingProfile', () => ({ status: 'Accepted' }));
    const clear = await submit(station, 'ClearChargingProfile', { chargingProfileId: 5 });
    await outcome(commands, clear.id);
    assert.deepEqual(await store.chargingProfiles.list(station), []);
  });

  test('G03 / H01 / H04 / N09: availability, a reservation and its end, customer information tied back', async () => {
    const station = 'CS201-EFFECTS';
    const cs = await bootedStation(station);
    const avail = await submit(station, 'ChangeAvailability', {
      operationalStatus: 'Inoperative',
      evse: { id: 1 },
    });
    await outcome(commands, avail.id);
    assert.deepEqual(
      (await store.availability.list(station)).map((a) => [a.evseId, a.connectorId, a.operationalStatus]),
      [[1, 0, 'Inoperative']],
    );

    const expiry = new Date(Date.now() + 3_600_000).toISOString();
    const reserve = await submit(station, 'ReserveNow', {
      id: 9,
      expiryDateTime: expiry,
      idToken: { idToken: 'TOKEN-9', type: 'ISO14443' },
      evseId: 1,
    });
    await outcome(commands, reserve.id);
    assert.equal((await store.reservations.get(station, 9, new Date()))?.status, 'active');
    await cs.client.call('ReservationStatusUpdate', { reservationId: 9, reservationUpdateStatus: 'Expired' });
    assert.equal((await store.reservations.get(station, 9, new Date()))?.status, 'expired');
    assert.deepEqual(
      (await commands.get(reserve.id))?.results?.map((r) => r.action),
      ['ReservationStatusUpdate'],
    );
    assert.deepEqual(
      eventsOf(h.host, 'reservation.status-changed.v1', station).map((e) => e.detail.status),
      ['active', 'expired'],
    );
    // H04: an update for a reservation the CSMS never made is acknowledged, but changes nothing.
    assert.deepEqual(
      await cs.client.call('ReservationStatusUpdate', {
        reservationId: 4711,
        reservationUpdateStatus: 'Removed',
      }),
      {},
    );
    assert.equal(await store.reservations.get(station, 4711, new Date()), undefined);
    assert.deepEqual(
      eventsOf(h.host, 'reservation.status-changed.v1', station).map((e) => e.detail.reservationId),
      [9, 9],
    );

    cs.answers.set('CustomerInformation', (params: { requestId: number }) => {
      setImmediate(() => {
        void cs.client.call('NotifyCustomerInformation', {
          data: 'card 04A2B3 used twice',
          seqNo: 0,
          generatedAt: NOW,
          requestId: params.requestId,
        });
      });
      return { status: 'Accepted' };
    });
    const info = await submit(station, 'CustomerInformation', {
      requestId: 3,
      report: true,
      clear: false,
      idToken: { idToken: '04A2B3', type: 'ISO14443' },
    });
    await outcome(commands, info.id);
    const result = await waitFor(
      'the customer data',
      async () => (await commands.get(info.id))?.results?.[0],
    );
    assert.equal(result.payload.data, 'card 04A2B3 used twice');
  });

  test('TC_B_31_CSMS B02.FR.09: a Pending station may send what a TriggerMessage asked for, and nothing else', async () => {
    const station = 'CS201-PENDINGTRIG';
    // Not provisioned: admitted for onboarding, answered Pending.
    const cs = await peer(h, station, 'ocpp2.0.1', { password: null });
    assert.equal((await cs.client.call('BootNotification', boot)).status, 'Pending');
    const status = { timestamp: NOW, connectorStatus: 'Available', evseId: 1, connectorId: 1 };
    await assert.rejects(cs.client.call('StatusNotification', status), /SecurityError|not allowed/);
    const trigger = await submit(station, 'TriggerMessage', {
      requestedMessage: 'StatusNotification',
      evse: { id: 1, connectorId: 1 },
    });
    assert.equal((await outcome(commands, trigger.id)).status, 'completed');
    assert.deepEqual(await cs.client.call('StatusNotification', status), {});
    await assert.rejects(cs.client.call('Heartbeat', {}), /SecurityError|not allowed/);
    // TC_B_31_CSMS: a TriggerMessage for a BootNotification (always allowed).
    const boots = await submit(station, 'TriggerMessage', { requestedMessage: 'BootNotification' });
    assert.equal((await outcome(commands, boots.id)).status, 'completed');
    assert.deepEqual(cs.received.at(-1), {
      action: 'TriggerMessage',
      params: { requestedMessage: 'BootNotification' },
    });
  });

  test('get / list: newest first, paged', async () => {
    const station = 'CS201-LIST';
    await bootedStation(station);
    const made: Command[] = [];
    for (let i = 0; i < 3; i++) made.push(await submit(station, 'ClearCache', {}));
    for (const c of made) await outcome(commands, c.id);
    const first = await commands.listForStation(station, 2);
    assert.equal(first.items.length, 2);
    assert.ok(first.nextCursor);
    const second = await commands.listForStation(station, 2, first.nextCursor);
    assert.deepEqual(
      [...first.items, ...second.items].map((c) => c.id),
      made.map((c) => c.id).reverse(),
    );
    assert.equal(await commands.get('no-such-command'), undefined);
  });
});
