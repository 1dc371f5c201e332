// Issue 14: each OCPP version's validators load on the first use of that version, so that a
// function serving 1.6 stations never loads (or, bundled, never reads) the 2.0.1 and 2.1 ones.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  isKnownAction,
  loadValidators,
  validatePayload,
  validatorsLoaded,
} from '../../shared/ocpp/validation.js';

describe('validators per OCPP version, loaded on first use', () => {
  test('nothing is loaded at import; loading 1.6 loads 1.6 only; an unloaded version is refused', async () => {
    assert.deepEqual((['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const).map(validatorsLoaded), [
      false,
      false,
      false,
    ]);
    await Promise.all([loadValidators('ocpp1.6'), loadValidators('ocpp1.6')]);
    assert.deepEqual((['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const).map(validatorsLoaded), [
      true,
      false,
      false,
    ]);
    assert.equal(validatePayload('ocpp1.6', 'Heartbeat', 'Request', {}), undefined);
    assert.equal(
      validatePayload('ocpp1.6', 'Heartbeat', 'Request', { extra: 1 })?.code,
      'PropertyConstraintViolation',
    );
    assert.throws(() => isKnownAction('ocpp2.0.1', 'Heartbeat'), /ocpp2\.0\.1 validators not loaded/);
    await loadValidators('ocpp2.0.1');
    assert.equal(isKnownAction('ocpp2.0.1', 'Heartbeat'), true);
    assert.equal(validatorsLoaded('ocpp2.1'), false);
  });
});
