/** HTTP API: provisioning stations, the station view, settings; through the local host. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { TABLE_NAME } from '../../infra/local/host.js';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import type { StationView } from '../../functions/api/stations.js';

let h: Harness;
/** The host's own table, to set up what stations would have reported. */
let store: Store;
before(async () => {
  h = await startHarness();
  store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
});
after(() => h.close());

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const PASSWORD = 'Secret-0123456789abcdef';

describe('POST /v1/stations', () => {
  test('provisions a station: 201 with the view, never the password or its hash', async () => {
    const res = await h.api('POST', '/v1/stations', {
      id: 'CP-new',
      password: PASSWORD,
      protocol: 'ocpp2.0.1',
    });
    assert.equal(res.status, 201);
    assert.match(res.body.createdAt, ISO);
    assert.deepEqual(res.body, {
      id: 'CP-new',
      provisioned: true,
      enabled: true,
      freeCharging: false,
      pinnedProtocol: 'ocpp2.0.1',
      // Security profile 1 unless said otherwise: Basic auth over ws:// or wss://, as before profiles.
      securityProfile: 1,
      connected: false,
      protocol: null,
      registrationStatus: null,
      vendor: null,
      model: null,
      serialNumber: null,
      firmwareVersion: null,
      createdAt: res.body.createdAt,
      lastSeenAt: null,
      stationStatus: null,
      evses: [],
    });
    const text = JSON.stringify([res.body, (await h.api('GET', '/v1/stations/CP-new')).body]);
    assert.ok(!text.includes(PASSWORD));
    assert.ok(!text.includes('scrypt'));
    assert.ok(!text.toLowerCase().includes('hash'));
  });

  test('the station connects with the provisioned password and boots Accepted', async () => {
    const password = await h.provision('CP-boot');
    const station = await h.station('CP-boot', 'ocpp1.6', { password });
    const boot = await station.call('BootNotification', {
      chargePointVendor: 'ACME',
      chargePointModel: 'Fast-1',
    });
    assert.equal(boot.status, 'Accepted');
    await assert.rejects(h.station('CP-boot', 'ocpp1.6', { password: 'Wrong-0123456789abcdef' }));
  });

  test('409 conflict when the station is already provisioned', async () => {
    await h.provision('CP-dup');
    const res = await h.api('POST', '/v1/stations', { id: 'CP-dup', password: PASSWORD });
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.match(res.body.error.message, /CP-dup/);
  });

  test('400 with a message per field', async () => {
    const res = await h.api('POST', '/v1/stations', {
      id: 'bad id/with:chars',
      password: 'short',
      protocol: 'ocpp1.5',
      freeCharging: 'yes',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_request');
    assert.equal(res.body.error.message, 'Invalid request body');
    const byPath = new Map<string, string>(res.body.error.fields.map((f: FieldError) => [f.path, f.message]));
    assert.deepEqual([...byPath.keys()].sort(), ['freeCharging', 'id', 'password', 'protocol']);
    assert.match(byPath.get('password')!, /at least 16 characters/);
    assert.match(byPath.get('id')!, /1 to 48 characters/);
    assert.match(byPath.get('protocol')!, /ocpp2\.0\.1/);
  });

  test('400 for a password with characters outside passwordString, or longer than 40', async () => {
    for (const password of ['with spaces 0123456789', 'x'.repeat(41)]) {
      const res = await h.api('POST', '/v1/stations', { id: 'CP-pw', password });
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.body.error.fields.map((f: FieldError) => f.path),
        ['password'],
      );
    }
  });

  test('400 for missing fields, unknown fields (typos), a missing or non-JSON body', async () => {
    const missing = await h.api('POST', '/v1/stations', { id: 'CP-x' });
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.error.fields, [
      { path: 'password', message: 'password is required for security profiles 1 and 2' },
    ]);

    const typo = await h.api('POST', '/v1/stations', { id: 'CP-x', password: PASSWORD, freecharging: true });
    assert.equal(typo.status, 400);
    assert.deepEqual(typo.body.error.fields, [{ path: 'freecharging', message: 'Unknown field' }]);

    const notJson = await h.api('POST', '/v1/stations', '{"id": "CP-x",');
    assert.equal(notJson.status, 400);
    assert.deepEqual(notJson.body, {
      error: { code: 'invalid_request', message: 'The request body is not valid JSON' },
    });

    const noBody = await h.api('POST', '/v1/stations');
    assert.equal(noBody.status, 400);
    assert.equal(noBody.body.error.code, 'invalid_request');

    const array = await h.api('POST', '/v1/stations', [1]);
    assert.equal(array.status, 400);
    assert.equal(array.body.error.fields[0].path, '');

    assert.equal((await h.api('GET', '/v1/stations/CP-x')).status, 404);
  });
});

