/**
 * The dashboard's firmware rollouts view in a real browser (headless Chromium, the built app
 * served by the local host, rollouts run by the local Step Functions endpoint): an admin starts a
 * rollout over five simulated OCPP 2.0.1 stations from the form (checked in the browser first:
 * nothing is sent until it passes), watches the canary wave's progress bar move as the stations
 * report their firmware status (L01: FirmwareStatusNotification Downloading … Installed /
 * InstallationFailed), pauses it (no new wave starts), resumes it, sees the next wave's health gate,
 * and aborts it after a confirmation (the stations not done are skipped). A viewer sees every
 * button disabled. axe-core finds no serious violation; the view is saved as
 * docs/screenshots/rollouts.png (shown in the README).
 *
 * The stations report only when the test tells them to, so every state the view shows is one the
 * test created. No timing assertions: every wait is for a condition, with the browser's hang guard.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/commands.js';
import { launchBrowser, seriousViolations, type Browser } from '../support/browser.js';
import { startHarness, type Harness, type RpcClient } from '../support/harness.js';

// What page.evaluate callbacks see in the browser (this project's tsconfig has no DOM library).
declare const sessionStorage: any;

const VIEWER_TOKEN = 'csms_viewer-token-for-rollout-browser-tests';
const SHOTS = 'docs/screenshots';
const IMAGE = 'https://firmware.example.com/acme-w1-2.0.0.bin';
const OLD = '1.0.0';
const NEW = '2.0.0';
const IDS = ['ROLL-1', 'ROLL-2', 'ROLL-3', 'ROLL-4', 'ROLL-5'];

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('firmware rollouts view in a browser', () => {
  let h: Harness;
  let browser: Browser;
  const clients = new Map<string, RpcClient>();
  /** The requestId of the UpdateFirmware each station got (L01.FR.01 ties its status reports to it). */
  const updates = new Map<string, number>();

  /** A 2.0.1 station that accepts UpdateFirmware and reports progress only when told to. */
  async function station(id: string): Promise<void> {
    await h.provision(id);
    const cs = await h.station(id, 'ocpp2.0.1');
    cs.handle('UpdateFirmware', ({ params }) => {
      updates.set(id, params.requestId as number);
      return { status: 'Accepted' };
    });
    await cs.call('BootNotification', {
      reason: 'PowerUp',
      chargingStation: { vendorName: 'Acme', model: 'W1', firmwareVersion: OLD },
    });
    clients.set(id, cs);
  }

  /** The station reports its download and installation: L01.FR.01 statuses with the requestId. */
  async function install(id: string, outcome: 'Installed' | 'InstallationFailed'): Promise<void> {
    const cs = clients.get(id)!;
    const requestId = await waitFor(`UpdateFirmware at ${id}`, () => updates.get(id));
    for (const status of ['Downloading', 'Downloaded', 'Installing', outcome])
      await cs.call('FirmwareStatusNotification', { status, requestId });
  }

  before(async () => {
    h = await startHarness({ viewerApiToken: VIEWER_TOKEN, sweepIntervalMs: 200 });
    for (const id of IDS) await station(id);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('start from the form (checked first), watch the canary wave, pause, resume, the health gate, abort', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('heading', { name: 'Firmware rollouts', level: 1 }).waitFor();
    await page.getByText('No firmware rollout yet').waitFor();

    // Checked in the browser before anything is sent: each problem names its field.
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Start a rollout' }) });
    const problems = form.getByRole('alert');
    await form.getByRole('button', { name: 'Start rollout' }).click();
    await problems.filter({ hasText: 'firmware.location' }).waitFor();
    assert.match((await problems.textContent()) ?? '', /firmware\.version.*target/s);
    await form.getByLabel('Image URL').fill('firmware.bin');
    await form.getByLabel('Version it installs').fill(NEW);
    await form.getByLabel(/Station ids/).fill(IDS.join(' '));
    await form.getByLabel('Canary stations (first wave)').fill('one');
    await form.getByRole('button', { name: 'Start rollout' }).click();
    await problems.filter({ hasText: 'must be an absolute http(s), ftp(s) or sftp URL' }).waitFor();
    await problems.filter({ hasText: 'policy.canary' }).waitFor();
    assert.doesNotMatch((await problems.textContent()) ?? '', /firmware\.version/);
    await form.getByLabel('Image URL').fill(IMAGE);
    await form.getByLabel('Canary stations (first wave)').fill('1');
    await form.getByLabel('Most failed stations per wave (%)').fill('150');
    await form.getByRole('button', { name: 'Start rollout' }).click();
    await problems.filter({ hasText: 'policy.maxFailurePercent' }).waitFor();
    assert.deepEqual((await h.api('GET', '/v1/firmware/rollouts')).body.items, [], 'nothing was sent');

    // Waves of 1 (canary), 2 and 2; a wave with more than half failed trips the gate.
    await form.getByLabel('Stations per later wave').fill('2');
    await form.getByLabel('Most failed stations per wave (%)').fill('50');
    await form.getByLabel('Station time limit (s)').fill('600');
    await form.getByLabel('Check each wave every (s)').fill('1');
    await form.getByRole('button', { name: 'Start rollout' }).click();
    const detail = page.locator('[data-rollout]');
    await detail.waitFor();
    const [started] = (await h.api('GET', '/v1/firmware/rollouts')).body.items as any[];
    assert.equal(await detail.getAttribute('data-rollout'), started.id);
    assert.equal(started.firmware.location, IMAGE);
    assert.deepEqual(
      [started.policy.canary, started.policy.batchSize, started.policy.maxFailurePercent],
      [1, 2, 50],
    );
    assert.equal(await form.getByLabel('Image URL').inputValue(), '', 'the form is cleared');
    await page.locator(`tr[data-rollout-row="${started.id}"]`).getByText('Running').waitFor();

    // The canary station got UpdateFirmware: its wave shows it in progress, the other waves wait.
    const wave = (i: number) => detail.locator(`[data-wave="${i}"]`);
    const count = (i: number, key: string) => wave(i).locator(`[data-wave-count="${key}"]`);
    await waitFor('UpdateFirmware at the canary', () => updates.get('ROLL-1'));
    await count(0, 'inProgress').filter({ hasText: '1 in progress' }).waitFor();
    await wave(1).getByText('Health gate: Not started').waitFor();
    assert.equal(updates.has('ROLL-2'), false, 'no command to a station of a wave not started');

    // Pause: the canary wave may finish, no new wave starts.
    await detail.getByRole('button', { name: 'Pause' }).click();
    await detail.getByRole('status').filter({ hasText: 'Pause requested' }).waitFor();
    await detail.getByText('Paused').first().waitFor();
    assert.equal(await detail.getByRole('button', { name: 'Pause' }).isDisabled(), true);
    assert.equal((await h.api('GET', `/v1/firmware/rollouts/${started.id}`)).body.state, 'paused');
    await install('ROLL-1', 'Installed');

    await detail.getByRole('button', { name: 'Resume' }).click();
    await detail.getByRole('status').filter({ hasText: 'Resumed' }).waitFor();
    await count(0, 'succeeded').filter({ hasText: '1 succeeded' }).waitFor();
    await wave(0).getByText('Health gate: Passed: 0 % failed (limit 50 %)').waitFor();
    assert.equal(
      await wave(0).getByRole('progressbar').getAttribute('aria-valuetext'),
      '1 of 1 stations finished',
    );

    // Wave 1: one installs, one fails: 50 % is not over the limit of 50 %.
    await install('ROLL-2', 'Installed');
    await count(1, 'succeeded').filter({ hasText: '1 succeeded' }).waitFor();
    await install('ROLL-3', 'InstallationFailed');
    await wave(1).getByText('Health gate: Passed: 50 % failed (limit 50 %)').waitFor();
    await count(1, 'failed').filter({ hasText: '1 failed' }).waitFor();
    await detail
      .locator('[data-rollout-station="ROLL-3"] [data-firmware-status]')
      .filter({ hasText: 'InstallationFailed' })
      .waitFor();

    // Wave 2 under way: ROLL-4 installs, ROLL-5 is still at it.
    await waitFor('UpdateFirmware at ROLL-5', () => updates.get('ROLL-5'));
    await install('ROLL-4', 'Installed');
    await count(2, 'succeeded').filter({ hasText: '1 succeeded' }).waitFor();
    await count(2, 'inProgress').filter({ hasText: '1 in progress' }).waitFor();
    await wave(2)
      .getByText(/Health gate: Watching: 0 % failed so far/)
      .waitFor();

    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`),
      [],
      'axe-core on the rollouts view',
    );
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'rollouts.png'), fullPage: true });

    // Abort asks first; Cancel keeps it running.
    await detail.getByRole('button', { name: 'Abort' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await h.api('GET', `/v1/firmware/rollouts/${started.id}`)).body.state, 'running');
    await detail.getByRole('button', { name: 'Abort' }).click();
    await detail.getByRole('button', { name: 'Yes, abort' }).click();
    await detail.getByRole('status').filter({ hasText: 'Aborted' }).waitFor();
    await detail.locator('[data-rollout-station="ROLL-5"]').getByText('skipped').waitFor();
    for (const name of ['Pause', 'Resume', 'Abort'])
      assert.equal(await detail.getByRole('button', { name }).isDisabled(), true, name);
    const aborted = (await h.api('GET', `/v1/firmware/rollouts/${started.id}`)).body;
    assert.equal(aborted.state, 'aborted');
    assert.deepEqual([aborted.counts.succeeded, aborted.counts.failed, aborted.counts.skipped], [3, 1, 1]);
    await detail.getByText('3 succeeded, 1 failed, 1 skipped of 5').waitFor();
    await page.close();
  });

  test('a viewer sees a rollout with pause, resume, abort and start disabled', async () => {
    const [rollout] = (await h.api('GET', '/v1/firmware/rollouts')).body.items as any[];
    assert.ok(rollout, 'the first test started one');
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/rollouts/${rollout.id}`);
    await signIn(page, VIEWER_TOKEN);
    await page.getByText('(viewer)').waitFor();
    const detail = page.locator('[data-rollout]');
    await detail.locator('[data-wave="0"]').waitFor();
    for (const name of ['Pause', 'Resume', 'Abort'])
      assert.equal(await detail.getByRole('button', { name }).isDisabled(), true, name);
    assert.equal(await page.getByRole('button', { name: 'Start rollout' }).isDisabled(), true);
    const res = await h.api('POST', `/v1/firmware/rollouts/${rollout.id}/pause`, undefined, VIEWER_TOKEN);
    assert.equal(res.status, 403);
    await page.close();
  });

  test('a rollout that does not exist says so; an expired session keeps the form; the API error of a start is shown', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/rollouts/no-such-rollout`);
    await signIn(page, h.host.apiToken);
    await page.getByRole('alert').filter({ hasText: 'Rollout no-such-rollout does not exist.' }).waitFor();
    // Every station is on 2.0.0 or was skipped: a filter no station matches is the API's 400.
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Start a rollout' }) });
    await form.getByLabel('Image URL').fill(IMAGE);
    await form.getByLabel('Version it installs').fill(NEW);
    await form.getByLabel('Vendor').fill('Nobody');
    // The session expires while the operator types: the login covers the view, the form keeps it all.
    await page.evaluate(() => sessionStorage.setItem('csms.token', 'csms_revoked-token'));
    await page.getByRole('dialog', { name: 'Sign in again' }).waitFor();
    await signIn(page, h.host.apiToken);
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.equal(await form.getByLabel('Image URL').inputValue(), IMAGE);
    assert.equal(await form.getByLabel('Vendor').inputValue(), 'Nobody');
    await form.getByRole('button', { name: 'Start rollout' }).click();
    await form.getByRole('alert').waitFor();
    const shown = (await form.getByRole('alert').textContent()) ?? '';
    const res = await h.api('POST', '/v1/firmware/rollouts', {
      firmware: { location: IMAGE, version: NEW },
      target: { filter: { vendor: 'Nobody' } },
      policy: { canary: 1, batchSize: 10, maxFailurePercent: 10 },
    });
    assert.equal(res.status, 400);
    assert.ok(
      shown.includes(res.body.error.fields?.[0]?.message ?? res.body.error.message),
      `the API's message is shown: ${shown}`,
    );
    await page.close();
  });
});
