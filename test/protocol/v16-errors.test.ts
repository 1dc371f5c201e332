/**
 * OCPP 1.6 refusals on the wire: messages before the BootNotification is Accepted, payloads that
 * break the official schemas, actions this CSMS does not take from a station. Raw frames, so the
 * exact 1.6 error code is checked (OCPP-J 1.6 §4.2.3 spellings, kept on purpose by its errata 5.1/5.2).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startHarness, type Harness, type RawStation } from '../support/harness.js';

describe('OCPP 1.6 CALLERRORs', () => {
  let h: Harness;

  before(async () => {
    // Unknown stations are admitted as Pending (onboarding), for the Pending case below.
    h = await startHarness({ admitUnknownStations: true });
  });

  after(async () => {
    await h.close();
  });

  const call = async (
    station: RawStation,
    id: string,
    action: string,
    payload: unknown,
  ): Promise<unknown[]> => {
    const reply = await station.send(JSON.stringify([2, id, action, payload]));
    assert.ok(Array.isArray(reply), `a reply to ${action}`);
    assert.equal(reply[1], id);
    return reply;
  };

  const reply2code = (reply: unknown[]) => (reply[0] === 4 ? reply[2] : JSON.stringify(reply));
  const boot = { chargePointVendor: 'VendorX', chargePointModel: 'ModelY' };
  const available = { connectorId: 1, errorCode: 'NoError', status: 'Available' };

  test('1.6 §4.2: Heartbeat and StatusNotification before any BootNotification -> SecurityError', async () => {
    const password = await h.provision('CP16-NOBOOT');
    const raw = await h.raw('CP16-NOBOOT', 'ocpp1.6', password);
    for (const [action, payload] of [
      ['Heartbeat', {}],
      ['StatusNotification', available],
      ['StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: '2025-03-01T10:00:00Z' }],
    ] as const) {
      const reply = await call(raw, `nb-${action}`, action, payload);
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'SecurityError', `${action}: ${JSON.stringify(reply)}`);
    }
    // Once Accepted, the same messages are answered.
    const accepted = await call(raw, 'nb-boot', 'BootNotification', boot);
    assert.equal((accepted[2] as { status: string }).status, 'Accepted');
    assert.deepEqual(await call(raw, 'nb-hb-2', 'StatusNotification', available), [3, 'nb-hb-2', {}]);
  });

  test('1.6 §4.2: while Pending, a station may send nothing but BootNotification -> SecurityError', async () => {
    const raw = await h.raw('CP16-PENDING', 'ocpp1.6', null);
    const pending = await call(raw, 'p-boot', 'BootNotification', boot);
    assert.equal(pending[0], 3);
    assert.equal((pending[2] as { status: string }).status, 'Pending');
    const reply = await call(raw, 'p-hb', 'Heartbeat', {});
    assert.equal(reply[0], 4);
    assert.equal(reply[2], 'SecurityError');
  });

  describe('after an Accepted boot', () => {
    let raw: RawStation;

    before(async () => {
      const password = await h.provision('CP16-ERRORS');
      raw = await h.raw('CP16-ERRORS', 'ocpp1.6', password);
      const accepted = await call(raw, 'boot', 'BootNotification', boot);
      assert.equal((accepted[2] as { status: string }).status, 'Accepted');
    });

    test('OCPP-J 1.6 §4.2.3, errata 5.1: a missing required field -> OccurenceConstraintViolation (1.6 spelling)', async () => {
      const reply = await call(raw, 'm1', 'StatusNotification', { connectorId: 1, status: 'Available' });
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'OccurenceConstraintViolation');
    });

    test('OCPP-J 1.6 §4.2.3, errata 5.2: a payload that is not an object -> FormationViolation (1.6 spelling)', async () => {
      const reply = await call(raw, 'm2', 'Heartbeat', 'not an object');
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'FormationViolation');
    });

    test('OCPP-J 1.6 §4.2.3: connectorId 2147483648 (beyond 32 bits) -> PropertyConstraintViolation, nothing stored', async () => {
      for (const [id, connectorId] of [
        ['big', 2 ** 31],
        ['neg', -1],
      ] as const) {
        const reply = await call(raw, id, 'StatusNotification', { ...available, connectorId });
        assert.deepEqual(reply.slice(0, 3), [4, id, 'PropertyConstraintViolation']);
      }
      const reserve = await call(raw, 'res', 'MeterValues', {
        connectorId: 1,
        transactionId: 2 ** 31,
        meterValue: [{ timestamp: '2026-01-01T00:00:00Z', sampledValue: [{ value: '1' }] }],
      });
      assert.equal(reply2code(reserve), 'PropertyConstraintViolation');
      const station = await h.api('GET', '/v1/stations/CP16-ERRORS');
      assert.deepEqual(
        station.body.evses.map((e: { id: number }) => e.id),
        [],
      );
    });

    test('OCPP-J 1.6 §4.2.3: a DataTransfer whose data nests 5,000 levels -> FormationViolation, not InternalError', async () => {
      const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      const reply = await raw.send(`[2,"deep","DataTransfer",{"vendorId":"V","data":${deep}}]`);
      assert.ok(Array.isArray(reply));
      assert.deepEqual(reply.slice(0, 3), [4, 'deep', 'FormationViolation']);
    });

    test('OCPP-J 1.6 §4.2.3: a field of the wrong type -> TypeConstraintViolation', async () => {
      const reply = await call(raw, 'm3', 'StatusNotification', { ...available, connectorId: 'one' });
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'TypeConstraintViolation');
    });

    test('OCPP-J 1.6 §4.2.3: a value outside its enumeration -> PropertyConstraintViolation', async () => {
      const reply = await call(raw, 'm4', 'StatusNotification', { ...available, status: 'Occupied' });
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'PropertyConstraintViolation');
    });

    test('1.6 §6.47 / §6.45: a connectorId outside its range -> PropertyConstraintViolation', async () => {
      const negative = await call(raw, 'm4b', 'StatusNotification', { ...available, connectorId: -1 });
      assert.equal(negative[2], 'PropertyConstraintViolation');
      const start = { connectorId: 0, idTag: 'T', meterStart: 0, timestamp: '2025-03-01T10:00:00Z' };
      const zero = await call(raw, 'm4c', 'StartTransaction', start);
      assert.equal(zero[2], 'PropertyConstraintViolation');
    });

    test('OCPP-J 1.6 §4.2.3: an unknown action -> NotImplemented', async () => {
      const reply = await call(raw, 'm5', 'MakeCoffee', {});
      assert.equal(reply[0], 4);
      assert.equal(reply[2], 'NotImplemented');
    });

    test('a CSMS-initiated action sent by a station -> NotSupported', async () => {
      const reset = await call(raw, 'm6', 'Reset', { type: 'Soft' });
      assert.equal(reset[2], 'NotSupported');
    });

    test('whitepaper A03.FR.12: SignCertificate with a CSR that is not PEM -> Rejected, never InternalError', async () => {
      const sign = await call(raw, 'm7', 'SignCertificate', {
        csr: '-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----',
      });
      assert.deepEqual(sign, [3, 'm7', { status: 'Rejected' }]);
    });

    test('a rejected message leaves the connection usable', async () => {
      assert.deepEqual(await call(raw, 'm8', 'StatusNotification', available), [3, 'm8', {}]);
    });
  });
});
