/**
 * Issue 11, the CA side of the certificate lifecycle over the local gateway with ocpp-rpc stations
 * (strict mode): SignCertificate -> Accepted -> CertificateSigned whose chain verifies against
 * GET /v1/certificates/ca (2.0.1 A02 / OCTT TC_A_11, TC_A_14; 1.6 security whitepaper A02), the
 * refusals of bad CSRs (A02.FR.12: Rejected + a security event, never an InternalError), the
 * certificate list and revocation. Station keys are made here and never sent.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { TABLE_NAME } from '../../infra/local/host.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { createStore, type Store } from '../../shared/store/index.js';
import { CSR_REFUSED_EVENT } from '../../functions/ocpp/certificate-signing.js';
import { makeCsr, tamperSignature } from '../support/csr.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';

const V16 = 'CERT-16';
const V201 = 'CERT-201';
const VIEWER = 'viewer-token-certificates-0123456789';

interface Received {
  readonly params: Record<string, string>;
}

/** CertificateSigned requests a station received, answered Accepted. */
function receiveCertificates(cp: RpcClient): { next(): Promise<Received> } {
  const queue: Received[] = [];
  const waiting: ((r: Received) => void)[] = [];
  cp.handle('CertificateSigned', ({ params }) => {
    const r = { params: params as Record<string, string> };
    const w = waiting.shift();
    if (w) w(r);
    else queue.push(r);
    return { status: 'Accepted' };
  });
  return {
    next: () =>
      new Promise<Received>((resolve, reject) => {
        const r = queue.shift();
        if (r) return resolve(r);
        const timer = setTimeout(() => reject(new Error('no CertificateSigned within 10 s')), 10_000);
        waiting.push((x) => {
          clearTimeout(timer);
          resolve(x);
        });
      }),
  };
}

