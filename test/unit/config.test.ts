// The functions' configuration, read at cold start with plain checks (issue 14: no zod on the
// hot path): defaults, and a clear error naming every variable that is wrong.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readConfig } from '../../shared/aws/config.js';

const BASE = { CSMS_TABLE_NAME: 't', CSMS_EVENT_BUS_NAME: 'b' };

describe('readConfig', () => {
  test('defaults: HeartbeatInterval 540 s, periodic meter events every 15 minutes, unknown stations refused', () => {
    const c = readConfig(BASE);
    assert.equal(c.heartbeatIntervalSeconds, 540);
    assert.equal(c.meterEvents, 'periodic');
    assert.equal(c.meterEventMinutes, 15);
    assert.equal(c.admitUnknownStations, false);
    assert.equal(c.callTimeoutSeconds, 60);
    assert.equal(c.webhooks, undefined);
    assert.equal(c.cognito, undefined);
  });

  test('values from the environment', () => {
    const c = readConfig({
      ...BASE,
      CSMS_HEARTBEAT_INTERVAL_SECONDS: '300',
      CSMS_METER_EVENTS: 'every',
      CSMS_METER_EVENT_MINUTES: '5',
      CSMS_ADMIT_UNKNOWN_STATIONS: '1',
      CSMS_CONNECTIONS_URL: 'https://example.com/ocpp',
      CSMS_COGNITO_USER_POOL_ID: 'eu-west-1_AbC123',
      CSMS_COGNITO_CLIENT_ID: 'client',
    });
    assert.equal(c.heartbeatIntervalSeconds, 300);
    assert.equal(c.meterEvents, 'every');
    assert.equal(c.meterEventMinutes, 5);
    assert.equal(c.admitUnknownStations, true);
    assert.deepEqual(c.cognito, { userPoolId: 'eu-west-1_AbC123', clientId: 'client' });
  });

  test('every wrong variable is named in one error; a missing table name is one of them', () => {
    assert.throws(
      () =>
        readConfig({
          CSMS_EVENT_BUS_NAME: 'b',
          CSMS_HEARTBEAT_INTERVAL_SECONDS: '600',
          CSMS_METER_EVENTS: 'sometimes',
          CSMS_CONNECTIONS_URL: 'not a url',
          CSMS_ADMIT_UNKNOWN_STATIONS: 'yes',
          CSMS_CURSOR_SECRET: 'short',
        }),
      (error: Error) =>
        [
          'CSMS_TABLE_NAME',
          'CSMS_HEARTBEAT_INTERVAL_SECONDS: expected an integer from 10 to 590',
          'CSMS_METER_EVENTS: expected one of every, periodic, none',
          'CSMS_CONNECTIONS_URL: expected a URL',
          'CSMS_ADMIT_UNKNOWN_STATIONS',
          'CSMS_CURSOR_SECRET: expected at least 32 characters',
        ].every((part) => error.message.includes(part)) &&
        error.message.startsWith('Invalid configuration: '),
    );
  });
});
