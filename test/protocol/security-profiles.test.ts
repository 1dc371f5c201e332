/**
 * Security profiles at the handshake (issue 11): profile 3 (TLS client certificate, 2.0.1
 * A00.FR.401-408) over the local wss:// listener, profile 2 only over TLS, the A05 upgrade from
 * 2 to 3, and failed-login throttling. Stations are ocpp-rpc clients in strict mode, their
 * certificates minted in process by a test CA; the trust (CA + registry status) is injected.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import type { CertificateStatus } from '../../functions/ocpp/client-certificate.js';
import { eventsOf, startHarness, type Harness, type RpcClient } from '../support/harness.js';
import {
  createTestCa,
  issueServerCertificate,
  issueStationCertificate,
  selfSignedCertificate,
  type TestCa,
  type TestCertificate,
} from '../support/pki.js';

const require = createRequire(import.meta.url);
const { RPCClient } = require('ocpp-rpc') as {
  RPCClient: new (options: Record<string, unknown>) => RpcClient;
};

const DAY = 86_400_000;
const PASSWORD = 'a-very-secret-password';
const boot = { reason: 'PowerUp', chargingStation: { model: 'M', vendorName: 'V' } };

let h: Harness;
let ca: TestCa;
let serverCa: TestCa;
const revoked = new Set<string>();
const clients: RpcClient[] = [];

before(async () => {
  ca = await createTestCa();
  serverCa = await createTestCa('CSMS Test Server CA');
  const server = await issueServerCertificate(serverCa);
  h = await startHarness({
    tls: { cert: server.certPem, key: server.keyPem, port: 0 },
    clientCertificateTrust: {
      trustAnchorsPem: () => Promise.resolve([ca.certPem]),
      status: (_stationId, serial) =>
        Promise.resolve<CertificateStatus | undefined>(revoked.has(serial) ? 'REVOKED' : 'ACTIVE'),
    },
    loginThrottle: { limit: 3, windowSeconds: 300, throttleSeconds: 120 },
  });
});
after(async () => {
  await Promise.allSettled(clients.map((c) => c.close({ force: true })));
  await h.close();
});

function wssUrl(): string {
  assert.ok(h.host.wssUrl, 'the wss:// listener runs');
  return h.host.wssUrl;
}

/** An ocpp-rpc station over wss://, with a client certificate and/or a password. */
async function tlsStation(
  id: string,
  options: { certificate?: TestCertificate; password?: string } = {},
): Promise<RpcClient> {
  const client = new RPCClient({
    endpoint: wssUrl(),
    identity: id,
    protocols: ['ocpp2.0.1'],
    strictMode: true,
    reconnect: false,
    callTimeoutMs: 10_000,
    ...(options.password ? { password: options.password } : {}),
    wsOpts: {
      ca: serverCa.certPem,
      ...(options.certificate ? { cert: options.certificate.certPem, key: options.certificate.keyPem } : {}),
    },
  });
  await client.connect();
  clients.push(client);
  return client;
}

/** A raw handshake: its HTTP status (101 when admitted) and Retry-After. */
function handshake(
  url: string,
  id: string,
  options: { certificate?: TestCertificate; password?: string } = {},
): Promise<{ status: number; retryAfter: string | undefined }> {
  const headers: Record<string, string> = {};
  if (options.password)
    headers.authorization = `Basic ${Buffer.from(`${id}:${options.password}`).toString('base64')}`;
  const ws = new WebSocket(`${url}/${id}`, ['ocpp2.0.1'], {
    headers,
    ca: serverCa.certPem,
    ...(options.certificate ? { cert: options.certificate.certPem, key: options.certificate.keyPem } : {}),
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, retryAfter: undefined });
    });
    ws.once('unexpected-response', (_req, res) => {
      const retryAfter = res.headers['retry-after'];
      res.resume();
      ws.terminate();
      resolve({
        status: res.statusCode ?? 0,
        retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      });
    });
    ws.once('error', reject);
  });
}

async function provision(id: string, body: Record<string, unknown>): Promise<void> {
  const res = await h.api('POST', '/v1/stations', { id, ...body });
  assert.equal(res.status, 201, JSON.stringify(res.body));
}

