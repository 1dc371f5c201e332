/**
 * Version-neutral command routes: the same request becomes the right message for a 1.6 and a
 * 2.0.1 station (asserted on what ocpp-rpc stations in strict mode received), and a request the
 * version cannot express is a 400 naming the field, with nothing sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import { call, peer, sleep, type Peer, type Received } from './command-peers.js';

let h: Harness;
let v16: Peer;
let v201: Peer;

before(async () => {
  h = await startHarness();
  v16 = await peer(h, 'CONV-16', 'ocpp1.6');
  v201 = await peer(h, 'CONV-201', 'ocpp2.0.1');
});
after(() => h.close());

/** Sends through the route with wait=5 and returns what the station received. */
async function sent(
  station: Peer,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; command: any; received: Received[] }> {
  const mark = station.received.length;
  const sep = route.includes('?') ? '&' : '?';
  const res = await call(h, method, `/v1/stations/${station.id}${route}${sep}wait=5`, body);
  return { status: res.status, command: res.body, received: station.since(mark) };
}

const PROFILE_16 = {
  chargingProfileId: 11,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: {
    startSchedule: '2026-01-01T00:00:00.000Z',
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
  },
};
const PROFILE_201 = {
  id: 11,
  stackLevel: 0,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  chargingSchedule: [
    {
      id: 1,
      startSchedule: '2026-01-01T00:00:00.000Z',
      chargingRateUnit: 'W',
      chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }],
    },
  ],
};

interface Case {
  readonly name: string;
  readonly method: string;
  readonly route: string;
  readonly body?: unknown;
  readonly v16: Received | ((r: Received) => void);
  readonly v201: Received | ((r: Received) => void);
}

