import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeOf, passwordIn, redactPayload } from '../../shared/calls/actions.js';

test('a status field decides completed vs rejected', () => {
  assert.equal(outcomeOf('Reset', { status: 'Accepted' }), 'completed');
  assert.equal(outcomeOf('Reset', { status: 'Rejected' }), 'rejected');
  assert.equal(outcomeOf('UnlockConnector', { status: 'Unlocked' }), 'completed');
  assert.equal(outcomeOf('GetLocalListVersion', { listVersion: 3 }), 'completed');
});

test('B05/B06: SetVariables and GetVariables are rejected only when the station refused every item', () => {
  const item = (attributeStatus: string) => ({
    attributeStatus,
    component: { name: 'C' },
    variable: { name: 'V' },
  });
  assert.equal(
    outcomeOf('SetVariables', { setVariableResult: [item('Rejected'), item('UnknownVariable')] }),
    'rejected',
  );
  assert.equal(
    outcomeOf('SetVariables', { setVariableResult: [item('Rejected'), item('RebootRequired')] }),
    'completed',
  );
  assert.equal(outcomeOf('GetVariables', { getVariableResult: [item('UnknownComponent')] }), 'rejected');
  assert.equal(outcomeOf('GetVariables', { getVariableResult: [item('Accepted')] }), 'completed');
});

test('passwords are recognised whatever the case of the key (1.6 keys are CiString50) and never stored', () => {
  const payload = { key: 'authorizationkey', value: 'New-Password-0123456789' };
  assert.equal(passwordIn('ChangeConfiguration', payload), 'New-Password-0123456789');
  assert.deepEqual(redactPayload('ChangeConfiguration', payload), { key: 'authorizationkey', value: '***' });
  const v2 = {
    setVariableData: [
      {
        component: { name: 'securityctrlr' },
        variable: { name: 'BASICAUTHPASSWORD' },
        attributeValue: 'New-Password-0123456789',
      },
    ],
  };
  assert.equal(passwordIn('SetVariables', v2), 'New-Password-0123456789');
  assert.ok(!JSON.stringify(redactPayload('SetVariables', v2)).includes('New-Password'));
});
