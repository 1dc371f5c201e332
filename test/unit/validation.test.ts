import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isKnownAction, validatePayload, loadValidators } from '../../shared/ocpp/validation.js';
import { negotiateSubprotocol } from '../../shared/ocpp/versions.js';

// The validators load per version on first use (issue 14); these tests call them directly.
for (const p of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) await loadValidators(p);

describe('validatePayload against the official schemas', () => {
  test('valid payloads pass in every version', () => {
    assert.equal(
      validatePayload('ocpp1.6', 'BootNotification', 'Request', {
        chargePointVendor: 'V',
        chargePointModel: 'M',
      }),
      undefined,
    );
    assert.equal(
      validatePayload('ocpp2.0.1', 'BootNotification', 'Request', {
        reason: 'PowerUp',
        chargingStation: { vendorName: 'V', model: 'M' },
      }),
      undefined,
    );
    assert.equal(
      validatePayload('ocpp2.1', 'Heartbeat', 'Response', { currentTime: '2026-01-01T00:00:00Z' }),
      undefined,
    );
  });

  test('missing required field → OccurrenceConstraintViolation', () => {
    assert.equal(
      validatePayload('ocpp1.6', 'BootNotification', 'Request', { chargePointVendor: 'V' })?.code,
      'OccurrenceConstraintViolation',
    );
  });

  test('wrong type → TypeConstraintViolation', () => {
    assert.equal(
      validatePayload('ocpp1.6', 'StartTransaction', 'Request', {
        connectorId: 'one',
        idTag: 'A',
        meterStart: 0,
        timestamp: '2026-01-01T00:00:00Z',
      })?.code,
      'TypeConstraintViolation',
    );
  });

  test('enum, length, format and unknown properties → PropertyConstraintViolation', () => {
    assert.equal(
      validatePayload('ocpp2.0.1', 'BootNotification', 'Request', {
        reason: 'Bored',
        chargingStation: { vendorName: 'V', model: 'M' },
      })?.code,
      'PropertyConstraintViolation',
    );
    assert.equal(
      validatePayload('ocpp1.6', 'Authorize', 'Request', { idTag: 'x'.repeat(21) })?.code,
      'PropertyConstraintViolation',
    );
    assert.equal(
      validatePayload('ocpp2.0.1', 'Heartbeat', 'Response', { currentTime: 'yesterday' })?.code,
      'PropertyConstraintViolation',
    );
    assert.equal(
      validatePayload('ocpp1.6', 'Heartbeat', 'Request', { extra: 1 })?.code,
      'PropertyConstraintViolation',
    );
  });

  test('no type coercion: "5" is not an integer', () => {
    assert.equal(
      validatePayload('ocpp1.6', 'StatusNotification', 'Request', {
        connectorId: '5',
        errorCode: 'NoError',
        status: 'Available',
      })?.code,
      'TypeConstraintViolation',
    );
  });

  test('actions known per version', () => {
    assert.equal(isKnownAction('ocpp1.6', 'StartTransaction'), true);
    assert.equal(isKnownAction('ocpp2.0.1', 'StartTransaction'), false);
    assert.equal(isKnownAction('ocpp2.1', 'BatterySwap'), true);
    assert.equal(isKnownAction('ocpp2.0.1', 'BatterySwap'), false);
  });
});

describe('negotiateSubprotocol (part 4 §3.2: first of the station list that the CSMS supports)', () => {
  test("honours the station's order of preference", () => {
    assert.equal(negotiateSubprotocol('ocpp2.0.1, ocpp1.6'), 'ocpp2.0.1');
    assert.equal(negotiateSubprotocol('ocpp1.6,ocpp2.0.1'), 'ocpp1.6');
    assert.equal(negotiateSubprotocol('ocpp1.5, ocpp2.1'), 'ocpp2.1');
  });

  test('a pinned station only gets its version', () => {
    assert.equal(negotiateSubprotocol('ocpp2.0.1, ocpp1.6', ['ocpp1.6']), 'ocpp1.6');
    assert.equal(negotiateSubprotocol('ocpp2.0.1', ['ocpp1.6']), undefined);
  });

  test('nothing acceptable → undefined', () => {
    assert.equal(negotiateSubprotocol('ocpp1.5'), undefined);
    assert.equal(negotiateSubprotocol(undefined), undefined);
    assert.equal(negotiateSubprotocol(''), undefined);
  });
});