const CASES: Case[] = [
  {
    name: 'reset soft',
    method: 'POST',
    route: '/reset',
    body: { type: 'soft' },
    v16: { method: 'Reset', params: { type: 'Soft' } },
    v201: { method: 'Reset', params: { type: 'Immediate' } },
  },
  {
    name: 'remote start',
    method: 'POST',
    route: '/remote-start',
    body: { idToken: 'TAG-1', evseId: 1 },
    v16: { method: 'RemoteStartTransaction', params: { idTag: 'TAG-1', connectorId: 1 } },
    v201: (r) => {
      assert.equal(r.method, 'RequestStartTransaction');
      assert.deepEqual(r.params.idToken, { idToken: 'TAG-1', type: 'Central' });
      assert.equal(r.params.evseId, 1);
      assert.ok(Number.isInteger(r.params.remoteStartId) && r.params.remoteStartId > 0);
    },
  },
  {
    name: 'remote stop',
    method: 'POST',
    route: '/remote-stop',
    body: { transactionId: '17' },
    v16: { method: 'RemoteStopTransaction', params: { transactionId: 17 } },
    v201: { method: 'RequestStopTransaction', params: { transactionId: '17' } },
  },
  {
    name: 'unlock',
    method: 'POST',
    route: '/unlock',
    body: { evseId: 2 },
    v16: { method: 'UnlockConnector', params: { connectorId: 2 } },
    v201: { method: 'UnlockConnector', params: { evseId: 2, connectorId: 1 } },
  },
  {
    name: 'availability of an EVSE',
    method: 'POST',
    route: '/availability',
    body: { operative: false, evseId: 1 },
    v16: { method: 'ChangeAvailability', params: { connectorId: 1, type: 'Inoperative' } },
    v201: { method: 'ChangeAvailability', params: { operationalStatus: 'Inoperative', evse: { id: 1 } } },
  },
  {
    name: 'availability of the station',
    method: 'POST',
    route: '/availability',
    body: { operative: true },
    v16: { method: 'ChangeAvailability', params: { connectorId: 0, type: 'Operative' } },
    v201: { method: 'ChangeAvailability', params: { operationalStatus: 'Operative' } },
  },
  {
    name: 'read all configuration',
    method: 'GET',
    route: '/configuration',
    v16: { method: 'GetConfiguration', params: {} },
    v201: (r) => {
      assert.equal(r.method, 'GetBaseReport');
      assert.equal(r.params.reportBase, 'ConfigurationInventory');
      assert.ok(Number.isInteger(r.params.requestId));
    },
  },
  {
    name: 'trigger a status notification',
    method: 'POST',
    route: '/trigger',
    body: { message: 'StatusNotification', evseId: 1 },
    v16: { method: 'TriggerMessage', params: { requestedMessage: 'StatusNotification', connectorId: 1 } },
    v201: {
      method: 'TriggerMessage',
      params: { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } },
    },
  },
  {
    name: 'trigger diagnostics / log status',
    method: 'POST',
    route: '/trigger',
    body: { message: 'DiagnosticsStatusNotification' },
    v16: { method: 'TriggerMessage', params: { requestedMessage: 'DiagnosticsStatusNotification' } },
    v201: { method: 'TriggerMessage', params: { requestedMessage: 'LogStatusNotification' } },
  },
  {
    name: 'trigger a log status (1.6: ExtendedTriggerMessage)',
    method: 'POST',
    route: '/trigger',
    body: { message: 'LogStatusNotification' },
    v16: { method: 'ExtendedTriggerMessage', params: { requestedMessage: 'LogStatusNotification' } },
    v201: { method: 'TriggerMessage', params: { requestedMessage: 'LogStatusNotification' } },
  },
  {
    name: 'clear cache',
    method: 'POST',
    route: '/clear-cache',
    v16: { method: 'ClearCache', params: {} },
    v201: { method: 'ClearCache', params: {} },
  },
  {
    name: 'data transfer',
    method: 'POST',
    route: '/data-transfer',
    body: { vendorId: 'ACME', messageId: 'hello', data: 'world' },
    v16: { method: 'DataTransfer', params: { vendorId: 'ACME', messageId: 'hello', data: 'world' } },
    v201: { method: 'DataTransfer', params: { vendorId: 'ACME', messageId: 'hello', data: 'world' } },
  },
  {
    name: 'local list version',
    method: 'GET',
    route: '/local-list',
    v16: { method: 'GetLocalListVersion', params: {} },
    v201: { method: 'GetLocalListVersion', params: {} },
  },
  {
    name: 'reserve',
    method: 'POST',
    route: '/reservations',
    body: { idToken: 'TAG-1', expiresAt: '2030-01-01T01:00:00+01:00', evseId: 1, reservationId: 7 },
    v16: {
      method: 'ReserveNow',
      params: { connectorId: 1, expiryDate: '2030-01-01T00:00:00.000Z', idTag: 'TAG-1', reservationId: 7 },
    },
    v201: {
      method: 'ReserveNow',
      params: {
        id: 7,
        expiryDateTime: '2030-01-01T00:00:00.000Z',
        idToken: { idToken: 'TAG-1', type: 'ISO14443' },
        evseId: 1,
      },
    },
  },
  {
    name: 'cancel a reservation',
    method: 'DELETE',
    route: '/reservations/7',
    v16: { method: 'CancelReservation', params: { reservationId: 7 } },
    v201: { method: 'CancelReservation', params: { reservationId: 7 } },
  },
  {
    name: 'clear a charging profile',
    method: 'DELETE',
    route: '/charging-profiles/11',
    v16: { method: 'ClearChargingProfile', params: { id: 11 } },
    v201: { method: 'ClearChargingProfile', params: { chargingProfileId: 11 } },
  },
  {
    name: 'clear charging profiles by purpose',
    method: 'DELETE',
    route: '/charging-profiles?purpose=ChargingStationMaxProfile&evseId=0',
    v16: {
      method: 'ClearChargingProfile',
      params: { connectorId: 0, chargingProfilePurpose: 'ChargePointMaxProfile' },
    },
    v201: {
      method: 'ClearChargingProfile',
      params: { chargingProfileCriteria: { evseId: 0, chargingProfilePurpose: 'ChargingStationMaxProfile' } },
    },
  },
  {
    name: 'composite schedule',
    method: 'GET',
    route: '/composite-schedule?evseId=1&duration=3600&unit=W',
    v16: {
      method: 'GetCompositeSchedule',
      params: { connectorId: 1, duration: 3600, chargingRateUnit: 'W' },
    },
    v201: { method: 'GetCompositeSchedule', params: { evseId: 1, duration: 3600, chargingRateUnit: 'W' } },
  },
];

