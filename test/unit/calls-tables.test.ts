/**
 * The call tables (functions/ocpp/<version>/calls.ts): every CSMS-initiated action of every
 * version has a call module, and the modules' rules — success, re-sending, passwords — read the
 * payloads as the command path hands them over.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CALLS } from '../../functions/ocpp/calls.js';
import { CSMS_ACTIONS } from '../../shared/calls/actions.js';
import { outcomeOf, type AnyCall } from '../../shared/calls/spec.js';
import { PROTOCOLS } from '../../shared/ocpp/versions.js';

const spec = (protocol: (typeof PROTOCOLS)[number], action: string): AnyCall => {
  const found = CALLS[protocol][action];
  assert.ok(found, `${protocol} ${action} has a call module`);
  return found;
};

for (const protocol of PROTOCOLS) {
  test(`${protocol}: the call table lists exactly the CSMS-initiated actions of the schemas`, () => {
    assert.deepEqual(Object.keys(CALLS[protocol]).sort(), [...CSMS_ACTIONS[protocol]].sort());
  });
}

test('a status field decides completed vs rejected', () => {
  assert.equal(outcomeOf(spec('ocpp2.0.1', 'Reset'), { status: 'Accepted' }), 'completed');
  assert.equal(outcomeOf(spec('ocpp2.0.1', 'Reset'), { status: 'Rejected' }), 'rejected');
  assert.equal(outcomeOf(spec('ocpp1.6', 'UnlockConnector'), { status: 'Unlocked' }), 'completed');
  assert.equal(outcomeOf(spec('ocpp1.6', 'GetLocalListVersion'), { listVersion: 3 }), 'completed');
});

test('B05/B06: SetVariables and GetVariables are rejected only when the station refused every item', () => {
  const item = (attributeStatus: string) => ({
    attributeStatus,
    component: { name: 'C' },
    variable: { name: 'V' },
  });
  const set = spec('ocpp2.0.1', 'SetVariables');
  const get = spec('ocpp2.1', 'GetVariables');
  assert.equal(
    outcomeOf(set, { setVariableResult: [item('Rejected'), item('UnknownVariable')] }),
    'rejected',
  );
  assert.equal(
    outcomeOf(set, { setVariableResult: [item('Rejected'), item('RebootRequired')] }),
    'completed',
  );
  assert.equal(outcomeOf(get, { getVariableResult: [item('UnknownComponent')] }), 'rejected');
  assert.equal(outcomeOf(get, { getVariableResult: [item('Accepted')] }), 'completed');
});

test('passwords are recognised whatever the case of the key (1.6 keys are CiString50) and never stored', () => {
  const v16 = spec('ocpp1.6', 'ChangeConfiguration').password;
  assert.ok(v16);
  const payload = { key: 'authorizationkey', value: 'New-Password-0123456789' };
  assert.equal(v16.find(payload), 'New-Password-0123456789');
  assert.deepEqual(v16.redact(payload), { key: 'authorizationkey', value: '***' });
  const v2 = spec('ocpp2.0.1', 'SetVariables').password;
  assert.ok(v2);
  const request = {
    setVariableData: [
      {
        component: { name: 'securityctrlr' },
        variable: { name: 'BASICAUTHPASSWORD' },
        attributeValue: 'New-Password-0123456789',
      },
    ],
  };
  assert.equal(v2.find(request), 'New-Password-0123456789');
  assert.ok(!JSON.stringify(v2.redact(request)).includes('New-Password'));
});

test('only reads and settings are sent again after a reconnect; Reset and remote starts never', () => {
  for (const protocol of PROTOCOLS) {
    assert.equal(spec(protocol, 'Reset').repeatable, false, `${protocol} Reset`);
    assert.equal(spec(protocol, 'SetChargingProfile').repeatable, true, `${protocol} SetChargingProfile`);
    assert.equal(spec(protocol, 'DataTransfer').repeatable, false, `${protocol} DataTransfer`);
  }
  assert.equal(spec('ocpp1.6', 'RemoteStartTransaction').repeatable, false);
  assert.equal(spec('ocpp2.0.1', 'RequestStartTransaction').repeatable, false);
  assert.equal(spec('ocpp2.0.1', 'GetVariables').repeatable, true);
});

test('B02.FR.09: a trigger lets a station that is not Accepted send what it asked for', () => {
  const allows = (protocol: (typeof PROTOCOLS)[number], action: string, request: Record<string, unknown>) =>
    spec(protocol, action).allows?.(request, protocol) ?? [];
  assert.deepEqual(allows('ocpp2.0.1', 'TriggerMessage', { requestedMessage: 'StatusNotification' }), [
    'StatusNotification',
  ]);
  assert.deepEqual(allows('ocpp2.1', 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' }), [
    'SignCertificate',
  ]);
  assert.deepEqual(
    allows('ocpp1.6', 'ExtendedTriggerMessage', { requestedMessage: 'SignChargePointCertificate' }),
    ['SignCertificate'],
  );
  assert.deepEqual(allows('ocpp2.0.1', 'GetBaseReport', { requestId: 1, reportBase: 'FullInventory' }), [
    'NotifyReport',
  ]);
  assert.deepEqual(allows('ocpp2.0.1', 'Reset', { type: 'Immediate' }), []);
});
