/**
 * The Fleet view beyond one API page (100 stations): 130 provisioned stations, three of them
 * connected (one with a Faulted connector, one charging). The dashboard reads the whole fleet
 * through the API's cursor, so the counts are those of all 130, the search finds a station on the
 * second API page, the filters cover every station, and "Show more" lists the rows past the first
 * 100. The stations that change are on the second page, and the counts follow them live.
 *
 * No timing assertions: every wait is for a condition, with the browser's hang guard.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from '../support/browser.js';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';

const TOTAL = 130;
const id = (n: number) => `FLEET-${String(n).padStart(3, '0')}`;
const ONLINE = id(120);
const FAULTED = id(121);
const CHARGING = id(122);

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function boot(h: Harness, station: string): Promise<RpcClient> {
  const cs = await h.station(station, 'ocpp2.0.1');
  await cs.call('BootNotification', {
    reason: 'PowerUp',
    chargingStation: { vendorName: 'Acme', model: 'P1', firmwareVersion: '1.0.0' },
  });
  return cs;
}

async function status(cs: RpcClient, connectorStatus: string): Promise<void> {
  await cs.call('StatusNotification', {
    timestamp: new Date().toISOString(),
    connectorStatus,
    evseId: 1,
    connectorId: 1,
  });
}

describe('fleet view beyond the first 100 stations', () => {
  let h: Harness;
  let browser: Browser;

  before(async () => {
    h = await startHarness();
    for (let n = 1; n <= TOTAL; n++) await h.provision(id(n));
    // The API itself pages: the first page ends before the stations that change.
    const first = await h.api('GET', '/v1/stations?limit=100');
    assert.equal(first.body.items.length, 100);
    assert.ok(first.body.nextCursor, 'a second page');
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('counts, search and filters cover the whole fleet, through the cursor, live', async () => {
    const page = await browser.newPage();
    const cursors: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.pathname === '/v1/stations' && url.searchParams.get('cursor'))
        cursors.push(url.searchParams.get('cursor')!);
    });
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    const count = (what: string) => page.locator(`[data-count="${what}"]`);
    await count('offline')
      .filter({ hasText: String(TOTAL) })
      .waitFor();
    assert.equal(await count('online').textContent(), '0');
    await page
      .locator('[data-shown]')
      .filter({ hasText: `${TOTAL} stations; the first 100 are listed` })
      .waitFor();
    assert.ok(cursors.length > 0, 'the dashboard followed nextCursor');
    assert.equal(await page.locator('tbody tr').count(), 100);

    // Three stations of the second API page connect; one faults, one charges.
    const online = await boot(h, ONLINE);
    await status(online, 'Available');
    const faulted = await boot(h, FAULTED);
    await status(faulted, 'Faulted');
    const charging = await boot(h, CHARGING);
    await status(charging, 'Occupied');
    await charging.call('TransactionEvent', {
      eventType: 'Started',
      timestamp: new Date().toISOString(),
      triggerReason: 'CablePluggedIn',
      seqNo: 0,
      transactionInfo: { transactionId: 'TX-FLEET-1', chargingState: 'EVConnected' },
      evse: { id: 1, connectorId: 1 },
    });
    await count('online').filter({ hasText: '3' }).waitFor();
    await count('offline')
      .filter({ hasText: String(TOTAL - 3) })
      .waitFor();
    await count('faulted').filter({ hasText: '1' }).waitFor();
    await count('charging').filter({ hasText: '1' }).waitFor();

    // The search finds a station past the first 100.
    await page.getByLabel('Search').fill(ONLINE);
    await page.locator(`tr[data-station="${ONLINE}"]`).getByText('Online').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page
      .locator('[data-shown]')
      .filter({ hasText: `1 of ${TOTAL} stations match` })
      .waitFor();

    // Filters cover every station too.
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Show').selectOption('faulted');
    await page.locator(`tr[data-station="${FAULTED}"]`).getByText('Faulted').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.getByLabel('Show').selectOption('charging');
    await page.locator(`tr[data-station="${CHARGING}"]`).getByText('Charging').waitFor();
    assert.equal(await page.locator('tbody tr').count(), 1);
    await page.getByLabel('Show').selectOption('offline');
    await page
      .locator('[data-shown]')
      .filter({ hasText: `${TOTAL - 3} of ${TOTAL} stations match; the first 100 are listed` })
      .waitFor();
    assert.equal(await page.locator('tbody tr').count(), 100);
    await page.getByRole('button', { name: `Show ${TOTAL - 3 - 100} more stations` }).click();
    await page.locator(`tr[data-station="${id(TOTAL)}"]`).waitFor();
    assert.equal(await page.locator('tbody tr').count(), TOTAL - 3);
    assert.equal(await page.getByRole('button', { name: /^Show \d+ more stations$/ }).count(), 0);

    // A station of the second page disconnects: the whole-fleet counts follow.
    await online.close();
    await count('online').filter({ hasText: '2' }).waitFor();
    await count('offline')
      .filter({ hasText: String(TOTAL - 2) })
      .waitFor();
    await page.close();
  });
});
