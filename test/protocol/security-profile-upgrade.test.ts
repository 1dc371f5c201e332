/**
 * Issue 11 end to end, with the CSMS's own station CA and no injected trust: the A05 upgrade of a
 * profile-2 station to profile 3 (2.0.1 A05.FR.02-07, OCTT TC_A_19_CSMS). The station, connected
 * over wss:// with its password, sends a CSR (its key stays with it), gets CertificateSigned from
 * the station CA (A02), is switched to profile 3 by the operator, and reconnects with that
 * certificate and no password; its password alone is refused from then on, and once the operator
 * revokes the certificate the handshake refuses it too.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import { makeCsr } from '../support/csr.js';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';
import { createTestCa, issueServerCertificate, type TestCa } from '../support/pki.js';

const require = createRequire(import.meta.url);
const { RPCClient } = require('ocpp-rpc') as {
  RPCClient: new (options: Record<string, unknown>) => RpcClient;
};

const ID = 'A05-UPGRADE';
const PASSWORD = 'a-long-station-password-a05';
const boot = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } };

describe('TC_A_19_CSMS A05: profile 2 → 3 with a certificate from the CSMS station CA', () => {
  let h: Harness;
  let serverCa: TestCa;
  const clients: RpcClient[] = [];

  before(async () => {
    serverCa = await createTestCa('A05 Test Server CA');
    const server = await issueServerCertificate(serverCa);
    h = await startHarness({ tls: { cert: server.certPem, key: server.keyPem, port: 0 } });
  });
  after(async () => {
    await Promise.allSettled(clients.map((c) => c.close({ force: true })));
    await h.close();
  });

  async function connect(tls: { cert?: string; key?: string; password?: string }): Promise<RpcClient> {
    assert.ok(h.host.wssUrl, 'the wss:// listener runs');
    const client = new RPCClient({
      endpoint: h.host.wssUrl,
      identity: ID,
      protocols: ['ocpp2.0.1'],
      strictMode: true,
      reconnect: false,
      callTimeoutMs: 10_000,
      ...(tls.password ? { password: tls.password } : {}),
      wsOpts: { ca: serverCa.certPem, ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}) },
    });
    clients.push(client);
    await client.connect();
    return client;
  }

  test('A05.FR.02-07: SignCertificate over profile 2, PATCH to 3, reconnect with the certificate; password refused; revoked refused', async () => {
    const created = await h.api('POST', '/v1/stations', { id: ID, password: PASSWORD, securityProfile: 2 });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    // Profile 2: Basic auth over TLS.
    const p2 = await connect({ password: PASSWORD });
    let signed: ((chain: string) => void) | undefined;
    const chain = new Promise<string>((resolve) => (signed = resolve));
    p2.handle('CertificateSigned', ({ params }) => {
      signed?.((params as { certificateChain: string }).certificateChain);
      return { status: 'Accepted' };
    });
    assert.equal((await p2.call('BootNotification', boot)).status, 'Accepted');
    const csr = await makeCsr(`CN=${ID}`);
    const answer = await p2.call('SignCertificate', {
      csr: csr.pem,
      certificateType: 'ChargingStationCertificate',
    });
    assert.equal(answer.status, 'Accepted');
    const certificateChain = await chain;
    const leaf = certificateChain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
    assert.ok(leaf, 'a leaf certificate in the chain');
    await p2.close({ force: true });

    // The operator switches the station to profile 3 (A05.FR.06).
    const patched = await h.api('PATCH', `/v1/stations/${ID}`, { securityProfile: 3 });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));

    // It reconnects with the certificate the CSMS's CA issued, and no password (A05.FR.07).
    const p3 = await connect({ cert: certificateChain, key: csr.privateKeyPem });
    assert.equal((await p3.call('BootNotification', boot)).status, 'Accepted');
    await p3.close({ force: true });

    // Its password alone no longer gets in.
    await assert.rejects(connect({ password: PASSWORD }), /Unauthorized/);

    // Revoked by the operator: the same certificate is refused at the handshake.
    const listed = await h.api('GET', `/v1/stations/${ID}/certificates`);
    const issued = listed.body.items.find((c: { source: string }) => c.source === 'issued');
    assert.ok(issued, JSON.stringify(listed.body));
    const revoked = await h.api('DELETE', `/v1/stations/${ID}/certificates/${issued.serialNumber}`);
    assert.ok(revoked.status === 200 || revoked.status === 204, JSON.stringify(revoked.body));
    await assert.rejects(connect({ cert: certificateChain, key: csr.privateKeyPem }), /Unauthorized/);
  });
});
