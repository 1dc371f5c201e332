/**
 * The operator dashboard in a real browser (headless Chromium, built app served by the local host
 * at `/`): log in with the API token, watch a simulated OCPP 2.0.1 station come online, start a
 * session from the UI, watch its energy rise, stop it, find it in Sessions; a viewer cannot press
 * a command button; an expired session keeps what was typed; a removed station says so; the first
 * page stays under 200 KB gzipped; axe-core finds no serious violation in any view; and each view
 * is saved as a screenshot in docs/screenshots/ (shown in the README).
 *
 * No timing assertions: every wait is for a condition, with a generous hang guard.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { WEB_DIST } from '../../infra/local/static-site.js';
import { launchBrowser, seriousViolations, type Browser } from '../support/browser.js';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';

// What page.evaluate callbacks see in the browser (this project's tsconfig has no DOM library).
declare const document: any;
declare const window: any;
declare const sessionStorage: any;

const STATION = 'CS-WEB-1';
const ID_TOKEN = 'WEB-TOKEN-1';
const VIEWER_TOKEN = 'csms_viewer-token-for-browser-tests';
const SHOTS = 'docs/screenshots';
const FIRST_PAGE_BUDGET = 200 * 1024;

/** A 2.0.1 station that charges when asked: RequestStartTransaction starts a transaction whose meter rises. */
function charger(cs: RpcClient) {
  let timer: NodeJS.Timeout | undefined;
  let seqNo = 0;
  let energyWh = 1000;
  const txId = 'TX-WEB-1';
  const now = () => new Date().toISOString();
  const meter = (power: number) => [
    {
      timestamp: now(),
      sampledValue: [
        { value: energyWh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } },
        { value: power, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'W' } },
      ],
    },
  ];
  cs.handle('RequestStartTransaction', ({ params }) => {
    setTimeout(() => {
      void (async () => {
        await cs.call('StatusNotification', {
          timestamp: now(),
          connectorStatus: 'Occupied',
          evseId: 1,
          connectorId: 1,
        });
        await cs.call('TransactionEvent', {
          eventType: 'Started',
          timestamp: now(),
          triggerReason: 'RemoteStart',
          seqNo: seqNo++,
          transactionInfo: {
            transactionId: txId,
            chargingState: 'Charging',
            remoteStartId: params.remoteStartId,
          },
          idToken: params.idToken,
          evse: { id: 1, connectorId: 1 },
          meterValue: meter(0),
        });
        timer = setInterval(() => {
          energyWh += 250;
          cs.call('TransactionEvent', {
            eventType: 'Updated',
            timestamp: now(),
            triggerReason: 'MeterValuePeriodic',
            seqNo: seqNo++,
            transactionInfo: { transactionId: txId, chargingState: 'Charging' },
            meterValue: meter(7400),
          }).catch(() => undefined);
        }, 700);
      })();
    }, 50);
    return { status: 'Accepted', transactionId: txId };
  });
  cs.handle('RequestStopTransaction', () => {
    clearInterval(timer);
    setTimeout(() => {
      void (async () => {
        await cs.call('TransactionEvent', {
          eventType: 'Ended',
          timestamp: now(),
          triggerReason: 'RemoteStop',
          seqNo: seqNo++,
          transactionInfo: { transactionId: txId, chargingState: 'Idle', stoppedReason: 'Remote' },
          meterValue: meter(0),
        });
        await cs.call('StatusNotification', {
          timestamp: now(),
          connectorStatus: 'Available',
          evseId: 1,
          connectorId: 1,
        });
      })();
    }, 50);
    return { status: 'Accepted' };
  });
  return { stop: () => clearInterval(timer) };
}

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function expectNoSeriousViolations(page: Page, view: string): Promise<void> {
  const violations = await seriousViolations(page);
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`),
    [],
    `axe-core on ${view}`,
  );
}

async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The energy of the station view's current transaction, in Wh (from its "1.25 kWh" text). */
async function shownEnergyWh(page: Page): Promise<number> {
  const text = (await page.locator('[data-transaction] [data-energy]').first().textContent()) ?? '';
  return Math.round(Number(text.replace(/[^\d.]/g, '')) * 1000);
}

describe('dashboard in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let cs: RpcClient;
  let station: { stop(): void } | undefined;

  before(async () => {
    h = await startHarness({ viewerApiToken: VIEWER_TOKEN });
    await h.provision(STATION);
    assert.equal((await h.api('POST', '/v1/id-tokens', { idToken: ID_TOKEN })).status, 201);
    browser = await launchBrowser();
  });

  after(async () => {
    station?.stop();
    await browser?.close();
    await h?.close();
  });

  test('the first page of a cold load is under 200 KB gzipped', async () => {
    const page = await browser.newPage();
    const files: string[] = [];
    page.on('response', (res) => {
      const url = new URL(res.url());
      if (url.origin === h.host.httpUrl && !url.pathname.startsWith('/v1/') && res.status() === 200)
        files.push(url.pathname);
    });
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    const served = [...new Set(files)].map((p) => (p === '/' ? 'index.html' : p.slice(1)));
    const gzipped = served.reduce((sum, p) => sum + gzipSync(readFileSync(join(WEB_DIST, p))).length, 0);
    assert.ok(
      served.some((p) => p.endsWith('.js')),
      `scripts were loaded: ${served.join(', ')}`,
    );
    assert.ok(gzipped < FIRST_PAGE_BUDGET, `first page: ${gzipped} bytes gzipped (${served.join(', ')})`);
    assert.ok(!served.some((p) => /ocpp2|ocpp1/.test(p)), 'the OCPP schemas are not part of the first page');
    await page.close();
  });

  test('log in, watch a 2.0.1 station come online, remote-start, energy rises, stop, find it in Sessions', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/`);
    // The token is never put in the URL; a wrong one is refused with the API's message.
    await page.getByLabel('API token').fill('csms_not-a-valid-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid API key' }).waitFor();
    await shoot(page, 'login');
    await expectNoSeriousViolations(page, 'login');
    await signIn(page, h.host.apiToken);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    assert.ok(!page.url().includes(h.host.apiToken), 'the token is not in the URL');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('csms.token')), h.host.apiToken);

    const row = page.locator(`tr[data-station="${STATION}"]`);
    await row.getByText('Offline').waitFor();

    // The station connects, boots and reports its connector: the row changes without a reload.
    cs = await h.station(STATION, 'ocpp2.0.1');
    station = charger(cs);
    await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'VendorW', model: 'WallBox 22', firmwareVersion: '1.4.2' },
    });
    await cs.call('StatusNotification', {
      timestamp: new Date().toISOString(),
      connectorStatus: 'Available',
      evseId: 1,
      connectorId: 1,
    });
    await row.getByText('Online').waitFor();
    await row.getByText('Available').waitFor();
    await row.getByText('VendorW / WallBox 22').waitFor();
    assert.equal(await page.locator('[data-count="online"]').textContent(), '1');
    await shoot(page, 'fleet');
    await expectNoSeriousViolations(page, 'fleet');

    await row.getByRole('link', { name: STATION }).click();
    await page.getByRole('heading', { name: `Station ${STATION}` }).waitFor();
    await page.getByText('No transaction in progress.').waitFor();

    // Invalid input is refused with the field named, before any request.
    const before = (await h.api('GET', `/v1/stations/${STATION}/commands`)).body.items.length;
    const start = page.locator('form', { has: page.getByRole('heading', { name: 'Remote start' }) });
    await start.getByRole('button', { name: 'Start charging' }).click();
    await start.getByRole('alert').filter({ hasText: 'idToken' }).waitFor();
    assert.equal((await h.api('GET', `/v1/stations/${STATION}/commands`)).body.items.length, before);

    // The generic form validates against the official 2.0.1 schema before sending.
    const any = page.locator('form', { has: page.getByRole('heading', { name: 'Any ocpp2.0.1 message' }) });
    await any.getByLabel('Message').selectOption('Reset');
    // The form fills in a template of the message's required fields (the schemas load on demand).
    await page.waitForFunction(() => document.querySelector('textarea')?.value.includes('"type"'));
    await any.getByLabel(/Payload/).fill('{"type": "Sometimes"}');
    await any.getByRole('button', { name: 'Send Reset' }).click();
    await any.getByRole('alert').filter({ hasText: 'type' }).waitFor();
    assert.equal((await h.api('GET', `/v1/stations/${STATION}/commands`)).body.items.length, before);

    await start.getByLabel('Id token').fill(ID_TOKEN);
    await start.getByRole('button', { name: 'Start charging' }).click();
    await start.locator('[data-command-status="completed"]').waitFor();
    const tx = page.locator('[data-transaction="TX-WEB-1"]');
    await tx.waitFor();
    await page.locator('[data-connector="1/1"]').getByText('Occupied').waitFor();
    const first = await shownEnergyWh(page);
    await page.waitForFunction(
      (wh) => {
        const text = document.querySelector('[data-transaction] [data-energy]')?.textContent ?? '';
        return Math.round(Number(text.replace(/[^\d.]/g, '')) * 1000) > wh;
      },
      first,
      { timeout: 30_000 },
    );
    assert.ok((await shownEnergyWh(page)) > first, 'the energy rose without a reload');
    // Watched since the view opened: the station's TransactionEvents and the CSMS's replies show.
    await page.locator('[data-messages] li', { hasText: 'CALL TransactionEvent' }).first().waitFor();
    await page.locator('[data-messages] li', { hasText: 'out: CALLRESULT' }).first().waitFor();
    await shoot(page, 'station');
    await expectNoSeriousViolations(page, 'station');

    await tx.getByRole('button', { name: 'Stop charging' }).click();
    await page.getByText('No transaction in progress.').waitFor();

    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.getByLabel('Past').check();
    const past = page.locator('tr[data-transaction="TX-WEB-1"]');
    await past.getByText('Remote').waitFor();
    await past.getByText(ID_TOKEN).waitFor();
    assert.match((await past.textContent()) ?? '', /kWh/);
    await shoot(page, 'sessions');
    await expectNoSeriousViolations(page, 'sessions');

    await past.getByRole('link', { name: 'TX-WEB-1' }).click();
    await page.getByRole('heading', { name: 'Session TX-WEB-1' }).waitFor();
    await page.locator('svg.chart path.power').waitFor();
    await page.locator('svg.chart path.energy').waitFor();
    await shoot(page, 'session');
    await expectNoSeriousViolations(page, 'session detail');

    await page.getByRole('link', { name: 'Id tokens' }).click();
    await page.locator('tr', { hasText: ID_TOKEN }).waitFor();
    await shoot(page, 'id-tokens');
    await expectNoSeriousViolations(page, 'id tokens');
    await page.close();
  });

  test('keyboard: sign in with Enter, skip link first, views reached by Tab and Enter, focus on the new heading', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/`);
    // The token field gets the focus: type and press Enter.
    await page.waitForFunction(() => document.activeElement?.id === 'api-token');
    await page.keyboard.type(h.host.apiToken);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.evaluate(() => (document.activeElement as { blur(): void } | null)?.blur());
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Skip to content');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Fleet');
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'Sessions');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
    assert.equal(await focused(), 'Sessions');
    await page.close();
  });

  test('an expired session returns to login and keeps what was typed', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/id-tokens`);
    await signIn(page, h.host.apiToken);
    await page.getByRole('heading', { name: 'Id tokens' }).waitFor();
    await page.getByLabel('Id token', { exact: true }).fill('TYPED-BEFORE-EXPIRY');
    // The token stops being valid (as a revoked key or an expired Cognito token would).
    await page.evaluate(() => sessionStorage.setItem('csms.token', 'csms_revoked-token'));
    await page.getByRole('dialog', { name: 'Sign in again' }).waitFor();
    await signIn(page, h.host.apiToken);
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await page.getByLabel('Id token', { exact: true }).inputValue(), 'TYPED-BEFORE-EXPIRY');
    await page.close();
  });

  test('a viewer cannot press a command button, and the API refuses its writes with 403', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/stations/${STATION}`);
    await signIn(page, VIEWER_TOKEN);
    await page.getByText('(viewer)').waitFor();
    await page.getByRole('heading', { name: `Station ${STATION}` }).waitFor();
    for (const name of ['Start charging', 'Reset station', /^Send /]) {
      await assert.doesNotReject(page.getByRole('button', { name }).first().waitFor());
      assert.equal(await page.getByRole('button', { name }).first().isDisabled(), true, String(name));
    }
    const res = await h.api('POST', `/v1/stations/${STATION}/reset`, { type: 'soft' }, VIEWER_TOKEN);
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    await page.close();
  });

  test('every view at 375 px wide: nothing overflows the page (tables scroll inside their region)', async () => {
    const page = await browser.newPage({ width: 375, height: 740 });
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    const views: [string, string][] = [
      ['#/', 'Fleet'],
      [`#/stations/${STATION}`, `Station ${STATION}`],
      ['#/sessions', 'Sessions'],
      [`#/sessions/${STATION}/TX-WEB-1`, 'Session TX-WEB-1'],
      ['#/id-tokens', 'Id tokens'],
      ['#/webhooks', 'Webhooks'],
      ['#/rollouts', 'Firmware rollouts'],
    ];
    const overflowing: string[] = [];
    for (const [hash, heading] of views) {
      await page.goto(`${h.host.httpUrl}/${hash}`);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      await page.waitForFunction(() => !document.querySelector('[role="status"].state'));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 375) overflowing.push(`${hash}: ${width} px`);
    }
    assert.deepEqual(overflowing, [], 'views wider than the screen');
    await page.close();
  });

  test("times are relative and, on hover, absolute in the browser's own zone", async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    const time = page.locator(`tr[data-station="${STATION}"] time`).first();
    await time.waitFor();
    const iso = (await time.getAttribute('datetime')) ?? '';
    // The browser runs in Europe/Berlin (test/support/browser.ts), this test process in whatever zone.
    const berlin = new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      timeStyle: 'medium',
      timeZone: 'Europe/Berlin',
    }).format(new Date(iso));
    assert.equal(await time.getAttribute('title'), berlin);
    assert.match((await time.textContent()) ?? '', /\b(sec|min|hr|day)s?\.? ago\b|now/);
    await page.close();
  });

  test('at 375 px wide nothing overflows the page, and a station removed mid-view says so', async () => {
    await h.provision('CS-WEB-GONE');
    const page = await browser.newPage({ width: 375, height: 740 });
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    await page.locator('tr[data-station="CS-WEB-GONE"]').waitFor();
    assert.ok(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      'no horizontal scrolling of the page (tables scroll inside their region)',
    );
    await shoot(page, 'fleet-375px');
    await expectNoSeriousViolations(page, 'fleet at 375 px');
    await page.goto(`${h.host.httpUrl}/#/stations/CS-WEB-GONE`);
    await page.getByRole('heading', { name: 'Station CS-WEB-GONE' }).waitFor();
    await page.getByText('Connection').first().waitFor();
    assert.equal((await h.api('DELETE', '/v1/stations/CS-WEB-GONE')).status, 204);
    await page.getByText('This station was removed while you were looking at it.').waitFor();
    await page.close();
  });
});
