/**
 * The dashboard's AWS login in a real browser: with a config.json naming a Cognito hosted login,
 * "Sign in" goes to /oauth2/authorize with a PKCE S256 challenge and a state, the redirect back
 * trades the code and the verifier at /oauth2/token, the access token goes to sessionStorage (the
 * code leaves the address bar at once) and every API call carries it. Cognito itself is played
 * by the test through request interception: nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, type Browser } from '../support/browser.js';
import { startHarness, type Harness } from '../support/harness.js';

declare const sessionStorage: any;

const COGNITO = 'https://csms-test.auth.eu-west-1.amazoncognito.com';
const CLIENT_ID = 'dashboardclient123';
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';

describe('dashboard: Cognito hosted login with PKCE', () => {
  let h: Harness;
  let browser: Browser;
  before(async () => {
    h = await startHarness();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await h?.close();
  });

  test('authorization code + PKCE: challenge S256, state checked, verifier sent, token used as bearer', async () => {
    const page = await browser.newPage();
    let authorize: URL | undefined;
    let tokenRequest: URLSearchParams | undefined;
    const bearers: string[] = [];
    await page.route(`${h.host.httpUrl}/config.json`, (route) =>
      route.fulfill({ json: { auth: 'cognito', cognitoDomain: COGNITO, clientId: CLIENT_ID } }),
    );
    await page.route(`${COGNITO}/oauth2/authorize**`, (route) => {
      authorize = new URL(route.request().url());
      const back = new URL(authorize.searchParams.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({
        code: 'the-code',
        state: authorize.searchParams.get('state') ?? '',
      }).toString();
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    });
    await page.route(`${COGNITO}/oauth2/token`, (route) => {
      tokenRequest = new URLSearchParams(route.request().postData() ?? '');
      return route.fulfill({
        json: { access_token: ACCESS_TOKEN, id_token: 'x.y.z', token_type: 'Bearer', expires_in: 3600 },
        headers: { 'access-control-allow-origin': '*' },
      });
    });
    // The pool's tokens are verified by the api function on AWS; here the answer is played.
    await page.route(`${h.host.httpUrl}/v1/**`, (route) => {
      bearers.push(route.request().headers().authorization ?? '');
      const path = new URL(route.request().url()).pathname;
      if (path === '/v1/me')
        return route.fulfill({ json: { name: 'alice', role: 'viewer', via: 'cognito' } });
      return route.fulfill({ json: { items: [], nextCursor: null } });
    });

    await page.goto(`${h.host.httpUrl}/`);
    await page.getByRole('button', { name: 'Sign in with your CSMS account' }).click();
    await page.getByRole('heading', { name: 'Fleet' }).waitFor();
    await page.getByText('alice (viewer)').waitFor();

    assert.ok(authorize, 'went to the hosted login');
    assert.equal(authorize.searchParams.get('response_type'), 'code');
    assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('redirect_uri'), `${h.host.httpUrl}/`);
    assert.ok(tokenRequest, 'traded the code');
    assert.equal(tokenRequest.get('grant_type'), 'authorization_code');
    assert.equal(tokenRequest.get('code'), 'the-code');
    assert.equal(tokenRequest.get('client_id'), CLIENT_ID);
    const verifier = tokenRequest.get('code_verifier') ?? '';
    assert.ok(verifier.length >= 43, 'RFC 7636: at least 43 characters');
    assert.equal(
      createHash('sha256').update(verifier).digest('base64url'),
      authorize.searchParams.get('code_challenge'),
      'the verifier matches the challenge sent before',
    );
    assert.ok(!page.url().includes('code='), 'the code left the address bar');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('csms.token')), ACCESS_TOKEN);
    assert.ok(bearers.length > 0 && bearers.every((b) => b === `Bearer ${ACCESS_TOKEN}`));
    await page.close();
  });

  test('a redirect whose state is not the one sent is refused: no token is asked for or kept', async () => {
    const page = await browser.newPage();
    let tokenAsked = false;
    await page.route(`${h.host.httpUrl}/config.json`, (route) =>
      route.fulfill({ json: { auth: 'cognito', cognitoDomain: COGNITO, clientId: CLIENT_ID } }),
    );
    await page.route(`${COGNITO}/oauth2/token`, (route) => {
      tokenAsked = true;
      return route.fulfill({ json: { access_token: ACCESS_TOKEN } });
    });
    await page.goto(`${h.host.httpUrl}/?code=forged&state=forged`);
    await page.getByRole('alert').filter({ hasText: 'state mismatch' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with your CSMS account' }).waitFor();
    assert.equal(tokenAsked, false);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('csms.token')), null);
    await page.close();
  });
});
