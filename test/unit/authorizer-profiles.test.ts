/**
 * The authorizer behind CloudFront (the AWS path): the viewer mTLS and protocol headers are read
 * from the request CloudFront forwards, and believed only with the origin secret
 * (docs/adr/0015-station-client-certificates.md). authorizeConnection on a dynalite store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  authorizeConnection,
  viewerCertificate,
  viewerTransport,
  type ConnectRequest,
} from '../../functions/ocpp/station-auth.js';
import type { StationFunctionDeps } from '../../functions/ocpp/composition.js';
import { readConfig } from '../../shared/aws/config.js';
import type { Store } from '../../shared/store/index.js';
import { SiteAndStationLimits } from '../../functions/ocpp/evse-limits.js';
import { OcspContractCertificates } from '../../shared/pki/contract-certificates.js';
import { createTestCa, issueStationCertificate, type TestCa } from '../support/pki.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';

const ORIGIN_SECRET = 'origin-secret-0123456789abcdef';
let store: Store;
let close: () => Promise<void>;
let ca: TestCa;
let deps: StationFunctionDeps;
let sink: RecordingSink;

before(async () => {
  ({ store, close } = await startStore());
  ca = await createTestCa();
  sink = new RecordingSink();
  deps = {
    config: readConfig({
      CSMS_TABLE_NAME: 'x',
      CSMS_EVENT_BUS_NAME: 'x',
      CSMS_ORIGIN_SECRET: ORIGIN_SECRET,
      // On AWS the CA certificates come in the authorizer's environment.
      CSMS_CLIENT_CA_PEM: ca.certPem,
    }),
    store,
    events: sink,
    log: silentLog as StationFunctionDeps['log'],
    clock: () => new Date(),
    evseLimits: new SiteAndStationLimits(store),
    contractCertificates: new OcspContractCertificates(),
    ca: undefined,
  };
  await store.stations.create({ id: 'AWS-P3', now: new Date(), securityProfile: 3 });
});
after(() => close());

/** The request as CloudFront forwards it: certificate URL-encoded, protocol https. */
function fromCloudFront(
  stationId: string,
  pem: string | undefined,
  originSecret = ORIGIN_SECRET,
): ConnectRequest {
  return {
    stationId,
    authorization: undefined,
    subprotocols: 'ocpp2.0.1',
    originSecret,
    sourceIp: '198.51.100.10',
    transport: viewerTransport('https'),
    clientCertificatePem: viewerCertificate(pem ? '1' : '0', pem ? encodeURIComponent(pem) : undefined),
  };
}

describe('profile 3 behind CloudFront', () => {
  test('the forwarded certificate, with the origin secret, admits the station (trust anchors from CSMS_CLIENT_CA_PEM)', async () => {
    const cert = await issueStationCertificate(ca, 'AWS-P3');
    const outcome = await authorizeConnection(fromCloudFront('AWS-P3', cert.certPem), deps);
    assert.equal(outcome.allow, true);
  });

  test('the same headers without the origin secret are not believed: refused before anything else', async () => {
    const cert = await issueStationCertificate(ca, 'AWS-P3');
    const outcome = await authorizeConnection(
      fromCloudFront('AWS-P3', cert.certPem, 'wrong-secret-0123456789'),
      deps,
    );
    assert.deepEqual(outcome, { allow: false, reason: 'origin' });
  });

  test('Present: 0 (a station without a certificate in optional mode) is refused', async () => {
    const outcome = await authorizeConnection(fromCloudFront('AWS-P3', undefined), deps);
    assert.equal(outcome.allow, false);
    const last = sink.events.at(-1);
    assert.equal(last?.type, 'security.event.v1');
    assert.match(JSON.stringify(last?.detail), /"techInfo":"NoCertificate/);
  });
});

describe('header parsing', () => {
  test('CloudFront-Forwarded-Proto', () => {
    assert.equal(viewerTransport('https'), 'tls');
    assert.equal(viewerTransport('HTTP'), 'plain');
    assert.equal(viewerTransport(undefined), undefined);
    assert.equal(viewerTransport('gopher'), undefined);
  });

  test('CloudFront-Viewer-Cert-Pem is URL-decoded; Present 0 or a bad escape gives none', () => {
    assert.equal(
      viewerCertificate('1', '-----BEGIN%20CERTIFICATE-----%0AAA%0A'),
      '-----BEGIN CERTIFICATE-----\nAA\n',
    );
    assert.equal(viewerCertificate('0', 'x'), undefined);
    assert.equal(viewerCertificate('1', '%E0%A4%A'), undefined);
    assert.equal(viewerCertificate(undefined, undefined), undefined);
  });
});
