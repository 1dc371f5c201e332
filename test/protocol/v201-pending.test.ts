/**
 * OCPP 2.0.1 B02 (Pending): an unknown station is admitted for onboarding and answered Pending.
 * While Pending it may send nothing but BootNotification (B02.FR.09, TC_B_30_CSMS: SecurityError),
 * except what the CSMS itself asked for: NotifyReport after GetBaseReport / GetReport. Once
 * provisioned, its next BootNotification is Accepted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { eventsOf, startHarness, type Harness, type RawStation } from '../support/harness.js';

const STATION = 'CS201-ONBOARD';
const NOW = '2025-05-01T10:00:00.000Z';
const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };

describe('OCPP 2.0.1 Pending station', () => {
  let h: Harness;
  let store: Store;
  let raw: RawStation;

  before(async () => {
    h = await startHarness({ admitUnknownStations: true });
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    raw = await h.raw(STATION, 'ocpp2.0.1', null);
  });

  after(async () => {
    await h.close();
  });

  const call = async (id: string, action: string, payload: unknown): Promise<unknown[]> => {
    const reply = await raw.send(JSON.stringify([2, id, action, payload]));
    assert.ok(Array.isArray(reply), `a reply to ${action}`);
    assert.equal(reply[1], id);
    return reply;
  };

  test('TC_B_02_CSMS B02.FR.01/08: an admitted unknown station is answered Pending with a retry interval', async () => {
    const [type, , payload] = await call('boot-1', 'BootNotification', boot);
    assert.equal(type, 3);
    const res = payload as { status: string; interval: number };
    assert.equal(res.status, 'Pending');
    assert.ok(res.interval > 0);
  });

  test('TC_B_30_CSMS B02.FR.09: Heartbeat, StatusNotification, NotifyEvent while Pending -> SecurityError', async () => {
    for (const [action, payload] of [
      ['Heartbeat', {}],
      ['StatusNotification', { timestamp: NOW, connectorStatus: 'Available', evseId: 1, connectorId: 1 }],
      [
        'NotifyEvent',
        {
          generatedAt: NOW,
          seqNo: 0,
          eventData: [
            {
              eventId: 1,
              timestamp: NOW,
              trigger: 'Delta',
              actualValue: 'Available',
              component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
              variable: { name: 'AvailabilityState' },
              eventNotificationType: 'HardWiredNotification',
            },
          ],
        },
      ],
    ] as const) {
      const reply = await call(`p-${action}`, action, payload);
      assert.deepEqual([reply[0], reply[2]], [4, 'SecurityError'], action);
    }
    assert.deepEqual(await store.connectors.list(STATION), [], 'nothing stored');
  });

  test('B02.FR.09 exception: NotifyReport (after a GetBaseReport) is accepted and stored while Pending', async () => {
    const reply = await call('p-report', 'NotifyReport', {
      requestId: 1,
      generatedAt: NOW,
      seqNo: 0,
      reportData: [
        {
          component: { name: 'SecurityCtrlr' },
          variable: { name: 'SecurityProfile' },
          variableAttribute: [{ value: '1', mutability: 'ReadOnly' }],
          variableCharacteristics: { dataType: 'integer', supportsMonitoring: false },
        },
      ],
    });
    assert.deepEqual(reply, [3, 'p-report', {}]);
    const { items } = await store.deviceModel.listVariables(STATION, 10);
    assert.deepEqual(
      items.map((i) => [i.component.name, i.variable.name, i.attributes.Actual?.value]),
      [['SecurityCtrlr', 'SecurityProfile', '1']],
    );
    assert.equal(eventsOf(h.host, 'station.report.v1', STATION).length, 1);
  });

  test('TC_B_02_CSMS: once provisioned, the next BootNotification is Accepted and messages are answered', async () => {
    await raw.close();
    const password = await h.provision(STATION);
    raw = await h.raw(STATION, 'ocpp2.0.1', password);
    const [, , payload] = await call('boot-2', 'BootNotification', boot);
    assert.equal((payload as { status: string }).status, 'Accepted');
    assert.equal((await call('hb', 'Heartbeat', {}))[0], 3);
  });
});