describe('GET /v1/stations/{id}', () => {
  test('404 not_found for an unknown station', async () => {
    const res = await h.api('GET', '/v1/stations/CP-nobody');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: { code: 'not_found', message: 'No station CP-nobody' } });
  });

  test('a 1.6 station: boot data, connection, connector 0 as stationStatus, each connector an EVSE', async () => {
    const password = await h.provision('CP-16');
    const station = await h.station('CP-16', 'ocpp1.6', { password });
    await station.call('BootNotification', {
      chargePointVendor: 'ACME',
      chargePointModel: 'Fast-1',
      chargePointSerialNumber: 'SN-1',
      firmwareVersion: '1.2.3',
    });
    const status = (
      connectorId: number,
      s: string,
      errorCode = 'NoError',
      timestamp = '2026-03-01T10:00:00Z',
    ) => station.call('StatusNotification', { connectorId, status: s, errorCode, timestamp });
    await status(0, 'Available');
    await status(2, 'Faulted', 'GroundFailure');
    await status(1, 'Charging');

    const res = await h.api('GET', '/v1/stations/CP-16');
    assert.equal(res.status, 200);
    const view = res.body;
    assert.equal(view.connected, true);
    assert.equal(view.protocol, 'ocpp1.6');
    assert.equal(view.registrationStatus, 'Accepted');
    assert.equal(view.vendor, 'ACME');
    assert.equal(view.model, 'Fast-1');
    assert.equal(view.serialNumber, 'SN-1');
    assert.equal(view.firmwareVersion, '1.2.3');
    assert.match(view.lastSeenAt, ISO);
    assert.deepEqual(view.stationStatus, {
      status: 'Available',
      statusAt: '2026-03-01T10:00:00.000Z',
      errorCode: null,
    });
    assert.deepEqual(view.evses, [
      {
        id: 1,
        connectors: [{ id: 1, status: 'Charging', statusAt: '2026-03-01T10:00:00.000Z', errorCode: null }],
      },
      {
        id: 2,
        connectors: [
          { id: 1, status: 'Faulted', statusAt: '2026-03-01T10:00:00.000Z', errorCode: 'GroundFailure' },
        ],
      },
    ]);
  });

  test('a 2.0.1 station: connectors grouped under their EVSE, in order', async () => {
    await h.provision('CP-201');
    const put = (evseId: number, connectorId: number, status: string) =>
      store.connectors.putStatus('CP-201', {
        evseId,
        connectorId,
        status,
        statusAt: '2026-03-01T10:00:00.000Z',
      });
    await put(2, 1, 'Unavailable');
    await put(1, 2, 'Occupied');
    await put(1, 1, 'Available');

    const res = await h.api('GET', '/v1/stations/CP-201');
    assert.equal(res.status, 200);
    assert.equal(res.body.stationStatus, null);
    assert.deepEqual(
      res.body.evses.map((e: StationView['evses'][number]) => ({
        id: e.id,
        connectors: e.connectors.map((c) => [c.id, c.status]),
      })),
      [
        {
          id: 1,
          connectors: [
            [1, 'Available'],
            [2, 'Occupied'],
          ],
        },
        { id: 2, connectors: [[1, 'Unavailable']] },
      ],
    );
  });

  test('path parameters are URL-decoded', async () => {
    await h.provision('CP|pipe@x');
    const res = await h.api('GET', `/v1/stations/${encodeURIComponent('CP|pipe@x')}`);
    assert.equal(res.status, 200);
    assert.equal(res.body.id, 'CP|pipe@x');
  });
});

