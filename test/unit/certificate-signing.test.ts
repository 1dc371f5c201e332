/**
 * SignCertificate through the dispatcher with the real route tables on dynalite: without a station
 * CA configured (no CSMS_CA_* setting) a valid CSR is Rejected (A02.FR.12: the CSMS cannot process
 * it), nothing is issued, and no security event is raised (the station did nothing wrong).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { dispatch } from '../../functions/ocpp/dispatcher.js';
import { ROUTES } from '../../functions/ocpp/routes.js';
import { readConfig } from '../../shared/aws/config.js';
import type { Store } from '../../shared/store/index.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';
import { makeCsr } from '../support/csr.js';

let store: Store;
let close: () => Promise<void>;
before(async () => ({ store, close } = await startStore()));
after(() => close());

test('A02.FR.12: no station CA configured -> Rejected (NoCA), nothing issued, no event', async () => {
  const config = readConfig({ CSMS_TABLE_NAME: 'x', CSMS_EVENT_BUS_NAME: 'x' });
  assert.equal(config.stationCa, undefined);
  const events = new RecordingSink();
  const csr = (await makeCsr('CN=NOCA-1')).pem;
  const reply = await dispatch(
    JSON.stringify([2, 's1', 'SignCertificate', { csr }]),
    { stationId: 'NOCA-1', protocol: 'ocpp2.0.1', connectionId: 'c', registrationAtConnect: 'Accepted' },
    { routes: ROUTES, store, events, config, log: silentLog, clock: () => new Date() },
  );
  assert.deepEqual(JSON.parse(reply.reply!), [
    3,
    's1',
    { status: 'Rejected', statusInfo: { reasonCode: 'NoCA' } },
  ]);
  assert.deepEqual(await store.issuedCertificates.list('NOCA-1'), []);
  assert.deepEqual(events.events, []);
});
