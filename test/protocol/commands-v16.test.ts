/**
 * The command path (shared/calls) with real, strict OCPP 1.6 stations (ocpp-rpc validates every
 * CALL against the official 1.6 schemas, Security extension included): configuration, one CALL
 * at a time, dropped connections (a read is sent again, a RemoteStart never), password rotation
 * (security whitepaper A01), status notifications tied back to their command, certificates,
 * local list, availability, and the boot gate while Pending (1.6 §4.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import type { CommandPath } from '../../shared/calls/service.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { callError, gate, outcome, peer, status, waitFor, type Peer } from '../support/commands.js';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

const boot = { chargePointVendor: 'VendorX', chargePointModel: 'ModelY' };

describe('OCPP 1.6 remote commands', () => {
  let h: Harness;
  let commands: CommandPath;
  let store: Store;

  const bootedStation = async (id: string): Promise<Peer> => {
    await h.provision(id);
    const p = await peer(h, id, 'ocpp1.6');
    assert.equal((await p.client.call('BootNotification', boot)).status, 'Accepted');
    return p;
  };

  const submit = (stationId: string, action: string, payload: Record<string, unknown>) =>
    commands.submit({ stationId, action, payload }, new Date());

  before(async () => {
    h = await startHarness({ admitUnknownStations: true, sweepIntervalMs: 200 });
    commands = (await import('../../functions/ocpp/command-path.js')).commandPath();
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
  });

  after(async () => {
    await h.close();
  });

  test('1.6 §5.3 / §5.8: ChangeConfiguration and GetConfiguration keep the configuration keys', async () => {
    const station = 'CP16-CONFIG';
    const cs = await bootedStation(station);
    cs.answers.set('ChangeConfiguration', (params: { key: string }) => ({
      status: params.key === 'MeterValueSampleInterval' ? 'RebootRequired' : 'Accepted',
    }));
    cs.answers.set('GetConfiguration', () => ({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '120' },
        { key: 'NumberOfConnectors', readonly: true, value: '2' },
      ],
      unknownKey: ['NoSuchKey'],
    }));
    const change = await submit(station, 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '120' });
    const reboot = await submit(station, 'ChangeConfiguration', {
      key: 'MeterValueSampleInterval',
      value: '60',
    });
    const read = await submit(station, 'GetConfiguration', {
      key: ['HeartbeatInterval', 'NumberOfConnectors', 'NoSuchKey'],
    });
    for (const c of [change, reboot, read]) assert.equal((await outcome(commands, c.id)).status, 'completed');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['ChangeConfiguration', 'ChangeConfiguration', 'GetConfiguration'],
    );
    const keys = Object.fromEntries((await store.configuration.list(station)).map((k) => [k.key, k]));
    assert.equal(keys.HeartbeatInterval?.value, '120');
    assert.equal(keys.HeartbeatInterval?.source, 'GetConfiguration');
    assert.equal(keys.MeterValueSampleInterval?.rebootRequired, true);
    assert.equal(keys.NumberOfConnectors?.readonly, true);
    assert.equal(keys.NoSuchKey?.unknown, true);
  });

  test('one CALL at a time: a GetConfiguration waits for the unanswered Reset before it', async () => {
    const station = 'CP16-ORDER';
    const cs = await bootedStation(station);
    const hold = gate();
    cs.answers.set('Reset', async () => {
      await hold.opened;
      return { status: 'Accepted' };
    });
    cs.answers.set('GetConfiguration', () => ({ configurationKey: [] }));
    const [reset, read] = await Promise.all([
      submit(station, 'Reset', { type: 'Soft' }),
      submit(station, 'GetConfiguration', {}),
    ]);
    await waitFor('the Reset', () => (cs.received.length === 1 ? true : undefined));
    assert.equal((await commands.get(read.id))?.status, 'queued');
    hold.open();
    assert.equal((await outcome(commands, reset.id)).status, 'completed');
    assert.equal((await outcome(commands, read.id)).status, 'completed');
    assert.deepEqual(
      cs.received.map((r) => r.action),
      ['Reset', 'GetConfiguration'],
    );
    assert.equal(cs.maxInFlight, 1);
  });

  test('a GetConfiguration unanswered when the connection dropped is sent again after reconnecting', async () => {
    const station = 'CP16-READDROP';
    const cs = await bootedStation(station);
    cs.answers.set('GetConfiguration', () => new Promise(() => undefined));
    const read = await submit(station, 'GetConfiguration', { key: ['HeartbeatInterval'] });
    await waitFor('the GetConfiguration', () => (cs.received.length === 1 ? true : undefined));
    await cs.client.close({ force: true });
    await status(commands, read.id, 'queued');
    const back = await peer(h, station, 'ocpp1.6');
    back.answers.set('GetConfiguration', () => ({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
    }));
    await back.client.call('Heartbeat', {});
    assert.equal((await outcome(commands, read.id)).status, 'completed');
    assert.deepEqual(back.received, [{ action: 'GetConfiguration', params: { key: ['HeartbeatInterval'] } }]);
  });

  test('a RemoteStartTransaction unanswered when the connection dropped is never sent again: it times out', async () => {
    const station = 'CP16-STARTDROP';
    const cs = await bootedStation(station);
    cs.answers.set('RemoteStartTransaction', () => new Promise(() => undefined));
    const start = await submit(station, 'RemoteStartTransaction', { idTag: 'TAG-1', connectorId: 1 });
    await waitFor('the RemoteStartTransaction', () => (cs.received.length === 1 ? true : undefined));
    await cs.client.close({ force: true });
    const back = await peer(h, station, 'ocpp1.6');
    await back.client.call('BootNotification', boot);
    await back.client.call('Heartbeat', {});
    const done = await outcome(commands, start.id);
    assert.equal(done.status, 'timeout');
    assert.equal(done.error?.code, 'ConnectionLost');
    assert.deepEqual(back.received, []);
    const [event] = eventsOf(h.host, 'command.completed.v1', station).map((e) => e.detail);
    assert.deepEqual(
      [event.action, event.status, event.errorCode],
      ['RemoteStartTransaction', 'timeout', 'ConnectionLost'],
    );
  });

  test('security A01.FR.03: ChangeConfiguration AuthorizationKey accepted: only the new password connects; its value is never stored', async () => {
    const station = 'CP16-PWOK';
    const cs = await bootedStation(station);
    const newPassword = '0123456789abcdef0123456789abcdef';
    const command = await commands.rotatePassword(station, newPassword, new Date());
    const done = await outcome(commands, command.id);
    assert.equal(done.status, 'completed');
    assert.deepEqual(cs.received, [
      { action: 'ChangeConfiguration', params: { key: 'AuthorizationKey', value: newPassword } },
    ]);
    assert.deepEqual(done.payload, { key: 'AuthorizationKey', value: '***' });
    assert.ok(!JSON.stringify(await store.configuration.list(station)).includes(newPassword));
    await cs.client.close();
    await assert.rejects(
      h.station(station, 'ocpp1.6', { password: `pw-${station}-0123456789abcdef` }),
      /401|Unauthorized/,
    );
    await h.station(station, 'ocpp1.6', { password: newPassword });
  });

  test('security A01.FR.04: the AuthorizationKey is rejected: the old password keeps working', async () => {
    const station = 'CP16-PWNO';
    const cs = await bootedStation(station);
    cs.answers.set('ChangeConfiguration', () => ({ status: 'Rejected' }));
    // Through submit too: the payload carries a password, so it is handled like rotatePassword.
    const command = await submit(station, 'ChangeConfiguration', {
      key: 'AuthorizationKey',
      value: 'fedcba9876543210fedcba9876543210',
    });
    assert.deepEqual(command.payload, { key: 'AuthorizationKey', value: '***' });
    assert.equal((await outcome(commands, command.id)).status, 'rejected');
    await cs.client.close();
    await h.station(station, 'ocpp1.6', { password: `pw-${station}-0123456789abcdef` });
  });

  test('GetDiagnostics, UpdateFirmware (no requestId) and GetLog (requestId): their status notifications appear as results', async () => {
    const station = 'CP16-STATUSES';
    const cs = await bootedStation(station);
    cs.answers.set('GetDiagnostics', () => ({ fileName: 'diag.zip' }));
    cs.answers.set('UpdateFirmware', () => ({}));
    const diagnostics = await submit(station, 'GetDiagnostics', { location: 'ftp://example.com/diag' });
    const firmware = await submit(station, 'UpdateFirmware', {
      location: 'https://example.com/fw.bin',
      retrieveDate: '2025-05-01T10:00:00Z',
    });
    const log = await submit(station, 'GetLog', {
      logType: 'SecurityLog',
      requestId: 17,
      log: { remoteLocation: 'https://example.com/logs' },
    });
    for (const c of [diagnostics, firmware, log])
      assert.equal((await outcome(commands, c.id)).status, 'completed');
    await cs.client.call('DiagnosticsStatusNotification', { status: 'Uploading' });
    await cs.client.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    await cs.client.call('FirmwareStatusNotification', { status: 'Downloading' });
    await cs.client.call('LogStatusNotification', { status: 'Uploading', requestId: 17 });
    const results = async (id: string) =>
      (await commands.get(id))?.results?.map((r) => [r.action, r.payload.status]);
    assert.deepEqual(await results(diagnostics.id), [
      ['DiagnosticsStatusNotification', 'Uploading'],
      ['DiagnosticsStatusNotification', 'Uploaded'],
    ]);
    assert.deepEqual(await results(firmware.id), [['FirmwareStatusNotification', 'Downloading']]);
    assert.deepEqual(await results(log.id), [['LogStatusNotification', 'Uploading']]);
    assert.equal((await commands.get(log.id))?.requestId, 17);
  });

  test('security M03-M05: InstallCertificate, GetInstalledCertificateIds and DeleteCertificate keep the certificate list', async () => {
    const station = 'CP16-CERTS';
    const cs = await bootedStation(station);
    const hash = {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'AB12',
      issuerKeyHash: 'CD34',
      serialNumber: '01F2',
    };
    cs.answers.set('GetInstalledCertificateIds', () => ({ status: 'Accepted', certificateHashData: [hash] }));
    const install = await submit(station, 'InstallCertificate', {
      certificateType: 'CentralSystemRootCertificate',
      certificate: '-----BEGIN CERTIFICATE-----\nnot a real one\n-----END CERTIFICATE-----',
    });
    const list = await submit(station, 'GetInstalledCertificateIds', {
      certificateType: 'CentralSystemRootCertificate',
    });
    for (const c of [install, list]) assert.equal((await outcome(commands, c.id)).status, 'completed');
    const stored = await store.certificates.list(station);
    assert.deepEqual(stored.map((c) => c.kind).sort(), ['installed', 'reported']);
    assert.deepEqual(stored.find((c) => c.kind === 'reported')?.hashData, hash);
    const remove = await submit(station, 'DeleteCertificate', { certificateHashData: hash });
    assert.equal((await outcome(commands, remove.id)).status, 'completed');
    assert.deepEqual(
      (await store.certificates.list(station)).map((c) => c.kind),
      ['installed'],
    );
  });

  test('1.6 §5.2 / §5.15: ChangeAvailability Scheduled and SendLocalList Accepted are kept; a NotImplemented CALLERROR fails', async () => {
    const station = 'CP16-AVAIL';
    const cs = await bootedStation(station);
    cs.answers.set('ChangeAvailability', () => ({ status: 'Scheduled' }));
    cs.answers.set('ClearCache', () => {
      throw callError('NotImplemented', 'no cache');
    });
    const avail = await submit(station, 'ChangeAvailability', { connectorId: 2, type: 'Inoperative' });
    const list = await submit(station, 'SendLocalList', {
      listVersion: 3,
      updateType: 'Full',
      localAuthorizationList: [{ idTag: 'TAG-1', idTagInfo: { status: 'Accepted' } }],
    });
    const cache = await submit(station, 'ClearCache', {});
    for (const c of [avail, list]) assert.equal((await outcome(commands, c.id)).status, 'completed');
    assert.equal((await outcome(commands, cache.id)).error?.code, 'NotImplemented');
    assert.deepEqual(
      (await store.availability.list(station)).map((a) => [
        a.evseId,
        a.connectorId,
        a.operationalStatus,
        a.scheduled,
      ]),
      [[2, 1, 'Inoperative', true]],
    );
    assert.equal((await store.localList.get(station))?.version, 3);
  });

  test('1.6 §4.2 Pending: a triggered StatusNotification is answered; an unrequested one gets SecurityError', async () => {
    const station = 'CP16-PENDING';
    const cs = await peer(h, station, 'ocpp1.6', { password: null });
    assert.equal((await cs.client.call('BootNotification', boot)).status, 'Pending');
    const notification = { connectorId: 1, errorCode: 'NoError', status: 'Available' };
    await assert.rejects(
      cs.client.call('MeterValues', { connectorId: 1, meterValue: [] }),
      /SecurityError|not allowed/,
    );
    const trigger = await submit(station, 'TriggerMessage', {
      requestedMessage: 'StatusNotification',
      connectorId: 1,
    });
    assert.equal((await outcome(commands, trigger.id)).status, 'completed');
    assert.deepEqual(await cs.client.call('StatusNotification', notification), {});
    await assert.rejects(cs.client.call('Heartbeat', {}), /SecurityError|not allowed/);
  });
});
