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

// What page.evaluate callbacks see in the browser (this project's tsconfig has no DOM library).
declare const document: any;

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

describe('lists beyond the first API page: fleet, sessions, id tokens, device model', () => {
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

  test('sessions and id tokens past the first API page: "Load more" follows the cursor', async () => {
    // 105 id tokens (pages of 100) and 51 past sessions at one station (pages of 50, newest first).
    for (let n = 1; n <= 105; n++)
      assert.equal(
        (await h.api('POST', '/v1/id-tokens', { idToken: `TAG-${String(n).padStart(3, '0')}` })).status,
        201,
      );
    const cs = await boot(h, id(1));
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();
    for (let n = 1; n <= 51; n++) {
      const transactionInfo = { transactionId: `TX-PAST-${n}` };
      await cs.call('TransactionEvent', {
        eventType: 'Started',
        timestamp: at(2 * n),
        triggerReason: 'Authorized',
        seqNo: 0,
        transactionInfo,
        evse: { id: 1, connectorId: 1 },
      });
      await cs.call('TransactionEvent', {
        eventType: 'Ended',
        timestamp: at(2 * n + 1),
        triggerReason: 'StopAuthorized',
        seqNo: 1,
        transactionInfo: { ...transactionInfo, stoppedReason: 'Local' },
      });
    }

    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/id-tokens`);
    await signIn(page, h.host.apiToken);
    const tokens = page.locator('tbody tr');
    await page.locator('tr', { hasText: 'TAG-100' }).waitFor();
    assert.equal(await tokens.count(), 100);
    assert.equal(await page.locator('tr', { hasText: 'TAG-105' }).count(), 0);
    await page.getByRole('button', { name: 'Load more id tokens' }).click();
    await page.locator('tr', { hasText: 'TAG-105' }).waitFor();
    assert.equal(await tokens.count(), 105);
    assert.equal(await page.getByRole('button', { name: 'Load more id tokens' }).count(), 0);

    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByLabel('Past').check();
    await page.getByLabel('Station').fill(id(1));
    await page.getByLabel('Station').press('Enter');
    await page.getByLabel('Station').blur();
    const sessions = page.locator('tbody tr');
    await page.locator('tr[data-transaction="TX-PAST-51"]').waitFor();
    // A page holds at most 50 (the API may return fewer: "a page may be shorter than limit").
    assert.ok((await sessions.count()) <= 50);
    assert.equal(
      await page.locator('tr[data-transaction="TX-PAST-1"]').count(),
      0,
      'the oldest is further on',
    );
    for (let clicks = 0; (await page.locator('tr[data-transaction="TX-PAST-1"]').count()) === 0; clicks++) {
      assert.ok(clicks < 5, 'the oldest session within a few pages');
      const shown = await sessions.count();
      await page.getByRole('button', { name: 'Load more sessions' }).click();
      await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length > n, shown);
    }
    assert.equal(await sessions.count(), 51);
    await page.getByRole('button', { name: 'Load more sessions' }).waitFor({ state: 'detached' });
    await page.close();
  });

  test('a 2.0.1 device model of 120 variables (B07 NotifyReport): "Load more" shows the rest', async () => {
    const cs = await boot(h, id(2));
    const variable = (n: number) => ({
      component: { name: 'CustomCtrlr' },
      variable: { name: `Setting${String(n).padStart(3, '0')}` },
      variableAttribute: [{ value: String(n), mutability: 'ReadOnly' }],
      variableCharacteristics: { dataType: 'integer', supportsMonitoring: false },
    });
    const generatedAt = new Date().toISOString();
    const all = Array.from({ length: 120 }, (_, i) => variable(i + 1));
    await cs.call('NotifyReport', {
      requestId: 7,
      generatedAt,
      seqNo: 0,
      tbc: true,
      reportData: all.slice(0, 60),
    });
    await cs.call('NotifyReport', { requestId: 7, generatedAt, seqNo: 1, reportData: all.slice(60) });

    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/stations/${id(2)}`);
    await signIn(page, h.host.apiToken);
    const model = page.getByRole('region', { name: 'Device model' });
    const rows = model.locator('tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) <= 100, 'one page first');
    await page.getByRole('button', { name: 'Load more variables' }).click();
    await model.getByText('CustomCtrlr / Setting120').waitFor();
    await model.getByText('CustomCtrlr / Setting001').waitFor();
    assert.equal(await model.getByText(/^CustomCtrlr \/ Setting\d{3}$/).count(), 120);
    await page.close();
  });
});
