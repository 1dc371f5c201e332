/**
 * What the CSMS stored about a station: the 2.x device model (NotifyReport), and what the command
 * path recorded from accepted commands (1.6 configuration keys, reservations, charging profiles).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { TABLE_NAME } from '../../infra/local/host.js';
import { startHarness, type Harness } from '../support/harness.js';
import { call, peer, type Peer } from './command-peers.js';

let h: Harness;
let store: Store;
let v16: Peer;
let v201: Peer;

before(async () => {
  h = await startHarness();
  store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
  v16 = await peer(h, 'ST-16', 'ocpp1.6');
  v201 = await peer(h, 'ST-201', 'ocpp2.0.1');
});
after(() => h.close());

describe('GET /v1/stations/{id}/device-model', () => {
  test('the reported variables, a page at a time', async () => {
    await store.deviceModel.putReported('ST-201', { requestId: 5, generatedAt: '2026-03-01T10:00:00.000Z' }, [
      {
        component: { name: 'OCPPCommCtrlr' },
        variable: { name: 'HeartbeatInterval' },
        attributes: { Actual: { value: '300', mutability: 'ReadWrite' } },
        characteristics: { dataType: 'integer', unit: 's', supportsMonitoring: false },
      },
      {
        component: { name: 'EVSE', evse: { id: 1 } },
        variable: { name: 'AvailabilityState' },
        attributes: { Actual: { value: 'Available' } },
      },
      {
        component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
        variable: { name: 'ConnectorType' },
        attributes: { Actual: { value: 'cType2', mutability: 'ReadOnly', constant: true } },
      },
    ]);
    const first = await call(h, 'GET', '/v1/stations/ST-201/device-model?limit=2');
    assert.equal(first.status, 200);
    assert.equal(first.body.items.length, 2);
    const second = await call(
      h,
      'GET',
      `/v1/stations/ST-201/device-model?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`,
    );
    const all = [...first.body.items, ...second.body.items];
    assert.equal(all.length, 3);
    const heartbeat = all.find((v: any) => v.variable.name === 'HeartbeatInterval');
    assert.deepEqual(heartbeat, {
      component: { name: 'OCPPCommCtrlr', instance: null, evse: null },
      variable: { name: 'HeartbeatInterval', instance: null },
      attributes: { Actual: { value: '300', mutability: 'ReadWrite', persistent: null, constant: null } },
      characteristics: {
        unit: 's',
        dataType: 'integer',
        minLimit: null,
        maxLimit: null,
        valuesList: null,
        supportsMonitoring: false,
      },
      reportedAt: '2026-03-01T10:00:00.000Z',
      reportRequestId: 5,
    });
    const connector = all.find((v: any) => v.component.name === 'Connector');
    assert.deepEqual(connector.component.evse, { id: 1, connectorId: 1 });
  });

  test('404 for an unknown station; an empty page for a station without a report', async () => {
    assert.equal((await call(h, 'GET', '/v1/stations/NOPE/device-model')).status, 404);
    const none = await call(h, 'GET', '/v1/stations/ST-16/device-model');
    assert.deepEqual(none.body, { items: [], nextCursor: null });
  });
});

describe('GET /v1/stations/{id}/configuration/stored', () => {
  test('1.6 keys from GetConfiguration answers and accepted ChangeConfiguration', async () => {
    const read = await call(h, 'GET', '/v1/stations/ST-16/configuration?keys=HeartbeatInterval&wait=5');
    assert.equal(read.body.status, 'completed');
    const changed = await call(h, 'PUT', '/v1/stations/ST-16/configuration?wait=5', {
      key: 'MeterValueSampleInterval',
      value: '60',
    });
    assert.equal(changed.body.status, 'completed');
    const res = await call(h, 'GET', '/v1/stations/ST-16/configuration/stored');
    assert.equal(res.status, 200);
    const byKey = new Map(res.body.items.map((k: any) => [k.key, k]));
    assert.deepEqual(byKey.get('HeartbeatInterval'), {
      key: 'HeartbeatInterval',
      value: '300',
      readonly: false,
      unknown: false,
      rebootRequired: false,
      source: 'GetConfiguration',
      at: (byKey.get('HeartbeatInterval') as any).at,
      commandId: read.body.id,
    });
    assert.equal((byKey.get('MeterValueSampleInterval') as any).value, '60');
    assert.equal((byKey.get('MeterValueSampleInterval') as any).source, 'ChangeConfiguration');
    assert.equal((await call(h, 'GET', '/v1/stations/NOPE/configuration/stored')).status, 404);
  });
});

describe('reservations and charging profiles', () => {
  test('an accepted reservation is listed active, then cancelled', async () => {
    const made = await call(h, 'POST', '/v1/stations/ST-201/reservations?wait=5', {
      idToken: 'TAG-9',
      expiresAt: '2030-01-01T00:00:00Z',
      evseId: 1,
      reservationId: 42,
    });
    assert.equal(made.body.status, 'completed');
    const listed = await call(h, 'GET', '/v1/stations/ST-201/reservations');
    assert.equal(listed.status, 200);
    const r = listed.body.items.find((i: any) => i.reservationId === 42);
    assert.equal(r.status, 'active');
    assert.equal(r.idToken, 'TAG-9');
    assert.equal(r.evseId, 1);
    assert.equal(r.expiresAt, '2030-01-01T00:00:00.000Z');

    const cancelled = await call(h, 'DELETE', '/v1/stations/ST-201/reservations/42?wait=5');
    assert.equal(cancelled.body.status, 'completed');
    const after = await call(h, 'GET', '/v1/stations/ST-201/reservations');
    assert.equal(after.body.items.find((i: any) => i.reservationId === 42).status, 'cancelled');
  });

  test('an accepted charging profile is listed, then gone once cleared', async () => {
    const profile = {
      chargingProfileId: 3,
      stackLevel: 1,
      chargingProfilePurpose: 'TxDefaultProfile',
      chargingProfileKind: 'Absolute',
      chargingSchedule: {
        startSchedule: '2026-01-01T00:00:00.000Z',
        chargingRateUnit: 'A',
        chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }],
      },
    };
    const set = await call(h, 'POST', '/v1/stations/ST-16/charging-profiles?wait=5', { evseId: 1, profile });
    assert.equal(set.body.status, 'completed');
    const listed = await call(h, 'GET', '/v1/stations/ST-16/charging-profiles');
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.items.map((p: any) => [p.id, p.evseId, p.stackLevel, p.purpose, p.source]),
      [[3, 1, 1, 'TxDefaultProfile', 'SetChargingProfile']],
    );
    assert.deepEqual(listed.body.items[0].profile, profile);
    const cleared = await call(h, 'DELETE', '/v1/stations/ST-16/charging-profiles/3?wait=5');
    assert.equal(cleared.body.status, 'completed');
    assert.deepEqual((await call(h, 'GET', '/v1/stations/ST-16/charging-profiles')).body.items, []);
    assert.ok(v16.received.some((r) => r.method === 'ClearChargingProfile'));
    assert.ok(v201.received.some((r) => r.method === 'CancelReservation'));
  });
});