function lastSecurityEvent(stationId: string): { type: string; techInfo?: string } | undefined {
  return eventsOf(h.host, 'security.event.v1', stationId).at(-1)?.detail;
}

describe('security profile 3: TLS client certificate (A00.FR.401-408)', () => {
  test('TC_A_07_CSMS A00.FR.401/403/405: a valid certificate for the identity is admitted and BootNotification Accepted', async () => {
    await provision('P3-OK', { securityProfile: 3 });
    const view = await h.api('GET', '/v1/stations/P3-OK');
    assert.equal(view.body.securityProfile, 3);
    const cs = await tlsStation('P3-OK', { certificate: await issueStationCertificate(ca, 'P3-OK') });
    const res = await cs.call('BootNotification', boot);
    assert.equal(res.status, 'Accepted');
    await cs.close();
  });

  test('TC_A_08_CSMS A00.FR.407/408: an expired certificate is refused (401) and recorded InvalidChargingStationCertificate', async () => {
    await provision('P3-EXP', { securityProfile: 3 });
    const expired = await issueStationCertificate(ca, 'P3-EXP', {
      notBefore: new Date(Date.now() - 10 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    assert.equal((await handshake(wssUrl(), 'P3-EXP', { certificate: expired })).status, 401);
    const event = lastSecurityEvent('P3-EXP');
    assert.equal(event?.type, 'InvalidChargingStationCertificate');
    assert.match(event?.techInfo ?? '', /^Expired/);
  });

  test('TC_A_08_CSMS A00.FR.405: a certificate with another CN is refused', async () => {
    await provision('P3-CN', { securityProfile: 3 });
    const wrong = await issueStationCertificate(ca, 'SOMEBODY-ELSE');
    assert.equal((await handshake(wssUrl(), 'P3-CN', { certificate: wrong })).status, 401);
    assert.match(lastSecurityEvent('P3-CN')?.techInfo ?? '', /^IdentityMismatch/);
  });

  test("A00.FR.427: another station's certificate is refused", async () => {
    await provision('P3-A', { securityProfile: 3 });
    await provision('P3-B', { securityProfile: 3 });
    const ofB = await issueStationCertificate(ca, 'P3-B');
    assert.equal((await handshake(wssUrl(), 'P3-A', { certificate: ofB })).status, 401);
    assert.match(lastSecurityEvent('P3-A')?.techInfo ?? '', /^IdentityMismatch/);
    // ... and it is good for its own station.
    assert.equal((await handshake(wssUrl(), 'P3-B', { certificate: ofB })).status, 101);
  });

  test('a certificate REVOKED in the registry is refused', async () => {
    await provision('P3-REV', { securityProfile: 3 });
    const cert = await issueStationCertificate(ca, 'P3-REV');
    assert.equal((await handshake(wssUrl(), 'P3-REV', { certificate: cert })).status, 101);
    revoked.add(cert.serialHex);
    assert.equal((await handshake(wssUrl(), 'P3-REV', { certificate: cert })).status, 401);
    assert.match(lastSecurityEvent('P3-REV')?.techInfo ?? '', /^Revoked/);
  });

  test('A00.FR.403: self-signed and other-CA certificates are refused', async () => {
    await provision('P3-FOREIGN', { securityProfile: 3 });
    const self = await selfSignedCertificate('P3-FOREIGN');
    assert.equal((await handshake(wssUrl(), 'P3-FOREIGN', { certificate: self })).status, 401);
    assert.match(lastSecurityEvent('P3-FOREIGN')?.techInfo ?? '', /^SelfSigned/);
    const other = await issueStationCertificate(await createTestCa('Other CA'), 'P3-FOREIGN');
    assert.equal((await handshake(wssUrl(), 'P3-FOREIGN', { certificate: other })).status, 401);
    assert.match(lastSecurityEvent('P3-FOREIGN')?.techInfo ?? '', /^UntrustedIssuer/);
  });

  test('no certificate, or a password alone, is refused', async () => {
    await provision('P3-PW', { securityProfile: 3, password: PASSWORD });
    assert.equal((await handshake(wssUrl(), 'P3-PW')).status, 401);
    assert.match(lastSecurityEvent('P3-PW')?.techInfo ?? '', /^NoCertificate/);
    assert.equal((await handshake(wssUrl(), 'P3-PW', { password: PASSWORD })).status, 401);
    assert.match(lastSecurityEvent('P3-PW')?.techInfo ?? '', /^NoCertificate.*password is not accepted/);
    // Over plain ws:// there is no certificate at all.
    assert.equal((await handshake(h.host.wsUrl, 'P3-PW', { password: PASSWORD })).status, 401);
  });

  test('a profile-3 station may be provisioned without a password; profiles 1 and 2 may not', async () => {
    const res = await h.api('POST', '/v1/stations', { id: 'P2-NOPW', securityProfile: 2 });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'invalid_request');
    assert.match(JSON.stringify(res.body), /password is required for security profiles 1 and 2/);
    const bad = await h.api('POST', '/v1/stations', { id: 'P4', securityProfile: 4, password: PASSWORD });
    assert.equal(bad.status, 400);
  });
});

describe('security profiles 1 and 2, and the A05 upgrade', () => {
  test('default profile 1: Basic auth over plain ws:// as before, and over wss://', async () => {
    await provision('P1', { password: PASSWORD });
    assert.equal((await h.api('GET', '/v1/stations/P1')).body.securityProfile, 1);
    assert.equal((await handshake(h.host.wsUrl, 'P1', { password: PASSWORD })).status, 101);
    assert.equal((await handshake(wssUrl(), 'P1', { password: PASSWORD })).status, 101);
  });

  test('profile 2 is refused over plain ws:// (InsecureTransport) and admitted over wss://', async () => {
    await provision('P2', { password: PASSWORD, securityProfile: 2 });
    assert.equal((await handshake(h.host.wsUrl, 'P2', { password: PASSWORD })).status, 401);
    assert.equal(lastSecurityEvent('P2')?.type, 'InsecureTransport');
    assert.equal((await handshake(wssUrl(), 'P2', { password: PASSWORD })).status, 101);
  });

  test('TC_A_19_CSMS A05: a profile-2 station switched to 3 by PATCH reconnects with its certificate; its password no longer works (A05.FR.07)', async () => {
    await provision('UPGRADE', { password: PASSWORD, securityProfile: 2 });
    const before = await tlsStation('UPGRADE', { password: PASSWORD });
    assert.equal((await before.call('BootNotification', boot)).status, 'Accepted');
    await before.close();

    const patched = await h.api('PATCH', '/v1/stations/UPGRADE', { securityProfile: 3 });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.securityProfile, 3);

    const certificate = await issueStationCertificate(ca, 'UPGRADE');
    const afterUpgrade = await tlsStation('UPGRADE', { certificate });
    assert.equal((await afterUpgrade.call('BootNotification', boot)).status, 'Accepted');
    await afterUpgrade.close();
    assert.equal((await handshake(wssUrl(), 'UPGRADE', { password: PASSWORD })).status, 401);
  });
});

describe('failed-login throttling', () => {
  test('after 3 failed logins the identity gets 429 + Retry-After, even with the right password; others are unaffected', async () => {
    await provision('BRUTE', { password: PASSWORD });
    await provision('INNOCENT', { password: PASSWORD });
    for (let i = 0; i < 3; i++) {
      assert.equal(
        (await handshake(h.host.wsUrl, 'BRUTE', { password: `wrong-password-${i}-xxxxx` })).status,
        401,
      );
    }
    const throttled = await handshake(h.host.wsUrl, 'BRUTE', { password: PASSWORD });
    assert.equal(throttled.status, 429);
    const wait = Number(throttled.retryAfter);
    assert.ok(wait > 0 && wait <= 120, `Retry-After ${throttled.retryAfter}`);
    const events = eventsOf(h.host, 'security.event.v1', 'BRUTE').map((e) => e.detail.type);
    assert.deepEqual(events, ['InvalidPassword', 'InvalidPassword', 'InvalidPassword', 'LoginThrottled']);
    assert.equal((await handshake(h.host.wsUrl, 'INNOCENT', { password: PASSWORD })).status, 101);
  });
});