describe('the same request, the message of each version', () => {
  for (const c of CASES) {
    for (const version of ['v16', 'v201'] as const) {
      test(`${c.name}: ${version === 'v16' ? '1.6' : '2.0.1'}`, async () => {
        const station = version === 'v16' ? v16 : v201;
        const { status, command, received } = await sent(station, c.method, c.route, c.body);
        assert.equal(status, 200, JSON.stringify(command));
        assert.ok(['completed', 'rejected'].includes(command.status), JSON.stringify(command));
        assert.equal(received.length, 1, JSON.stringify(received));
        const expected = c[version];
        if (typeof expected === 'function') expected(received[0]!);
        else assert.deepEqual(received[0], expected);
        assert.equal(command.action, received[0]!.method);
        assert.deepEqual(command.request, received[0]!.params);
      });
    }
  }
});

describe('configuration: 1.6 keys, 2.0.1 components and variables', () => {
  test('GET ?keys= reads keys (1.6) or Component.Variable names (2.0.1); the values are in the response', async () => {
    const a = await sent(v16, 'GET', '/configuration?keys=HeartbeatInterval,MeterValueSampleInterval');
    assert.deepEqual(a.received, [
      { method: 'GetConfiguration', params: { key: ['HeartbeatInterval', 'MeterValueSampleInterval'] } },
    ]);
    assert.equal(a.command.response.configurationKey[0].value, '300');

    const b = await sent(v201, 'GET', '/configuration?keys=OCPPCommCtrlr.HeartbeatInterval');
    assert.deepEqual(b.received, [
      {
        method: 'GetVariables',
        params: {
          getVariableData: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
          ],
        },
      },
    ]);
    assert.equal(b.command.response.getVariableResult[0].attributeValue, '300');
  });

  test('POST .../configuration/read takes 2.0.1 components with EVSEs and instances', async () => {
    const { received } = await sent(v201, 'POST', '/configuration/read', {
      variables: [
        { component: { name: 'EVSE', evse: { id: 1 } }, variable: 'AvailabilityState' },
        { component: 'SampledDataCtrlr', variable: { name: 'TxUpdatedInterval' }, attributeType: 'Target' },
      ],
    });
    assert.deepEqual(received[0]?.params.getVariableData, [
      { component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' } },
      {
        component: { name: 'SampledDataCtrlr' },
        variable: { name: 'TxUpdatedInterval' },
        attributeType: 'Target',
      },
    ]);
  });

  test('PUT sets a 1.6 key (ChangeConfiguration) or a 2.0.1 variable (SetVariables)', async () => {
    const a = await sent(v16, 'PUT', '/configuration', { key: 'HeartbeatInterval', value: '120' });
    assert.deepEqual(a.received, [
      { method: 'ChangeConfiguration', params: { key: 'HeartbeatInterval', value: '120' } },
    ]);
    const b = await sent(v201, 'PUT', '/configuration', {
      key: 'OCPPCommCtrlr.HeartbeatInterval',
      value: '120',
    });
    const c = await sent(v201, 'PUT', '/configuration', {
      component: 'OCPPCommCtrlr',
      variable: 'HeartbeatInterval',
      value: '120',
    });
    const expected = {
      method: 'SetVariables',
      params: {
        setVariableData: [
          {
            component: { name: 'OCPPCommCtrlr' },
            variable: { name: 'HeartbeatInterval' },
            attributeValue: '120',
          },
        ],
      },
    };
    assert.deepEqual(b.received, [expected]);
    assert.deepEqual(c.received, [expected]);
  });

  test('the station password is not a configuration value', async () => {
    for (const [station, body, field] of [
      [v16, { key: 'AuthorizationKey', value: 'x'.repeat(32) }, 'key'],
      [
        v201,
        { component: 'SecurityCtrlr', variable: 'BasicAuthPassword', value: 'x'.repeat(32) },
        'variable',
      ],
    ] as const) {
      const res = await call(h, 'PUT', `/v1/stations/${station.id}/configuration`, body);
      assert.equal(res.status, 400);
      assert.deepEqual(
        res.body.error.fields.map((f: FieldError) => f.path),
        [field],
      );
    }
  });
});

