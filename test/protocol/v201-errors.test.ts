/**
 * OCPP 2.0.1 refusals on the wire, with raw frames so the exact codes are checked: messages before
 * the BootNotification is Accepted (B01.FR.08, B02.FR.09, B03.FR.07), payloads that break the
 * official schemas (OCPP-J 2.0.1 part 4 §4.3, 2.0.1 spellings), framing errors (§4.1.3, §4.1.4,
 * §4.4), actions not taken from a station, and responses to calls the CSMS never made.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type WebSocket from 'ws';
import { startHarness, type Harness, type RawStation } from '../support/harness.js';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'VendorX', model: 'Model2' } };
const available = {
  timestamp: '2025-05-01T10:00:00.000Z',
  connectorStatus: 'Available',
  evseId: 1,
  connectorId: 1,
};

/** Every frame the CSMS sends on a raw connection, to prove that some message got no answer. */
function recordFrames(ws: WebSocket): unknown[][] {
  const frames: unknown[][] = [];
  ws.on('message', (data: WebSocket.RawData) =>
    frames.push(JSON.parse((data as Buffer).toString('utf8')) as unknown[]),
  );
  return frames;
}

describe('OCPP 2.0.1 CALLERRORs', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
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
  const errorCode = (reply: unknown[]) =>
    reply[0] === 4 ? reply[2] : `not a CALLERROR: ${JSON.stringify(reply)}`;

  /** A provisioned station, booted (Accepted) on a raw connection. */
  const bootedRaw = async (id: string): Promise<RawStation> => {
    const password = await h.provision(id);
    const raw = await h.raw(id, 'ocpp2.0.1', password);
    const accepted = await call(raw, `${id}-boot`, 'BootNotification', boot);
    assert.equal((accepted[2] as { status: string }).status, 'Accepted');
    return raw;
  };

  test('TC_B_30_CSMS B01.FR.08 / B02.FR.09: messages before any BootNotification -> SecurityError, then answered once Accepted', async () => {
    const password = await h.provision('CS201-NOBOOT');
    const raw = await h.raw('CS201-NOBOOT', 'ocpp2.0.1', password);
    for (const [action, payload] of [
      ['Heartbeat', {}],
      ['StatusNotification', available],
      [
        'NotifyEvent',
        {
          generatedAt: available.timestamp,
          seqNo: 0,
          eventData: [
            {
              eventId: 1,
              timestamp: available.timestamp,
              trigger: 'Delta',
              actualValue: 'Available',
              component: { name: 'Connector', evse: { id: 1, connectorId: 1 } },
              variable: { name: 'AvailabilityState' },
              eventNotificationType: 'HardWiredNotification',
            },
          ],
        },
      ],
      // Allowed while Pending (B02.FR.09), but never before a BootNotification was answered.
      ['NotifyReport', { requestId: 1, generatedAt: available.timestamp, seqNo: 0 }],
      [
        'TransactionEvent',
        {
          eventType: 'Started',
          timestamp: available.timestamp,
          triggerReason: 'CablePluggedIn',
          seqNo: 0,
          transactionInfo: { transactionId: 'NB-1' },
        },
      ],
    ] as const) {
      const reply = await call(raw, `nb-${action}`, action, payload);
      assert.equal(errorCode(reply), 'SecurityError', action);
    }
    await call(raw, 'nb-boot', 'BootNotification', boot);
    assert.deepEqual(await call(raw, 'nb-status', 'StatusNotification', available), [3, 'nb-status', {}]);
  });

  describe('schema violations: 2.0.1 spellings (OCPP-J 2.0.1 part 4 §4.3)', () => {
    let raw: RawStation;
    before(async () => {
      raw = await bootedRaw('CS201-ERRORS');
    });

    test('a missing required field -> OccurrenceConstraintViolation', async () => {
      const { connectorStatus: _omitted, ...incomplete } = available;
      assert.equal(
        errorCode(await call(raw, 'occ', 'StatusNotification', incomplete)),
        'OccurrenceConstraintViolation',
      );
    });

    test('a payload that is not an object -> FormatViolation', async () => {
      assert.equal(errorCode(await call(raw, 'fmt', 'Heartbeat', [])), 'FormatViolation');
    });

    test('evseId -1 or 2^31, evse.id -1 -> PropertyConstraintViolation, the same bounds as 1.6; nothing stored', async () => {
      for (const [id, payload] of [
        ['evse-neg', { ...available, evseId: -1 }],
        ['evse-big', { ...available, evseId: 2 ** 31 }],
        ['conn-neg', { ...available, connectorId: -5 }],
      ] as const) {
        assert.equal(
          errorCode(await call(raw, id, 'StatusNotification', payload)),
          'PropertyConstraintViolation',
        );
      }
      const event = {
        generatedAt: available.timestamp,
        seqNo: 0,
        eventData: [
          {
            eventId: 1,
            timestamp: available.timestamp,
            trigger: 'Delta',
            actualValue: 'Available',
            component: { name: 'Connector', evse: { id: -1, connectorId: 1 } },
            variable: { name: 'AvailabilityState' },
            eventNotificationType: 'HardWiredNotification',
          },
        ],
      };
      assert.equal(errorCode(await call(raw, 'nested', 'NotifyEvent', event)), 'PropertyConstraintViolation');
      const station = await h.api('GET', '/v1/stations/CS201-ERRORS');
      assert.deepEqual(
        station.body.evses.map((e: { id: number }) => e.id),
        [],
      );
    });

    test('a schema-valid DataTransfer whose data nests 5,000 levels -> FormatViolation, not InternalError', async () => {
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const reply = await raw.send(`[2,"deep","DataTransfer",{"vendorId":"V","data":${deep}}]`);
      assert.ok(Array.isArray(reply));
      assert.deepEqual(reply.slice(0, 3), [4, 'deep', 'FormatViolation']);
      // Nesting an official payload can have is still handled.
      const shallow = `${'['.repeat(40)}1${']'.repeat(40)}`;
      const ok = await raw.send(`[2,"shallow","DataTransfer",{"vendorId":"V","data":${shallow}}]`);
      assert.ok(Array.isArray(ok));
      assert.equal(ok[0], 3);
    });

    test('a field of the wrong type -> TypeConstraintViolation', async () => {
      assert.equal(
        errorCode(await call(raw, 'type', 'StatusNotification', { ...available, evseId: 'one' })),
        'TypeConstraintViolation',
      );
    });

    test('a value outside its enumeration -> PropertyConstraintViolation', async () => {
      assert.equal(
        errorCode(
          await call(raw, 'enum', 'StatusNotification', { ...available, connectorStatus: 'Charging' }),
        ),
        'PropertyConstraintViolation',
      );
    });

    test('an unknown action -> NotImplemented; a CSMS-initiated action -> NotSupported', async () => {
      assert.equal(errorCode(await call(raw, 'unknown', 'StartTransaction', {})), 'NotImplemented');
      assert.equal(errorCode(await call(raw, 'csms-side', 'Reset', { type: 'Immediate' })), 'NotSupported');
    });

    test('A02.FR.12: SignCertificate with a CSR that is not PEM -> Rejected (InvalidCSR), never InternalError', async () => {
      assert.deepEqual(
        await call(raw, 'sign', 'SignCertificate', { csr: '-----BEGIN CERTIFICATE REQUEST-----' }),
        [3, 'sign', { status: 'Rejected', statusInfo: { reasonCode: 'InvalidCSR' } }],
      );
    });

    test('K13.FR.02 ClearedChargingLimit, once answered NotSupported, is handled (every 2.0.1 station action is)', async () => {
      assert.deepEqual(await call(raw, 'limit', 'ClearedChargingLimit', { chargingLimitSource: 'EMS' }), [
        3,
        'limit',
        {},
      ]);
    });

    test('§4.4: an unknown message type -> MessageTypeNotSupported with the message id', async () => {
      const reply = (await raw.send(JSON.stringify([7, 'mt-7', 'Heartbeat', {}]))) as unknown[];
      assert.deepEqual([reply[0], reply[1], reply[2]], [4, 'mt-7', 'MessageTypeNotSupported']);
    });

    test('§4.1.4: a message id over 36 characters -> RpcFrameworkError', async () => {
      const reply = (await raw.send(JSON.stringify([2, 'x'.repeat(37), 'Heartbeat', {}]))) as unknown[];
      assert.deepEqual([reply[0], reply[2]], [4, 'RpcFrameworkError']);
    });

    test('a CALLRESULT or CALLERROR for no pending call: nothing sent back, the connection keeps working', async () => {
      const frames = recordFrames(raw.ws);
      raw.ws.send(JSON.stringify([3, 'never-called', {}]));
      raw.ws.send(JSON.stringify([4, 'never-called-2', 'GenericError', '', {}]));
      const beat = await call(raw, 'after-stray', 'Heartbeat', {});
      assert.equal(beat[0], 3);
      // One more round trip: a reply to the stray frames, had there been one, came before it.
      await call(raw, 'after-stray-2', 'Heartbeat', {});
      assert.deepEqual(
        frames.map((f) => f[1]),
        ['after-stray', 'after-stray-2'],
      );
    });
  });
});