/** The chain's certificates, leaf first. */
function certificatesOf(chainPem: string): X509Certificate[] {
  return (chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map(
    (pem) => new X509Certificate(pem),
  );
}

describe('station certificates: SignCertificate, CertificateSigned, list, revoke', () => {
  let h: Harness;
  let store: Store;
  let cp16: RpcClient;
  let cp201: RpcClient;
  let inbox16: ReturnType<typeof receiveCertificates>;
  let inbox201: ReturnType<typeof receiveCertificates>;
  let caPem: string;

  before(async () => {
    h = await startHarness({ viewerApiToken: VIEWER });
    store = createStore({ db: dynamoDocumentClient(), tableName: TABLE_NAME });
    await h.provision(V16);
    await h.provision(V201);
    cp16 = await h.station(V16, 'ocpp1.6');
    inbox16 = receiveCertificates(cp16);
    cp201 = await h.station(V201, 'ocpp2.0.1');
    inbox201 = receiveCertificates(cp201);
    assert.equal(
      (await cp16.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).status,
      'Accepted',
    );
    assert.equal(
      (
        await cp201.call('BootNotification', {
          reason: 'PowerUp',
          chargingStation: { model: 'M', vendorName: 'V' },
        })
      ).status,
      'Accepted',
    );
    const ca = await h.api('GET', '/v1/certificates/ca');
    assert.equal(ca.status, 200);
    caPem = ca.body as string;
  });

  after(async () => {
    await h.close();
  });

  test('GET /v1/certificates/ca: one self-signed CA certificate as PEM (A02.FR.06: what a station installs)', async () => {
    const res = await fetch(`${h.host.httpUrl}/v1/certificates/ca`, {
      headers: { authorization: `Bearer ${h.host.apiToken}` },
    });
    assert.equal(res.headers.get('content-type'), 'application/x-pem-file');
    const [ca, ...rest] = certificatesOf(await res.text());
    assert.equal(rest.length, 0);
    assert.ok(ca!.ca && ca!.verify(ca!.publicKey));
    assert.equal((await h.api('GET', '/v1/certificates/ca', undefined, null)).status, 401);
  });

  test('2.0.1 A02 (TC_A_11): Accepted, then CertificateSigned with a chain for the CSR key and identity', async () => {
    const csr = await makeCsr(`CN=${V201}`);
    assert.deepEqual(
      await cp201.call('SignCertificate', { csr: csr.pem, certificateType: 'ChargingStationCertificate' }),
      { status: 'Accepted' },
    );
    const { params } = await inbox201.next();
    assert.equal(params.certificateType, 'ChargingStationCertificate', 'A02.FR.14');
    const [leaf, root] = certificatesOf(params.certificateChain!);
    const ca = new X509Certificate(caPem);
    assert.equal(leaf!.subject, `CN=${V201}`);
    assert.ok(leaf!.publicKey.export({ type: 'spki', format: 'der' }).equals(csr.publicKeySpki));
    assert.ok(leaf!.verify(ca.publicKey), 'the leaf verifies against GET /v1/certificates/ca');
    assert.equal(root!.fingerprint256, ca.fingerprint256, 'the CA certificate follows the leaf');
    const [issued] = eventsOf(h.host, 'certificate.issued.v1', V201);
    assert.equal(issued.detail.serialNumber, leaf!.serialNumber.toLowerCase().replace(/^0+/, ''));
  });

  test('1.6 security A02: Accepted, then CertificateSigned with a chain for the CSR key and identity', async () => {
    const csr = await makeCsr(`CN=${V16}`, 'rsa-2048');
    assert.deepEqual(await cp16.call('SignCertificate', { csr: csr.pem }), { status: 'Accepted' });
    const { params } = await inbox16.next();
    const [leaf] = certificatesOf(params.certificateChain!);
    assert.equal(leaf!.subject, `CN=${V16}`);
    assert.ok(leaf!.publicKey.export({ type: 'spki', format: 'der' }).equals(csr.publicKeySpki));
    assert.ok(leaf!.verify(new X509Certificate(caPem).publicKey));
  });

  test('2.1 A02: Accepted, then CertificateSigned whose leaf has the identity and verifies against the CA', async () => {
    const id = 'CERT-21';
    await h.provision(id);
    const cp21 = await h.station(id, 'ocpp2.1');
    const inbox21 = receiveCertificates(cp21);
    const boot = await cp21.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'M', vendorName: 'V' },
    });
    assert.equal(boot.status, 'Accepted');
    const csr = await makeCsr(`CN=${id}`, 'ec-p384');
    assert.deepEqual(await cp21.call('SignCertificate', { csr: csr.pem }), { status: 'Accepted' });
    const [leaf] = certificatesOf((await inbox21.next()).params.certificateChain!);
    assert.equal(leaf!.subject, `CN=${id}`);
    assert.ok(leaf!.publicKey.export({ type: 'spki', format: 'der' }).equals(csr.publicKeySpki));
    assert.ok(leaf!.verify(new X509Certificate(caPem).publicKey));
  });

  const refusedCases: [string, () => Promise<string>][] = [
    ['a CSR for another identity', async () => (await makeCsr('CN=SOMEONE-ELSE')).pem],
    [
      'malformed PEM',
      async () => '-----BEGIN CERTIFICATE REQUEST-----\nnot base64 at all\n-----END CERTIFICATE REQUEST-----',
    ],
    ['a CSR whose signature does not verify', async () => tamperSignature((await makeCsr(`CN=${V201}`)).pem)],
    ['an RSA key under 2048 bits', async () => (await makeCsr(`CN=${V201}`, 'rsa-1024')).pem],
  ];
  for (const [name, csrOf] of refusedCases) {
    test(`A02.FR.12: ${name} -> Rejected, a security event stored and published, nothing issued`, async () => {
      const before = (await store.issuedCertificates.list(V201)).length;
      const published = eventsOf(h.host, 'security.event.v1', V201).length;
      const res = await cp201.call('SignCertificate', { csr: await csrOf() });
      assert.equal(res.status, 'Rejected');
      assert.equal(res.statusInfo?.reasonCode, 'InvalidCSR');
      const events = eventsOf(h.host, 'security.event.v1', V201).slice(published);
      assert.equal(events.length, 1);
      assert.equal(events[0].detail.type, CSR_REFUSED_EVENT);
      assert.equal(events[0].detail.origin, 'csms');
      assert.equal(events[0].detail.critical, false);
      const stored = await store.securityEvents.list(V201, new Date());
      assert.ok(stored.some((e) => e.type === CSR_REFUSED_EVENT && e.techInfo === events[0].detail.techInfo));
      assert.equal((await store.issuedCertificates.list(V201)).length, before);
    });
  }

  test('1.6 security: a CSR for another identity -> Rejected and a security event', async () => {
    const res = await cp16.call('SignCertificate', { csr: (await makeCsr('CN=SOMEONE-ELSE')).pem });
    assert.deepEqual(res, { status: 'Rejected' });
    assert.ok(eventsOf(h.host, 'security.event.v1', V16).some((e) => e.detail.type === CSR_REFUSED_EVENT));
  });

  test('2.0.1: a V2GCertificate request is Rejected (not this CA), without a security event', async () => {
    const published = eventsOf(h.host, 'security.event.v1', V201).length;
    const res = await cp201.call('SignCertificate', {
      csr: (await makeCsr(`CN=${V201}`)).pem,
      certificateType: 'V2GCertificate',
    });
    assert.equal(res.status, 'Rejected');
    assert.equal(eventsOf(h.host, 'security.event.v1', V201).length, published);
  });

  test('GET /v1/stations/{id}/certificates lists the issued certificate; DELETE revokes it (204, then 409; 404 unknown)', async () => {
    const list = await h.api('GET', `/v1/stations/${V201}/certificates`);
    assert.equal(list.status, 200);
    const issued = list.body.items.filter((c: { source: string }) => c.source === 'issued');
    assert.equal(issued.length, 1, 'the accepted CertificateSigned is not listed twice');
    const [cert] = issued;
    assert.equal(cert.status, 'ACTIVE');
    assert.equal(cert.subject, `CN=${V201}`);
    assert.equal(cert.certificateType, 'ChargingStationCertificate');
    assert.match(cert.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal(await store.issuedCertificates.status(V201, cert.serialNumber), 'ACTIVE');

    const path = `/v1/stations/${V201}/certificates/${cert.serialNumber}`;
    // A viewer reads but cannot revoke.
    assert.equal((await h.api('GET', `/v1/stations/${V201}/certificates`, undefined, VIEWER)).status, 200);
    assert.equal((await h.api('GET', '/v1/certificates/ca', undefined, VIEWER)).status, 200);
    assert.equal((await h.api('DELETE', path, undefined, VIEWER)).status, 403);
    assert.equal((await h.api('DELETE', path)).status, 204);
    const after = await h.api('GET', `/v1/stations/${V201}/certificates`);
    assert.equal(
      after.body.items.find((c: { serialNumber: string }) => c.serialNumber === cert.serialNumber).status,
      'REVOKED',
    );
    assert.equal(await store.issuedCertificates.status(V201, cert.serialNumber.toUpperCase()), 'REVOKED');
    const again = await h.api('DELETE', path);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'conflict');
    assert.equal((await h.api('DELETE', `/v1/stations/${V201}/certificates/abc123`)).status, 404);
    assert.equal((await h.api('DELETE', `/v1/stations/${V201}/certificates/not-hex`)).status, 400);
    assert.equal((await h.api('GET', '/v1/stations/NOPE/certificates')).status, 404);
  });

  test("A04 SecurityEventNotification: published with critical as the version's list says", async () => {
    const at = new Date().toISOString();
    await cp201.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: at });
    await cp201.call('SecurityEventNotification', { type: 'InvalidMessages', timestamp: at });
    await cp201.call('SecurityEventNotification', { type: 'InvalidFirmwareSignature', timestamp: at });
    await cp16.call('SecurityEventNotification', { type: 'InvalidFirmwareSignature', timestamp: at });
    const critical = (id: string, type: string) =>
      eventsOf(h.host, 'security.event.v1', id).find((e) => e.detail.type === type)?.detail.critical;
    assert.equal(critical(V201, 'TamperDetectionActivated'), true);
    assert.equal(critical(V201, 'InvalidMessages'), false);
    // Critical in the 2.0.1 list, not in the 1.6 security whitepaper's.
    assert.equal(critical(V201, 'InvalidFirmwareSignature'), true);
    assert.equal(critical(V16, 'InvalidFirmwareSignature'), false);
  });

  test('a CSR over the schema size or an unknown certificateType: a CALLERROR naming the schema violation (OCPP-J 4.2.3), never InternalError, and the refused CSR a security event', async () => {
    const published = eventsOf(h.host, 'security.event.v1', V201).length;
    const raw = await h.raw(V201, 'ocpp2.0.1', `pw-${V201}-0123456789abcdef`);
    const big = `-----BEGIN CERTIFICATE REQUEST-----\n${'A'.repeat(5600)}\n-----END CERTIFICATE REQUEST-----`;
    const tooBig = (await raw.send(
      JSON.stringify([2, 'big-1', 'SignCertificate', { csr: big }]),
    )) as unknown[];
    assert.equal(tooBig[0], 4);
    assert.notEqual(tooBig[2], 'InternalError');
    const badType = (await raw.send(
      JSON.stringify([2, 'type-1', 'SignCertificate', { csr: 'x', certificateType: 'SomethingElse' }]),
    )) as unknown[];
    assert.equal(badType[0], 4);
    assert.notEqual(badType[2], 'InternalError');
    await raw.close();
    const events = eventsOf(h.host, 'security.event.v1', V201).slice(published);
    assert.deepEqual(
      events.map((e) => [e.detail.type, e.detail.origin, e.detail.techInfo.startsWith('schema: ')]),
      [
        [CSR_REFUSED_EVENT, 'csms', true],
        [CSR_REFUSED_EVENT, 'csms', true],
      ],
    );
    const stored = await store.securityEvents.list(V201, new Date());
    assert.equal(stored.filter((e) => e.techInfo?.startsWith('schema: ')).length, 2);
  });

  test('the CA key appears in no API answer and no event', async () => {
    const seen = JSON.stringify([
      h.host.events,
      (await h.api('GET', `/v1/stations/${V201}/certificates`)).body,
    ]);
    assert.ok(!seen.includes('PRIVATE KEY'));
  });
});