describe('PATCH /v1/stations/{id}', () => {
  test('disabling refuses the station at its next connection; enabling lets it back in', async () => {
    const password = await h.provision('CP-off');
    const off = await h.api('PATCH', '/v1/stations/CP-off', { enabled: false });
    assert.equal(off.status, 200);
    assert.equal(off.body.enabled, false);
    assert.equal((await h.api('GET', '/v1/stations/CP-off')).body.enabled, false);
    await assert.rejects(h.station('CP-off', 'ocpp1.6', { password }));

    const on = await h.api('PATCH', '/v1/stations/CP-off', { enabled: true });
    assert.equal(on.body.enabled, true);
    const station = await h.station('CP-off', 'ocpp1.6', { password });
    const boot = await station.call('BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'M' });
    assert.equal(boot.status, 'Accepted');
  });

  test('free charging and the pinned protocol: set, kept when absent, unpinned with null', async () => {
    await h.provision('CP-pin');
    const pinned = await h.api('PATCH', '/v1/stations/CP-pin', { protocol: 'ocpp2.1', freeCharging: true });
    assert.equal(pinned.status, 200);
    assert.equal(pinned.body.pinnedProtocol, 'ocpp2.1');
    assert.equal(pinned.body.freeCharging, true);

    const unchanged = await h.api('PATCH', '/v1/stations/CP-pin', {});
    assert.equal(unchanged.status, 200);
    assert.equal(unchanged.body.pinnedProtocol, 'ocpp2.1');

    const unpinned = await h.api('PATCH', '/v1/stations/CP-pin', { protocol: null });
    assert.equal(unpinned.body.pinnedProtocol, null);
    assert.equal(unpinned.body.freeCharging, true);
    assert.equal(unpinned.body.enabled, true);
  });

  test('a pinned station cannot connect with another version', async () => {
    const password = await h.provision('CP-only201', { protocol: 'ocpp2.0.1' });
    await assert.rejects(h.station('CP-only201', 'ocpp1.6', { password }));
    const station = await h.station('CP-only201', 'ocpp2.0.1', { password });
    assert.equal(station.protocol, 'ocpp2.0.1');
  });

  test('404 for an unknown station; 400 for unknown fields and wrong types', async () => {
    const unknown = await h.api('PATCH', '/v1/stations/CP-nobody', { enabled: false });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'not_found');
    assert.equal((await h.api('GET', '/v1/stations/CP-nobody')).status, 404);

    await h.provision('CP-patch');
    const bad = await h.api('PATCH', '/v1/stations/CP-patch', { enabled: 'no', password: PASSWORD });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.fields.map((f: FieldError) => f.path).sort(), ['enabled', 'password']);
  });
});

describe('routes', () => {
  test('404 for an unknown route, 405 for a known path with another method', async () => {
    const unknown = await h.api('GET', '/v1/chargers');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.body, { error: { code: 'not_found', message: 'No route GET /v1/chargers' } });

    const wrongMethod = await h.api('PUT', '/v1/stations/CP-boot');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.body.error.code, 'method_not_allowed');
  });

  test('400 for an unknown query parameter', async () => {
    const res = await h.api('GET', '/v1/stations/CP-boot?verbose=1');
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.error.fields, [{ path: 'verbose', message: 'Unknown query parameter' }]);
  });
});

describe('DELETE /v1/stations/{id}', () => {
  test('removes an offline station and its connector statuses, keeps its transactions; 404 after', async () => {
    const password = await h.provision('DEL-1');
    const cs = await h.station('DEL-1', 'ocpp1.6', { password });
    await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' });
    await cs.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' });
    const start = await cs.call('StartTransaction', {
      connectorId: 1,
      idTag: 'ANY',
      meterStart: 0,
      timestamp: '2026-01-01T00:00:00Z',
    });
    await cs.close();
    for (let i = 0; i < 50 && (await h.api('GET', '/v1/stations/DEL-1')).body.connected; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }

    assert.equal((await h.api('DELETE', '/v1/stations/DEL-1')).status, 204);
    assert.equal((await h.api('GET', '/v1/stations/DEL-1')).status, 404);
    assert.deepEqual(await store.connectors.list('DEL-1'), []);
    const txs = await h.api('GET', '/v1/transactions?stationId=DEL-1');
    assert.deepEqual(
      txs.body.items.map((t: { id: string }) => t.id),
      [String(start.transactionId)],
    );
    assert.equal((await h.api('DELETE', '/v1/stations/DEL-1')).status, 404);
    // The id can be provisioned again.
    await h.provision('DEL-1');
  });

  test('a connected station: 409, unless ?force=true, which also closes its connection', async () => {
    const password = await h.provision('DEL-2');
    const cs = await h.station('DEL-2', 'ocpp2.0.1', { password });
    const res = await h.api('DELETE', '/v1/stations/DEL-2');
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'conflict');
    assert.equal((await h.api('GET', '/v1/stations/DEL-2')).status, 200);

    const closed = new Promise<void>((resolve) => cs.on('close', () => resolve()));
    assert.equal((await h.api('DELETE', '/v1/stations/DEL-2?force=true')).status, 204);
    await closed;
    assert.equal((await h.api('GET', '/v1/stations/DEL-2')).status, 404);
  });
});
