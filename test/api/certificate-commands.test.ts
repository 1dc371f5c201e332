/**
 * Issue 11 item 5: the install-side conveniences (InstallCertificate, GetInstalledCertificateIds,
 * DeleteCertificate) and one station's firmware update, signed or not, reach 1.6 (security
 * extension) and 2.0.1 stations as their version's message; a certificate that is not PEM X.509
 * or a signature that is not base64 is a 400 naming the field (here and for rollouts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';

const V16 = 'IC-16';
const V201 = 'IC-201';

describe('install-side certificate conveniences and signed firmware', () => {
  let h: Harness;
  let caPem: string;
  const received: Record<string, { method: string; params: any }[]> = { [V16]: [], [V201]: [] };

  async function station(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1'): Promise<RpcClient> {
    await h.provision(id);
    const cp = await h.station(id, protocol);
    const record = (status: Record<string, unknown>) => (call: { method: string; params: any }) => {
      received[id]!.push(call);
      return status;
    };
    cp.handle('InstallCertificate', record({ status: 'Accepted' }));
    cp.handle('GetInstalledCertificateIds', record({ status: 'NotFound' }));
    cp.handle('DeleteCertificate', record({ status: 'NotFound' }));
    cp.handle(
      protocol === 'ocpp1.6' ? 'SignedUpdateFirmware' : 'UpdateFirmware',
      record({ status: 'Accepted' }),
    );
    return cp;
  }

  before(async () => {
    h = await startHarness();
    await station(V16, 'ocpp1.6');
    await station(V201, 'ocpp2.0.1');
    caPem = (await h.api('GET', '/v1/certificates/ca')).body as string;
  });

  after(async () => {
    await h.close();
  });

  const last = (id: string) => received[id]!.at(-1)!;

  test('InstallCertificate: 2.0.1 CSMSRootCertificate as is, 1.6 as CentralSystemRootCertificate (M05)', async () => {
    for (const id of [V201, V16]) {
      const res = await h.api('POST', `/v1/stations/${id}/installed-certificates?wait=10`, {
        certificateType: 'CSMSRootCertificate',
        certificate: caPem,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, 'completed');
    }
    assert.equal(last(V201).params.certificateType, 'CSMSRootCertificate');
    assert.equal(last(V16).params.certificateType, 'CentralSystemRootCertificate');
    assert.equal(last(V16).params.certificate, caPem);
    // The accepted installation is listed with the station's certificates.
    const list = await h.api('GET', `/v1/stations/${V201}/certificates`);
    assert.ok(list.body.items.some((c: { source: string }) => c.source === 'installed'));
  });

  test('InstallCertificate: not PEM, or PEM that is no certificate -> 400 naming certificate; V2G root on 1.6 -> 400', async () => {
    for (const certificate of ['hello', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----']) {
      const res = await h.api('POST', `/v1/stations/${V201}/installed-certificates`, {
        certificateType: 'CSMSRootCertificate',
        certificate,
      });
      assert.equal(res.status, 400);
      assert.equal(res.body.error.fields[0].path, 'certificate');
    }
    const v2g = await h.api('POST', `/v1/stations/${V16}/installed-certificates`, {
      certificateType: 'V2GRootCertificate',
      certificate: caPem,
    });
    assert.equal(v2g.status, 400);
    assert.equal(v2g.body.error.fields[0].path, 'certificateType');
  });

  test('GetInstalledCertificateIds (M03) and DeleteCertificate (M04) in both versions', async () => {
    const read201 = await h.api('POST', `/v1/stations/${V201}/installed-certificates/read?wait=10`, {
      certificateTypes: ['CSMSRootCertificate'],
    });
    assert.equal(read201.status, 200);
    assert.deepEqual(last(V201).params, { certificateType: ['CSMSRootCertificate'] });
    const read16 = await h.api('POST', `/v1/stations/${V16}/installed-certificates/read?wait=10`, {
      certificateTypes: ['ManufacturerRootCertificate'],
    });
    assert.equal(read16.status, 200);
    assert.deepEqual(last(V16).params, { certificateType: 'ManufacturerRootCertificate' });
    assert.equal((await h.api('POST', `/v1/stations/${V16}/installed-certificates/read`, {})).status, 400);

    const hash = {
      hashAlgorithm: 'SHA256',
      issuerNameHash: 'ab'.repeat(32),
      issuerKeyHash: 'cd'.repeat(32),
      serialNumber: '1f',
    };
    for (const id of [V201, V16]) {
      const res = await h.api('POST', `/v1/stations/${id}/installed-certificates/delete?wait=10`, hash);
      assert.equal(res.status, 200);
      assert.deepEqual(last(id).params, { certificateHashData: hash });
    }
  });

  test('signed firmware: 1.6 SignedUpdateFirmware and 2.0.1 UpdateFirmware carry the certificate and signature (L01)', async () => {
    const body = {
      location: 'https://fw.example.com/v2.bin',
      signature: Buffer.from('sig').toString('base64'),
      signingCertificate: caPem,
    };
    for (const id of [V16, V201]) {
      const res = await h.api('POST', `/v1/stations/${id}/firmware?wait=10`, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { firmware } = last(id).params;
      assert.equal(firmware.signature, body.signature);
      assert.equal(firmware.signingCertificate, caPem);
    }
    assert.equal(last(V16).method, 'SignedUpdateFirmware');
  });

  test('signed firmware: a signature that is not base64 or a certificate that does not parse -> 400 naming it (station and rollout)', async () => {
    const good = { location: 'https://fw.example.com/v2.bin', signature: 'c2ln', signingCertificate: caPem };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, signature: 'not base64!' }, 'signature'],
      [{ ...good, signingCertificate: 'garbage' }, 'signingCertificate'],
      [{ location: good.location, signature: 'c2ln' }, 'signingCertificate'],
    ];
    for (const [firmware, field] of cases) {
      const res = await h.api('POST', `/v1/stations/${V201}/firmware`, firmware);
      assert.equal(res.status, 400, field);
      assert.equal(res.body.error.fields[0].path, field);
      const rollout = await h.api('POST', '/v1/firmware/rollouts', {
        firmware: { ...firmware, version: '2.0' },
        target: { stationIds: [V201] },
        policy: { canary: 1, batchSize: 1, maxFailurePercent: 0 },
      });
      assert.equal(rollout.status, 400, `rollout ${field}`);
      assert.ok(
        rollout.body.error.fields.some((f: { path: string }) => f.path === `firmware.${field}`),
        JSON.stringify(rollout.body.error),
      );
    }
  });
});
