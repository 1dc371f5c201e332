/**
 * The command fixtures (test/fixtures/commands.ts) cover every CSMS-initiated action of every
 * version, and every payload in them is valid against the official schemas, in its direction.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CSMS_ACTIONS } from '../../shared/calls/actions.js';
import { validatePayload, loadValidators } from '../../shared/ocpp/validation.js';
import { PROTOCOLS, STATION_INITIATED } from '../../shared/ocpp/versions.js';
import { COMMAND_FIXTURES, csmsInitiatedActions } from '../fixtures/commands.js';

// The validators load per version on first use (issue 14); these tests call them directly.
for (const p of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) await loadValidators(p);

const valid = (
  protocol: (typeof PROTOCOLS)[number],
  action: string,
  direction: 'Request' | 'Response',
  payload: unknown,
): void => {
  const error = validatePayload(protocol, action, direction, payload);
  assert.equal(
    error,
    undefined,
    `${protocol} ${action}${direction}: ${error?.code} ${error?.message} in ${JSON.stringify(payload)}`,
  );
};

describe('command fixtures', () => {
  test('the CSMS-initiated actions: 1.6 with the security extension, 2.0.1, 2.1; DataTransfer in each', () => {
    const v16 = csmsInitiatedActions('ocpp1.6');
    const v201 = csmsInitiatedActions('ocpp2.0.1');
    const v21 = csmsInitiatedActions('ocpp2.1');
    assert.equal(v16.length, 26);
    assert.equal(v201.length, 40); // 2.0.1 part 2: 39 CSMS-initiated messages + DataTransfer
    assert.equal(v21.length, 55);
    for (const action of [
      'CertificateSigned',
      'InstallCertificate',
      'DeleteCertificate',
      'GetInstalledCertificateIds',
      'ExtendedTriggerMessage',
      'GetLog',
      'SignedUpdateFirmware',
      'DataTransfer',
    ]) {
      assert.ok(v16.includes(action), `1.6 ${action}`);
    }
    for (const actions of [v201, v21]) assert.ok(actions.includes('DataTransfer'));
    assert.deepEqual(
      v201.filter((a) => !v21.includes(a)),
      [],
      'every 2.0.1 CSMS-initiated action is one in 2.1',
    );
    for (const protocol of PROTOCOLS) {
      const own = csmsInitiatedActions(protocol).filter((a) => STATION_INITIATED[protocol].includes(a));
      assert.deepEqual(own, ['DataTransfer'], protocol);
    }
  });

  for (const protocol of PROTOCOLS) {
    describe(protocol, () => {
      const fixtures = COMMAND_FIXTURES[protocol];

      test('exactly one fixture per CSMS-initiated action', () => {
        assert.deepEqual(Object.keys(fixtures).sort(), csmsInitiatedActions(protocol).sort());
      });

      test('the command path sends exactly these actions (shared/calls CSMS_ACTIONS)', () => {
        assert.deepEqual([...CSMS_ACTIONS[protocol]].sort(), csmsInitiatedActions(protocol).sort());
      });

      for (const action of csmsInitiatedActions(protocol)) {
        test(`${action}: request and responses are schema-valid`, () => {
          const fixture = fixtures[action];
          assert.ok(fixture, `no fixture for ${protocol} ${action}`);
          valid(protocol, action, 'Request', fixture.request);
          valid(protocol, action, 'Response', fixture.response);
          // The validators are not vacuous: an unknown field is refused (additionalProperties: false).
          assert.ok(validatePayload(protocol, action, 'Request', { ...fixture.request, bogusField: 1 }));
          assert.ok(validatePayload(protocol, action, 'Response', { ...fixture.response, bogusField: 1 }));

          // A response with a status has a non-success variant too; one without has none.
          if ('status' in fixture.response) {
            assert.ok(fixture.rejected, `${action} has a status but no non-success response`);
            assert.notEqual(fixture.rejected.status, fixture.response.status);
            assert.notEqual(fixture.rejected.status, 'Accepted');
          } else {
            assert.equal(fixture.rejected, undefined);
          }
          if (fixture.rejected) valid(protocol, action, 'Response', fixture.rejected);

          if (fixture.followUp) {
            const { action: followAction, payload } = fixture.followUp;
            assert.ok(
              STATION_INITIATED[protocol].includes(followAction),
              `${followAction} is a station message`,
            );
            valid(protocol, followAction, 'Request', payload);
            assert.equal(payload.requestId, fixture.request.requestId, 'the follow-up carries the requestId');
          }
        });
      }
    });
  }

  test('the follow-ups: the report requests of 2.0.1 and 2.1 name the station message with their results', () => {
    const expected = {
      GetBaseReport: 'NotifyReport',
      GetReport: 'NotifyReport',
      GetLog: 'LogStatusNotification',
      CustomerInformation: 'NotifyCustomerInformation',
      GetChargingProfiles: 'ReportChargingProfiles',
      GetMonitoringReport: 'NotifyMonitoringReport',
      GetDisplayMessages: 'NotifyDisplayMessages',
    };
    for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const) {
      for (const [action, followUp] of Object.entries(expected)) {
        assert.equal(COMMAND_FIXTURES[protocol][action]?.followUp?.action, followUp, `${protocol} ${action}`);
      }
    }
    assert.equal(COMMAND_FIXTURES['ocpp1.6'].GetLog?.followUp?.action, 'LogStatusNotification');
  });
});
