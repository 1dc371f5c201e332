/**
 * The contract-certificate / OCSP provider (shared/pki/contract-certificates.ts) against a local
 * OCSP responder on loopback: M06.FR.02/.03/.08/.09 (the DER OCSPResponse, base64), M06.FR.04
 * (Failed when it cannot be retrieved), and the plug for a contract-certificate PKI (M01, M02).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { OcspContractCertificates } from '../../shared/pki/contract-certificates.js';
import { startOcspResponder, statusesIn, type OcspResponder } from '../support/ocsp-responder.js';

let responder: OcspResponder;
before(async () => {
  responder = await startOcspResponder(['0bad']);
});
after(() => responder.close());

const data = (serialNumber: string, responderURL: string) => ({
  hashAlgorithm: 'SHA256' as const,
  issuerNameHash: 'aa'.repeat(32),
  issuerKeyHash: 'bb'.repeat(32),
  serialNumber,
  responderURL,
});

test("M06.FR.02/.03: Accepted with the responder's DER OCSPResponse, base64; good and revoked as the responder says", async () => {
  const provider = new OcspContractCertificates();
  const good = await provider.certificateStatus(data('01a2b3', responder.url));
  assert.equal(good.status, 'Accepted');
  assert.deepEqual(statusesIn(good.ocspResult!), { '01a2b3': 'good' });
  const revoked = await provider.certificateStatus(data('0BAD', responder.url));
  assert.equal(revoked.status, 'Accepted');
  assert.deepEqual(statusesIn(revoked.ocspResult!), { '0bad': 'revoked' });
  assert.deepEqual(responder.asked.slice(-2), ['01a2b3', '0bad']);
});

test('M06.FR.04: Failed when the responder cannot be reached, or the request data cannot be used', async () => {
  const provider = new OcspContractCertificates();
  const closed = await startOcspResponder();
  await closed.close();
  const unreachable = await provider.certificateStatus(data('01', closed.url));
  assert.equal(unreachable.status, 'Failed');
  assert.match(unreachable.reason!, /could not be reached/);
  assert.equal((await provider.certificateStatus(data('01', 'ftp://127.0.0.1/x'))).status, 'Failed');
  assert.equal((await provider.certificateStatus(data('zz', responder.url))).status, 'Failed');
});

test('M01 / M02: without a contract-certificate PKI Failed; a plugged-in one answers', async () => {
  const request = {
    stationId: 'S',
    iso15118SchemaVersion: 'urn:iso:15118:2:2013:MsgDef',
    action: 'Install' as const,
    exiRequest: 'AAEC',
  };
  assert.equal((await new OcspContractCertificates().get15118EvCertificate(request)).status, 'Failed');
  const seen: string[] = [];
  const plugged = new OcspContractCertificates(async (r) => {
    seen.push(r.exiRequest);
    return { status: 'Accepted', exiResponse: 'BBEC' };
  });
  assert.deepEqual(await plugged.get15118EvCertificate(request), { status: 'Accepted', exiResponse: 'BBEC' });
  assert.deepEqual(seen, ['AAEC']);
});
