/**
 * A token the CSMS itself put in a remote start is accepted when the station authorizes it:
 * 2.0.1 F01.FR.01 (AuthorizeRemoteStart true: the station authorizes the request's IdToken as if
 * presented locally) and F01.FR.03 (the CSMS checks it again in the TransactionEvent); 1.6 §5.11
 * with AuthorizeRemoteTxRequests true. ocpp-rpc stations in strict mode, end to end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const NOW = '2026-03-01T10:00:00.000Z';

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h.close());

/** Resolves with the params of the next `method` CALL the station receives (answering Accepted). */
function nextCall(client: RpcClient, method: string): Promise<any> {
  return new Promise((resolve) => {
    client.handle(method, ({ params }) => {
      setImmediate(() => resolve(params));
      return { status: 'Accepted' };
    });
  });
}

describe('2.0.1 RequestStartTransaction with the default token type (Central)', () => {
  let cs: RpcClient;
  before(async () => {
    await h.provision('RS-201');
    cs = await h.station('RS-201', 'ocpp2.0.1');
    const boot = await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'V', model: 'M' },
    });
    assert.equal(boot.status, 'Accepted');
  });

  test('F01.FR.01 / F01.FR.03: the station authorizes exactly the token it was sent: Accepted, also in the TransactionEvent', async () => {
    const received = nextCall(cs, 'RequestStartTransaction');
    const res = await h.api('POST', '/v1/stations/RS-201/remote-start?wait=5', {
      idToken: 'APP-USER-7',
      evseId: 1,
    });
    assert.ok(res.status === 200 || res.status === 202, JSON.stringify(res.body));
    const request = await received;
    assert.deepEqual(request.idToken, { idToken: 'APP-USER-7', type: 'Central' });

    // AuthorizeRemoteStart = true: the station authorizes the request's IdToken as it is.
    const auth = await cs.call('Authorize', { idToken: request.idToken });
    assert.equal(auth.idTokenInfo.status, 'Accepted');

    const started = await cs.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: NOW,
      triggerReason: 'RemoteStart',
      seqNo: 0,
      transactionInfo: { transactionId: 'RS-TX-1', remoteStartId: request.remoteStartId },
      idToken: request.idToken,
      evse: { id: 1, connectorId: 1 },
    });
    assert.equal(started.idTokenInfo.status, 'Accepted');
    const decided = eventsOf(h.host, 'authorization.decided.v1', 'RS-201');
    assert.deepEqual(
      decided.map((e) => [e.detail.idToken, e.detail.status, e.detail.reason]),
      [
        ['APP-USER-7', 'Accepted', 'remote-start'],
        ['APP-USER-7', 'Accepted', 'remote-start'],
      ],
    );
  });

  test('a Central token the CSMS never sent in a remote start stays Unknown; so does another type', async () => {
    const never = await cs.call('Authorize', { idToken: { idToken: 'NEVER-SENT', type: 'Central' } });
    assert.equal(never.idTokenInfo.status, 'Unknown');
    const otherType = await cs.call('Authorize', { idToken: { idToken: 'APP-USER-7', type: 'ISO14443' } });
    assert.equal(otherType.idTokenInfo.status, 'Unknown');
  });

  test('a token stored under another type is answered as stored: its group goes with it, a blocked one stays blocked', async () => {
    await h.api('POST', '/v1/id-tokens', { idToken: 'CARD-OK', type: 'ISO14443', groupId: 'FLEET-1' });
    await h.api('POST', '/v1/id-tokens', { idToken: 'CARD-BLOCKED', type: 'ISO14443', status: 'Blocked' });
    for (const [idToken, status] of [
      ['CARD-OK', 'Accepted'],
      ['CARD-BLOCKED', 'Blocked'],
    ] as const) {
      const received = nextCall(cs, 'RequestStartTransaction');
      const res = await h.api('POST', '/v1/stations/RS-201/remote-start?wait=5', { idToken, evseId: 1 });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const request = await received;
      const auth = await cs.call('Authorize', { idToken: request.idToken });
      assert.equal(auth.idTokenInfo.status, status, idToken);
      if (status === 'Accepted') assert.equal(auth.idTokenInfo.groupIdToken?.idToken, 'FLEET-1');
    }
  });

  test('a remote start the station refused vouches for nothing', async () => {
    cs.handle('RequestStartTransaction', () => ({ status: 'Rejected' }));
    const res = await h.api('POST', '/v1/stations/RS-201/remote-start?wait=5', {
      idToken: 'REFUSED-1',
      evseId: 1,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const auth = await cs.call('Authorize', { idToken: { idToken: 'REFUSED-1', type: 'Central' } });
    assert.equal(auth.idTokenInfo.status, 'Unknown');
  });
});

describe('1.6 RemoteStartTransaction with AuthorizeRemoteTxRequests true', () => {
  test('1.6 §5.11: the idTag the CSMS sent is Accepted by Authorize and StartTransaction; another one is Invalid', async () => {
    await h.provision('RS-16');
    const cs = await h.station('RS-16', 'ocpp1.6');
    assert.equal(
      (await cs.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status,
      'Accepted',
    );
    const received = nextCall(cs, 'RemoteStartTransaction');
    const res = await h.api('POST', '/v1/stations/RS-16/remote-start?wait=5', {
      idToken: 'REMOTE16',
      connectorId: 1,
    });
    assert.ok(res.status === 200 || res.status === 202, JSON.stringify(res.body));
    const request = await received;
    assert.equal(request.idTag, 'REMOTE16');

    assert.equal((await cs.call('Authorize', { idTag: 'REMOTE16' })).idTagInfo.status, 'Accepted');
    const start = await cs.call('StartTransaction', {
      connectorId: 1,
      idTag: 'REMOTE16',
      meterStart: 0,
      timestamp: NOW,
    });
    assert.equal(start.idTagInfo.status, 'Accepted');
    assert.equal((await cs.call('Authorize', { idTag: 'OTHER16' })).idTagInfo.status, 'Invalid');
  });
});
