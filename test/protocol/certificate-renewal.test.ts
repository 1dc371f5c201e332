/**
 * Issue 11 renewal: a certificate of the station CA that expires within the renewal lead time gets
 * one TriggerMessage SignChargingStationCertificate (2.0.1 A02, TC_A_23 CA side) / one
 * ExtendedTriggerMessage SignChargePointCertificate (1.6 security A02) through the command path,
 * sent by the minute sweep (here every 200 ms), once per certificate however often the sweep runs.
 * Certificates here are valid 1 day with a 30-day lead time: due at once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeCsr } from '../support/csr.js';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Station {
  readonly cp: RpcClient;
  readonly triggers: string[];
  certificates: number;
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (check()) return;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}`);
}

describe('certificate renewal before expiry', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness({ certificateValidityDays: 1, certificateRenewalDays: 30, sweepIntervalMs: 200 });
  });

  after(async () => {
    await h.close();
  });

  async function station(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1'): Promise<Station> {
    await h.provision(id);
    const cp = await h.station(id, protocol);
    const s: Station = { cp, triggers: [], certificates: 0 };
    cp.handle('CertificateSigned', () => {
      s.certificates++;
      return { status: 'Accepted' };
    });
    const trigger = ({ params }: { params: { requestedMessage: string } }) => {
      s.triggers.push(params.requestedMessage);
      return { status: 'Accepted' };
    };
    cp.handle(protocol === 'ocpp1.6' ? 'ExtendedTriggerMessage' : 'TriggerMessage', trigger);
    const boot =
      protocol === 'ocpp1.6'
        ? await cp.call('BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })
        : await cp.call('BootNotification', {
            reason: 'PowerUp',
            chargingStation: { model: 'M', vendorName: 'V' },
          });
    assert.equal(boot.status, 'Accepted');
    return s;
  }

  test('2.0.1: one TriggerMessage SignChargingStationCertificate per certificate near expiry', async () => {
    const s = await station('RENEW-201', 'ocpp2.0.1');
    const res = await s.cp.call('SignCertificate', { csr: (await makeCsr('CN=RENEW-201')).pem });
    assert.equal(res.status, 'Accepted');
    await until(
      'CertificateSigned and the renewal trigger',
      () => s.certificates === 1 && s.triggers.length > 0,
    );
    await sleep(1500); // several more sweeps
    assert.deepEqual(s.triggers, ['SignChargingStationCertificate']);
    const commands = await h.api('GET', '/v1/stations/RENEW-201/commands');
    const renewals = commands.body.items.filter((c: { action: string }) => c.action === 'TriggerMessage');
    assert.equal(renewals.length, 1);
    assert.equal(renewals[0].status, 'completed');
  });

  test('1.6 security: one ExtendedTriggerMessage SignChargePointCertificate', async () => {
    const s = await station('RENEW-16', 'ocpp1.6');
    const res = await s.cp.call('SignCertificate', { csr: (await makeCsr('CN=RENEW-16')).pem });
    assert.equal(res.status, 'Accepted');
    await until('the renewal trigger', () => s.triggers.length > 0);
    await sleep(1500);
    assert.deepEqual(s.triggers, ['SignChargePointCertificate']);
  });
});
