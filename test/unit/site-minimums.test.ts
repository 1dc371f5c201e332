/**
 * A station's minimum charging rate for load management (functions/sites/sessions.ts), against
 * dynalite: what the station reported (2.x device model ConnectedEV.ACCurrent MinSet of the EVSE;
 * 1.6 the vendor key MinChargingRate), else 6 A.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ensureTable, startDynamo, type LocalDynamo } from '../../infra/local/dynamodb.js';
import { minimumAmps, V16_MINIMUM_KEY } from '../../functions/sites/sessions.js';
import { createStore, type Store } from '../../shared/store/index.js';
import type { TableRef } from '../../shared/store/table.js';

let dynamo: LocalDynamo;
let table: TableRef;
let store: Store;

before(async () => {
  dynamo = await startDynamo();
  table = { db: dynamo.documentClient, tableName: `t${randomUUID().slice(0, 8)}` };
  await ensureTable(dynamo.client, table.tableName);
  store = createStore(table);
});
after(async () => {
  await dynamo.close();
});

test('2.x: the EV minimum the station reported (ConnectedEV.ACCurrent MinSet of that EVSE), else 6 A', async () => {
  await store.deviceModel.putReported('DM-1', { requestId: 1, generatedAt: '2026-01-01T00:00:00Z' }, [
    {
      component: { name: 'ConnectedEV', evse: { id: 2 } },
      variable: { name: 'ACCurrent' },
      attributes: { MinSet: { value: '10' }, MaxSet: { value: '32' } },
    },
  ]);
  assert.equal(await minimumAmps(store, table, 'DM-1', 'ocpp2.0.1', 2), 10);
  assert.equal(await minimumAmps(store, table, 'DM-1', 'ocpp2.0.1', 1), 6); // another EVSE: nothing reported
  assert.equal(await minimumAmps(store, table, 'DM-2', 'ocpp2.1', 1), 6);
});

test('1.6: the vendor key MinChargingRate when reported (1.6 defines none), else 6 A; nonsense ignored', async () => {
  const at = '2026-01-01T00:00:00Z';
  await store.configuration.put('CFG-1', [
    { key: V16_MINIMUM_KEY, value: '8', source: 'GetConfiguration', at, commandId: 'c1' },
  ]);
  await store.configuration.put('CFG-2', [
    { key: V16_MINIMUM_KEY, value: 'fast', source: 'GetConfiguration', at, commandId: 'c2' },
  ]);
  assert.equal(await minimumAmps(store, table, 'CFG-1', 'ocpp1.6', 1), 8);
  assert.equal(await minimumAmps(store, table, 'CFG-2', 'ocpp1.6', 1), 6);
  assert.equal(await minimumAmps(store, table, 'CFG-3', 'ocpp1.6', 1), 6);
});
