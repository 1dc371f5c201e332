/**
 * The rollout rules (shared/domain/rollouts.ts) and the firmware command per version: waves,
 * a station's outcome from its command and stored boot data, the health gate.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { firmwareCommand } from '../../functions/rollout/firmware-command.js';
import type { Command } from '../../shared/calls/types.js';
import { evaluate, overThreshold, planWaves, type RolloutPolicy } from '../../shared/domain/rollouts.js';

const policy: RolloutPolicy = {
  canary: 2,
  batchSize: 3,
  maxFailurePercent: 20,
  onThreshold: 'pause',
  stationTimeoutSeconds: 60,
  pollSeconds: 1,
};
const STARTED = '2026-01-01T10:00:00.000Z';
const command = (over: Partial<Command>): Command => ({
  id: 'c1',
  stationId: 'S1',
  protocol: 'ocpp2.0.1',
  action: 'UpdateFirmware',
  payload: {},
  status: 'completed',
  createdAt: STARTED,
  sentAt: '2026-01-01T10:00:01.000Z',
  response: { status: 'Accepted' },
  ...over,
});
const result = (status: string) => ({
  action: 'FirmwareStatusNotification',
  payload: { status },
  receivedAt: STARTED,
});
const at = (seconds: number) => new Date(Date.parse(STARTED) + seconds * 1000);
const observe = (c: Command | undefined, now = at(5), station = {}) =>
  evaluate({ command: c, station, targetVersion: '2.0', waveStartedAt: STARTED, timeoutSeconds: 60, now });

describe('rollout rules', () => {
  test('waves: the canary first, then batches', () => {
    assert.deepEqual(planWaves(['a', 'b', 'c', 'd', 'e', 'f', 'g'], policy), [
      ['a', 'b'],
      ['c', 'd', 'e'],
      ['f', 'g'],
    ]);
  });

  test('L01.FR.32: Installed succeeds, without a reboot', () => {
    assert.equal(
      observe(command({ results: [result('Downloading'), result('Installed')] })).status,
      'succeeded',
    );
  });

  test('a failure status fails the station (2.0.1 InvalidSignature, InstallVerificationFailed too)', () => {
    for (const s of [
      'InstallationFailed',
      'DownloadFailed',
      'InvalidSignature',
      'InstallVerificationFailed',
    ]) {
      const o = observe(command({ results: [result('Downloading'), result(s)] }));
      assert.deepEqual([o.status, o.firmwareStatus], ['failed', s]);
    }
  });

  test('a Rejected answer fails the station', () => {
    const o = observe(command({ status: 'rejected', response: { status: 'Rejected' } }));
    assert.deepEqual([o.status, o.reason], ['failed', 'answered Rejected']);
  });

  test('a boot with another firmware version after the command went out fails the station', () => {
    const o = observe(command({ results: [result('Installing')] }), at(5), {
      bootedAt: '2026-01-01T10:00:04.000Z',
      firmwareVersion: '1.0',
    });
    assert.deepEqual([o.status, o.reason], ['failed', 'rebooted with firmware 1.0']);
    // A boot before the command, or with the target version, is not a failure.
    assert.equal(
      observe(command({}), at(5), { bootedAt: '2026-01-01T09:00:00.000Z', firmwareVersion: '1.0' }).status,
      'in-progress',
    );
    assert.equal(
      observe(command({}), at(5), { bootedAt: '2026-01-01T10:00:04.000Z', firmwareVersion: '2.0' }).status,
      'in-progress',
    );
  });

  test('offline past the deadline: skipped, never success; accepted but silent: failed', () => {
    assert.equal(observe(command({ status: 'queued', sentAt: undefined }), at(30)).status, 'in-progress');
    assert.deepEqual(observe(command({ status: 'queued', sentAt: undefined }), at(60)).status, 'skipped');
    assert.deepEqual(observe(command({ status: 'timeout', sentAt: undefined }), at(10)).status, 'skipped');
    assert.deepEqual(observe(command({ results: [result('Downloading')] }), at(61)).status, 'failed');
  });

  test('health gate: over the threshold, not at it', () => {
    assert.equal(overThreshold(1, 5, policy), false); // 20%
    assert.equal(overThreshold(2, 5, policy), true); // 40%
    assert.equal(overThreshold(0, 5, { ...policy, maxFailurePercent: 0 }), false);
    assert.equal(overThreshold(1, 5, { ...policy, maxFailurePercent: 0 }), true);
  });
});

describe('firmware command per version', () => {
  const now = new Date(STARTED);
  const fw = { location: 'https://f.example/x.bin', version: '2.0' };

  test('1.6 UpdateFirmware: location and retrieveDate', () => {
    assert.deepEqual(firmwareCommand('ocpp1.6', fw, 7, now), {
      action: 'UpdateFirmware',
      payload: { location: fw.location, retrieveDate: STARTED },
    });
  });

  test('1.6 with a signature: the Security extension SignedUpdateFirmware', () => {
    const signed = { ...fw, signature: 'c2ln', signingCertificate: '-----BEGIN CERTIFICATE-----' };
    assert.deepEqual(firmwareCommand('ocpp1.6', signed, 7, now), {
      action: 'SignedUpdateFirmware',
      payload: {
        requestId: 7,
        firmware: {
          location: fw.location,
          retrieveDateTime: STARTED,
          signingCertificate: signed.signingCertificate,
          signature: 'c2ln',
        },
      },
    });
  });

  test('2.0.1 / 2.1 UpdateFirmware: requestId and firmware {location, retrieveDateTime, installDateTime}', () => {
    for (const p of ['ocpp2.0.1', 'ocpp2.1'] as const) {
      assert.deepEqual(firmwareCommand(p, { ...fw, installAt: '2026-01-02T00:00:00Z' }, 9, now), {
        action: 'UpdateFirmware',
        payload: {
          requestId: 9,
          firmware: {
            location: fw.location,
            retrieveDateTime: STARTED,
            installDateTime: '2026-01-02T00:00:00Z',
          },
        },
      });
    }
  });
});