describe('charging profiles: the profile validated against the version', () => {
  test('SetChargingProfile with the profile where each version wants it', async () => {
    const a = await sent(v16, 'POST', '/charging-profiles', { evseId: 1, profile: PROFILE_16 });
    assert.deepEqual(a.received, [
      { method: 'SetChargingProfile', params: { connectorId: 1, csChargingProfiles: PROFILE_16 } },
    ]);
    const b = await sent(v201, 'POST', '/charging-profiles', { evseId: 1, profile: PROFILE_201 });
    assert.deepEqual(b.received, [
      { method: 'SetChargingProfile', params: { evseId: 1, chargingProfile: PROFILE_201 } },
    ]);
  });

  test("a 1.6 profile sent to a 2.0.1 station: 400 naming the profile's field, nothing sent", async () => {
    const mark = v201.received.length;
    const res = await call(h, 'POST', '/v1/stations/CONV-201/charging-profiles', {
      evseId: 1,
      profile: PROFILE_16,
    });
    assert.equal(res.status, 400);
    const paths = res.body.error.fields.map((f: FieldError) => f.path);
    assert.equal(paths.length, 1);
    assert.match(paths[0], /^profile(\.|$)/);
    await sleep(300);
    assert.deepEqual(v201.since(mark), []);
  });
});

describe('what a version cannot express: 400 naming the field, nothing sent', () => {
  const refusals: [() => Peer, string, string, unknown, string][] = [
    [() => v16, 'POST', '/reset', { type: 'on-idle' }, 'type'],
    [() => v16, 'POST', '/reset', { type: 'hard', evseId: 1 }, 'evseId'],
    [() => v16, 'POST', '/remote-stop', { transactionId: 'tx-abc' }, 'transactionId'],
    [() => v16, 'POST', '/remote-start', { idToken: 'T'.repeat(21) }, 'idToken'],
    [() => v16, 'POST', '/unlock', { evseId: 1, connectorId: 2 }, 'connectorId'],
    [() => v16, 'POST', '/trigger', { message: 'TransactionEvent' }, 'message'],
    [
      () => v16,
      'PUT',
      '/configuration',
      { component: 'OCPPCommCtrlr', variable: 'X', value: '1' },
      'component',
    ],
    [() => v201, 'POST', '/remote-start', { idToken: 'TAG-1', connectorId: 1 }, 'connectorId'],
    [() => v201, 'POST', '/trigger', { message: 'StatusNotification' }, 'evseId'],
    [() => v201, 'GET', '/configuration?keys=HeartbeatInterval', undefined, 'keys.0'],
    [
      () => v201,
      'PUT',
      '/configuration',
      { key: 'OCPPCommCtrlr.HeartbeatInterval', value: 'x'.repeat(1001) },
      'value',
    ],
    [() => v201, 'POST', '/data-transfer', { vendorId: 'v'.repeat(256) }, 'vendorId'],
  ];
  for (const [station, method, route, body, field] of refusals) {
    test(`${method} ${route} ${JSON.stringify(body) ?? ''}: ${field}`, async () => {
      const s = station();
      const mark = s.received.length;
      const res = await call(h, method, `/v1/stations/${s.id}${route}`, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.deepEqual(
        res.body.error.fields.map((f: FieldError) => f.path),
        [field],
      );
      await sleep(150);
      assert.deepEqual(s.since(mark), []);
    });
  }

  test('1.6 DataTransfer data must be a string: the field is data', async () => {
    const res = await call(h, 'POST', '/v1/stations/CONV-16/data-transfer', {
      vendorId: 'ACME',
      data: { a: 1 },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.body.error.fields.map((f: FieldError) => f.path),
      ['data'],
    );
  });
});
