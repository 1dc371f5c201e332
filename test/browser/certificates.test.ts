/**
 * The Station view's certificates section in a real browser, against issue 11's certificate API
 * (GET /v1/stations/{id}/certificates, DELETE .../{serialNumber}): a 2.0.1 station asks for a
 * certificate (A02 SignCertificate with its own CSR; the local station CA signs it and sends
 * CertificateSigned), the view lists it (serial, subject, validity, status in words, source,
 * fingerprint); a viewer sees Revoke disabled; an admin revokes it after a confirmation and the
 * row says Revoked; a station without certificates says so. axe-core finds no serious violation.
 *
 * Needs the certificate routes of issue 11 (not in this branch when it was written).
 */
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/commands.js';
import { launchBrowser, seriousViolations, type Browser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

const STATION = 'CERT-WEB-1';
const BARE = 'CERT-WEB-2';
const VIEWER_TOKEN = 'csms_viewer-token-for-certificate-browser-tests';

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A station's CSR (A02.FR.02): its own P-256 key, PKCS#10, PEM; the private key is never sent. */
async function csrPem(subject: string): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as never;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: subject, keys, signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as never },
    webcrypto,
  );
  return csr.toString('pem');
}

describe('station certificates in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let serial: string;

  before(async () => {
    h = await startHarness({ viewerApiToken: VIEWER_TOKEN });
    await h.provision(STATION);
    await h.provision(BARE);
    const cs = await h.station(STATION, 'ocpp2.0.1');
    let signed: string | undefined;
    cs.handle('CertificateSigned', ({ params }) => {
      signed = params.certificateChain as string;
      return { status: 'Accepted' };
    });
    await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'Acme', model: 'C1' },
    });
    const answer = await cs.call('SignCertificate', {
      csr: await csrPem(`CN=${STATION}`),
      certificateType: 'ChargingStationCertificate',
    });
    assert.equal(answer.status, 'Accepted');
    await waitFor('CertificateSigned', () => signed);
    const list = await h.api('GET', `/v1/stations/${STATION}/certificates`);
    assert.equal(list.status, 200, JSON.stringify(list.body));
    const issued = (list.body.items as any[]).find((c) => c.source === 'issued');
    assert.ok(issued, JSON.stringify(list.body));
    serial = issued.serialNumber;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('a viewer sees the issued certificate with Revoke disabled', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/stations/${STATION}`);
    await signIn(page, VIEWER_TOKEN);
    await page.getByText('(viewer)').waitFor();
    const row = page.locator(`[data-certificate="${serial}"]`);
    await row.getByText('Active').waitFor();
    assert.equal(await row.getByRole('button', { name: /Revoke/ }).isDisabled(), true);
    await page.close();
  });

  test('the issued certificate listed in words; revoke asks first, then the row says Revoked', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/stations/${STATION}`);
    await signIn(page, h.host.apiToken);
    const row = page.locator(`[data-certificate="${serial}"]`);
    await row.getByText('Active').waitFor();
    await row.getByText(`CN=${STATION}`).waitFor();
    await row.getByText('issued by this CSMS').waitFor();
    await row.getByText('ChargingStationCertificate').waitFor();
    assert.equal(await row.locator('time').count(), 2, 'valid from and until, as times');

    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`),
      [],
      'axe-core on the station view with certificates',
    );

    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    const kept = await h.api('GET', `/v1/stations/${STATION}/certificates`);
    assert.equal(kept.body.items.find((c: any) => c.serialNumber === serial).status, 'ACTIVE');

    await row.getByRole('button', { name: /Revoke/ }).click();
    await page.getByRole('button', { name: 'Yes, revoke' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Certificate ${serial} revoked` })
      .waitFor();
    await row.getByText('Revoked').waitFor();
    assert.equal(await row.getByRole('button', { name: /Revoke/ }).count(), 0);
    const after = await h.api('GET', `/v1/stations/${STATION}/certificates`);
    assert.equal(after.body.items.find((c: any) => c.serialNumber === serial).status, 'REVOKED');
    await page.close();
  });

  test('a station without certificates says so', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/stations/${BARE}`);
    await signIn(page, h.host.apiToken);
    await page.getByText('No certificate known for this station yet').waitFor();
    await page.close();
  });
});
