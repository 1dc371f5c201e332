/**
 * POST /v1/stations/{id}/password (1.6 security A01, 2.0.1 A01): the station gets the new
 * password in the message of its version; the CSMS switches to it only when the station accepts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../support/harness.js';
import type { FieldError } from '../../functions/api/errors.js';
import { call, peer } from './command-peers.js';

let h: Harness;
before(async () => (h = await startHarness()));
after(() => h.close());

describe('POST /v1/stations/{id}/password', () => {
  test('1.6, accepted: a generated password via ChangeConfiguration AuthorizationKey, then only it works', async () => {
    const station = await peer(h, 'PW-16', 'ocpp1.6');
    const oldPassword = `pw-PW-16-0123456789abcdef`;
    const res = await call(h, 'POST', '/v1/stations/PW-16/password?wait=5');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const password: string = res.body.password;
    // 1.6 security A00.FR.205: random, hexadecimal, at most 40 digits.
    assert.match(password, /^[0-9a-f]{40}$/);
    assert.equal(res.body.command.status, 'completed');
    assert.equal(res.body.command.action, 'ChangeConfiguration');
    assert.deepEqual(res.body.command.request, { key: 'AuthorizationKey', value: '***' });
    assert.deepEqual(station.received.at(-1), {
      method: 'ChangeConfiguration',
      params: { key: 'AuthorizationKey', value: password },
    });

    // The password is shown once: never in the command afterwards.
    const again = await call(h, 'GET', `/v1/commands/${encodeURIComponent(res.body.command.id)}`);
    assert.ok(!JSON.stringify(again.body).includes(password));

    // A01.FR.03: the station reconnects with the new password; the old one is refused.
    await station.client.close();
    const reconnected = await h.station('PW-16', 'ocpp1.6', { password });
    await reconnected.close();
    await assert.rejects(h.station('PW-16', 'ocpp1.6', { password: oldPassword }));
  });

  test('2.0.1, rejected: SetVariables BasicAuthPassword with the given password; the old one still works', async () => {
    const station = await peer(h, 'PW-201', 'ocpp2.0.1', (method, params) =>
      method === 'SetVariables'
        ? {
            setVariableResult: params.setVariableData.map((d: any) => ({
              attributeStatus: 'Rejected',
              component: d.component,
              variable: d.variable,
            })),
          }
        : undefined,
    );
    const chosen = 'New-Password-0123456789';
    const res = await call(h, 'POST', '/v1/stations/PW-201/password?wait=5', { password: chosen });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.password, null);
    // SetVariablesResponse has no status of its own: the refusal is the variable's attributeStatus.
    assert.equal(res.body.command.response.setVariableResult[0].attributeStatus, 'Rejected');
    assert.deepEqual(station.received.at(-1), {
      method: 'SetVariables',
      params: {
        setVariableData: [
          {
            component: { name: 'SecurityCtrlr' },
            variable: { name: 'BasicAuthPassword' },
            attributeValue: chosen,
          },
        ],
      },
    });
    await station.client.close();
    // A01.FR.04: the station keeps its old credentials, and the CSMS keeps accepting them.
    const old = await h.station('PW-201', 'ocpp2.0.1');
    await old.close();
    await assert.rejects(h.station('PW-201', 'ocpp2.0.1', { password: chosen }));
  });

  test('409 station_offline when the station is not connected: a password is never queued', async () => {
    await h.provision('PW-OFF', { protocol: 'ocpp1.6' });
    const res = await call(h, 'POST', '/v1/stations/PW-OFF/password', {});
    assert.equal(res.status, 409);
    assert.equal(res.body.error.code, 'station_offline');
    assert.equal((await call(h, 'POST', '/v1/stations/PW-NONE/password')).status, 404);
  });

  test('400 for a password outside passwordString, without echoing it', async () => {
    await peer(h, 'PW-BAD', 'ocpp1.6');
    const res = await call(h, 'POST', '/v1/stations/PW-BAD/password', { password: 'short pw' });
    assert.equal(res.status, 400);
    assert.deepEqual(new Set(res.body.error.fields.map((f: FieldError) => f.path)), new Set(['password']));
    assert.ok(!JSON.stringify(res.body).includes('short pw'));
  });
});
