/**
 * The dashboard's Webhooks view in a real browser (headless Chromium, the built app served by the
 * local host): an admin creates a subscription through the form (checked in the browser first, the
 * API's refusals shown with their message) pointing at a receiver on 127.0.0.1 that answers 500,
 * sends a test event, sees the failed delivery appear after the retries, switches the receiver to
 * 200 and presses redrive, and the receiver gets the event; disables, enables and deletes (after a
 * confirmation). A viewer sees every button disabled. axe-core finds no serious violation, and
 * the view is saved as docs/screenshots/webhooks.png (shown in the README).
 *
 * The local host's webhook retry delays are short (as in test/e2e/webhooks.test.ts). No timing
 * assertions: every wait is for a condition, with the browser's hang guard.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchBrowser, seriousViolations, type Browser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

// What page.evaluate callbacks see in the browser (this project's tsconfig has no DOM library).
declare const document: any;

const VIEWER_TOKEN = 'csms_viewer-token-for-webhook-browser-tests';
const SECRET = 'partner-secret-value-1';
const SHOTS = 'docs/screenshots';

async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function until<T>(what: string, check: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('webhooks view in a browser', () => {
  let h: Harness;
  let browser: Browser;
  let receiver: Receiver;

  before(async () => {
    h = await startHarness({
      viewerApiToken: VIEWER_TOKEN,
      webhooks: { retryBaseMs: 10, retryMaxDelayMs: 50, timeoutMs: 2000 },
    });
    receiver = await startReceiver(() => 500);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await receiver?.close();
    await h?.close();
  });

  test('create (checked first), a failed delivery after the retries, redrive delivers, disable, delete', async () => {
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/`);
    await signIn(page, h.host.apiToken);
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No webhook subscription yet').waitFor();

    const form = page.locator('form', { has: page.getByRole('heading', { name: 'New subscription' }) });
    // The event types are the API's own enum, from its OpenAPI document.
    await form.getByLabel('station.connected.v1').waitFor();
    assert.ok(await form.getByLabel('transaction.ended.v1').isVisible());

    // Checked in the browser before anything is sent: each problem names its field.
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await form.getByRole('alert').filter({ hasText: 'url' }).waitFor();
    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await form.getByLabel('Authentication').selectOption('apiKey');
    await form.getByLabel('Header name').fill('x-partner-key');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await form.getByRole('alert').filter({ hasText: 'auth.value' }).waitFor();
    await form.getByLabel('Maximum retry attempts').fill('many');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await form.getByRole('alert').filter({ hasText: 'retry.maximumRetryAttempts' }).waitFor();
    assert.deepEqual((await h.api('GET', '/v1/webhooks')).body.items, [], 'nothing was sent');

    // The API's refusal is shown with its message: http only on loopback.
    await form.getByLabel('Endpoint URL').fill('http://partner.example.com/hooks');
    await form.getByLabel('Header value').fill(SECRET);
    await form.getByLabel('Maximum retry attempts').fill('2');
    await form.getByRole('button', { name: 'Create subscription' }).click();
    await form.getByRole('alert').filter({ hasText: 'Must be https' }).waitFor();
    assert.deepEqual((await h.api('GET', '/v1/webhooks')).body.items, [], 'the API refused it');

    await form.getByLabel('Endpoint URL').fill(receiver.url);
    await form.getByLabel('station.connected.v1').check();
    await form.getByRole('button', { name: 'Create subscription' }).click();
    const detail = page.locator('[data-webhook]');
    await detail.waitFor();
    const [created] = (await h.api('GET', '/v1/webhooks')).body.items as any[];
    assert.equal(created.url, receiver.url);
    assert.deepEqual(created.eventTypes, ['station.connected.v1']);
    assert.deepEqual(created.auth, { type: 'apiKey', header: 'x-partner-key' });
    assert.equal(created.retry.maximumRetryAttempts, 2);
    const row = page.locator('tbody tr', { hasText: receiver.url });
    await row.getByText('station.connected.v1').waitFor();
    await row.getByText('Enabled').waitFor();
    assert.ok(!(await page.content()).includes(SECRET), 'the secret is never shown');
    assert.equal(await form.getByLabel('Endpoint URL').inputValue(), '', 'the form is cleared');

    // An event the endpoint refuses: the first attempt and 2 retries, then the dead-letter store.
    await detail.getByRole('button', { name: 'Send test event' }).click();
    await detail.getByRole('status').filter({ hasText: 'Test event sent' }).waitFor();
    const failure = detail.locator('[data-delivery]');
    await failure.waitFor();
    assert.equal(receiver.requests.length, 3, 'the first attempt and 2 retries');
    assert.equal(receiver.requests[0]?.headers['x-partner-key'], SECRET, 'sent with its credentials');
    const eventId = receiver.requests[0]?.body.id as string;
    assert.equal(await failure.getAttribute('data-delivery'), eventId);
    assert.equal(await failure.locator('[data-status-code]').textContent(), '500');
    await failure.getByRole('cell', { name: '2', exact: true }).waitFor();
    await failure.getByText('webhook.test.v1').waitFor();
    assert.match((await failure.locator('time').textContent()) ?? '', /sec|now|min/);

    const violations = await seriousViolations(page);
    assert.deepEqual(
      violations.map((v) => `${v.id}: ${v.help} (${JSON.stringify(v.nodes.map((n) => n.target))})`),
      [],
      'axe-core on the webhooks view',
    );
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'webhooks.png'), fullPage: true });

    // The endpoint is fixed: redrive sends the dead-lettered event again and it arrives.
    receiver.respond = () => 200;
    await detail.getByRole('button', { name: 'Redrive failed deliveries' }).click();
    await detail.getByRole('status').filter({ hasText: 'Redrive started: 1 event' }).waitFor();
    await until('the redriven event', () =>
      receiver.delivered().some((e) => e.id === eventId) ? true : undefined,
    );
    await detail.getByText('No failed delivery waiting').waitFor();

    // Disable and enable (PATCH), keyboard only.
    await detail.getByRole('button', { name: 'Disable' }).focus();
    await page.keyboard.press('Enter');
    await row.getByText('Disabled').waitFor();
    assert.equal((await h.api('GET', `/v1/webhooks/${created.id}`)).body.state, 'disabled');
    await detail.getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Enabled').waitFor();
    assert.equal((await h.api('GET', `/v1/webhooks/${created.id}`)).body.state, 'enabled');

    // Delete asks first; Cancel keeps it.
    await detail.getByRole('button', { name: 'Delete' }).click();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel');
    await page.keyboard.press('Enter');
    await detail.getByRole('button', { name: 'Delete' }).waitFor();
    assert.equal((await h.api('GET', `/v1/webhooks/${created.id}`)).status, 200);
    await detail.getByRole('button', { name: 'Delete' }).click();
    await detail.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No webhook subscription yet').waitFor();
    assert.equal((await h.api('GET', `/v1/webhooks/${created.id}`)).status, 404);
    await page.close();
  });

  test('a viewer sees the subscriptions and every button disabled', async () => {
    const res = await h.api('POST', '/v1/webhooks', {
      url: receiver.url,
      auth: { type: 'basic', username: 'partner', password: SECRET },
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const page = await browser.newPage();
    await page.goto(`${h.host.httpUrl}/#/webhooks/${res.body.id}`);
    await signIn(page, VIEWER_TOKEN);
    await page.getByText('(viewer)').waitFor();
    const detail = page.locator('[data-webhook]');
    await detail.waitFor();
    await page.locator('tbody tr', { hasText: receiver.url }).getByText('every event type').waitFor();
    for (const name of ['Send test event', 'Disable', 'Redrive failed deliveries', 'Delete']) {
      assert.equal(await detail.getByRole('button', { name }).isDisabled(), true, name);
    }
    assert.equal(await page.getByRole('button', { name: 'Create subscription' }).isDisabled(), true);
    assert.ok(!(await page.content()).includes(SECRET), 'the secret is never shown');
    await page.close();
  });
});
