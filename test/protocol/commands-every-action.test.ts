/**
 * Every CSMS-initiated action of every version through the command path: each fixture request of
 * test/fixtures/commands.ts is submitted through the HTTP API (`POST /v1/stations/{id}/commands`,
 * the raw route) to an ocpp-rpc station in strict mode (it refuses any CALL that breaks the official
 * schema, and validates its own answers), which answers with the fixture response. Checked: what
 * the station received, one CALL at a time; the stored outcome (`GET /v1/commands/{id}`); the
 * event on the bus; the station messages tied back by requestId (NotifyReport to GetBaseReport,
 * ...); and a station that answers with a CALLRESULT breaking the response schema.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type WebSocket from 'ws';
import { FINAL_STATUSES, type CommandStatus } from '../../shared/calls/types.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import { COMMAND_FIXTURES, csmsInitiatedActions, type CommandFixture } from '../fixtures/commands.js';
import { eventsOf, startHarness, type Harness, type RawStation, type RpcClient } from '../support/harness.js';

const BOOT: Record<OcppProtocol, Record<string, unknown>> = {
  'ocpp1.6': {
    chargePointVendor: 'VendorX',
    chargePointModel: 'ModelY',
    chargePointSerialNumber: 'SN-16-CMD',
  },
  'ocpp2.0.1': {
    reason: 'PowerUp',
    chargingStation: { vendorName: 'VendorX', model: 'Model2', serialNumber: 'SN-201-CMD' },
  },
  'ocpp2.1': {
    reason: 'PowerUp',
    chargingStation: { vendorName: 'VendorX', model: 'Model21', serialNumber: 'SN-21-CMD' },
  },
};

const VERSIONS: readonly { protocol: OcppProtocol; station: string }[] = [
  { protocol: 'ocpp1.6', station: 'CP16-CMD' },
  { protocol: 'ocpp2.0.1', station: 'CS201-CMD' },
  { protocol: 'ocpp2.1', station: 'CS21-CMD' },
];

type Variant = 'response' | 'rejected';

/** An ocpp-rpc strict station that answers every CSMS-initiated action from the fixtures. */
interface Peer {
  readonly client: RpcClient;
  readonly received: { action: string; params: unknown }[];
  /** Which fixture answer each action gets. */
  readonly answer: Map<string, Variant>;
  inFlight: number;
  maxInFlight: number;
}

describe('every CSMS-initiated action through the command API', () => {
  let h: Harness;

  /** Submits through the raw route and waits (?wait=10, then polls) until the command is final. */
  const submit = async (stationId: string, action: string, payload: unknown): Promise<any> => {
    const res = await h.api('POST', `/v1/stations/${encodeURIComponent(stationId)}/commands?wait=10`, {
      action,
      payload,
    });
    assert.ok(
      [200, 202].includes(res.status),
      `${action}: POST answered ${res.status} ${JSON.stringify(res.body)}`,
    );
    assert.equal(typeof res.body?.id, 'string', `${action}: no command id in ${JSON.stringify(res.body)}`);
    return settle(res.body.id);
  };

  /** The stored command once final (`GET /v1/commands/{id}`). */
  const settle = async (id: string): Promise<any> => {
    for (let attempt = 0; attempt < 200; attempt++) {
      const res = await h.api('GET', `/v1/commands/${encodeURIComponent(id)}`);
      assert.equal(res.status, 200, `GET /v1/commands/${id}: ${res.status} ${JSON.stringify(res.body)}`);
      if (FINAL_STATUSES.includes(res.body.status as CommandStatus)) return res.body;
      await delay(100);
    }
    return assert.fail(`command ${id} never reached a final status`);
  };

  const commandEvents = (type: string, stationId: string, commandId: string): any[] =>
    eventsOf(h.host, type, stationId).filter((e) => e.detail?.commandId === commandId);

  /** Runs `check` for every action and fails once, listing every action that failed and why. */
  const forEvery = (actions: readonly string[], check: (action: string) => void): void => {
    const problems: string[] = [];
    for (const action of actions) {
      try {
        check(action);
      } catch (error) {
        problems.push(`${action}: ${(error as Error).message}`);
      }
    }
    assert.equal(
      problems.length,
      0,
      `${problems.length} of ${actions.length} actions:\n${problems.join('\n')}`,
    );
  };

  const connectPeer = async (protocol: OcppProtocol, stationId: string): Promise<Peer> => {
    await h.provision(stationId);
    const client = await h.station(stationId, protocol);
    const peer: Peer = { client, received: [], answer: new Map(), inFlight: 0, maxInFlight: 0 };
    const fixtures = COMMAND_FIXTURES[protocol];
    for (const action of csmsInitiatedActions(protocol)) {
      const fixture = fixtures[action] as CommandFixture;
      client.handle(action, async ({ params }) => {
        peer.inFlight += 1;
        peer.maxInFlight = Math.max(peer.maxInFlight, peer.inFlight);
        peer.received.push({ action, params });
        // Hold the answer for a moment: a second CALL sent before this answer would overlap.
        await delay(5);
        peer.inFlight -= 1;
        return peer.answer.get(action) === 'rejected' ? fixture.rejected : fixture.response;
      });
    }
    const boot = await client.call('BootNotification', BOOT[protocol]);
    assert.equal(boot.status, 'Accepted');
    return peer;
  };

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h.close();
  });

  for (const { protocol, station } of VERSIONS) {
    describe(`OCPP ${protocol.slice(4)}`, () => {
      let peer: Peer;
      const fixtures = COMMAND_FIXTURES[protocol];
      const actions = csmsInitiatedActions(protocol);
      /** The command of each action from the success round. */
      const commands = new Map<string, any>();

      before(async () => {
        peer = await connectPeer(protocol, station);
      });

      test(`every action (${actions.length}): the station receives the request, the answer is stored, command.completed.v1 is published, one CALL at a time`, async () => {
        // Submitted all at once: the command path queues them and sends the next one only when
        // the station has answered the previous one.
        const done = await Promise.all(
          actions.map(
            async (action) => [action, await submit(station, action, fixtures[action]!.request)] as const,
          ),
        );
        for (const [action, command] of done) commands.set(action, command);

        assert.equal(peer.maxInFlight, 1, 'the station never has two CALLs outstanding');
        assert.deepEqual(
          peer.received.map((r) => r.action).sort(),
          [...actions].sort(),
          'the station received each action once, and nothing else',
        );
        forEvery(actions, (action) => {
          const fixture = fixtures[action]!;
          const command = commands.get(action);
          assert.deepEqual(
            peer.received.find((r) => r.action === action)?.params,
            fixture.request,
            'the station received exactly the request',
          );
          assert.equal(command.status, 'completed', JSON.stringify(command));
          assert.equal(command.action, action);
          assert.equal(command.stationId, station);
          assert.equal(command.protocol, protocol);
          assert.deepEqual(command.request, fixture.request, 'the stored request');
          assert.deepEqual(command.response, fixture.response, 'the stored response');
          assert.equal(command.error, null, 'no error');
          assert.equal(command.requestId, fixture.request.requestId ?? null, 'the requestId');
          assert.equal(typeof command.messageId, 'string', "the CALL's message id is stored");
          const events = commandEvents('command.completed.v1', station, command.id);
          assert.equal(events.length, 1, `one command.completed.v1 for ${command.id}`);
          assert.equal(events[0].detail.action, action);
          assert.equal(events[0].detail.status, 'completed');
          assert.equal(events[0].detail.protocol, protocol);
          assert.equal(events[0].detail.responseStatus, fixture.response.status);
        });
      });

      // After the answer, the station delivers the result in a message of its own carrying the
      // command's requestId (1.6 GetDiagnostics / UpdateFirmware: none, the latest such command).
      for (const [action, fixture] of Object.entries(fixtures).filter(([, f]) => f.followUp)) {
        const { action: followAction, payload } = fixture.followUp!;
        test(`${action} → ${followAction}: tied back to the command, shown in its results`, async () => {
          const command = commands.get(action);
          assert.ok(command, `${action} ran in the first test`);
          assert.equal(command.status, 'completed');
          // The CSMS answers the follow-up (ocpp-rpc rejects on a CALLERROR).
          await peer.client.call(followAction, payload);
          const stored = (await h.api('GET', `/v1/commands/${command.id}`)).body;
          assert.equal(
            stored.results.length,
            1,
            `results of ${command.id}: ${JSON.stringify(stored.results)}`,
          );
          const [result] = stored.results;
          assert.equal(result.action, followAction);
          // Its scalar fields as sent (requestId, seqNo, tbc, status, ...); bulky content (reportData,
          // monitor, chargingProfile) may be summarized: its data is stored by the message's handler.
          for (const [field, value] of Object.entries(payload)) {
            if (value === null || typeof value !== 'object') {
              assert.deepEqual(result.payload[field], value, `${followAction}.${field} in the result`);
            }
          }
          assert.ok(Number.isFinite(Date.parse(result.receivedAt)));
        });
      }

      const withRejected = actions.filter((a) => fixtures[a]!.rejected);
      test(`a non-success status ends the command rejected, with the response stored (${withRejected.length} actions)`, async () => {
        for (const action of withRejected) peer.answer.set(action, 'rejected');
        peer.received.length = 0;
        const done = await Promise.all(
          withRejected.map(
            async (action) => [action, await submit(station, action, fixtures[action]!.request)] as const,
          ),
        );
        assert.equal(peer.maxInFlight, 1, 'the station never has two CALLs outstanding');
        assert.equal(peer.received.length, withRejected.length);
        const byAction = new Map(done);
        forEvery(withRejected, (action) => {
          const fixture = fixtures[action]!;
          const command = byAction.get(action);
          assert.equal(command.status, 'rejected', JSON.stringify(command));
          assert.deepEqual(command.response, fixture.rejected, 'the stored response');
          assert.deepEqual(peer.received.find((r) => r.action === action)?.params, fixture.request);
          const events = commandEvents('command.completed.v1', station, command.id);
          assert.equal(events.length, 1, `one command.completed.v1 for ${command.id}`);
          assert.equal(events[0].detail.status, 'rejected');
          assert.equal(events[0].detail.responseStatus, fixture.rejected!.status);
        });
      });
    });
  }

  describe('a station answering with a CALLRESULT that breaks the response schema', () => {
    /** A raw WebSocket station, booted (Accepted). */
    const rawStation = async (protocol: OcppProtocol, stationId: string): Promise<RawStation> => {
      const password = await h.provision(stationId);
      const raw = await h.raw(stationId, protocol, password);
      const boot = (await raw.send(
        JSON.stringify([2, 'boot-1', 'BootNotification', BOOT[protocol]]),
      )) as any[];
      assert.equal(boot[2].status, 'Accepted');
      return raw;
    };

    /** The next CALL the raw station receives. */
    const nextCall = (ws: WebSocket): Promise<[number, string, string, Record<string, unknown>]> =>
      new Promise((resolve) =>
        ws.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')))),
      );

    for (const { protocol, action, bad, field } of [
      { protocol: 'ocpp1.6', action: 'Reset', bad: { status: 'Maybe' }, field: 'status' },
      {
        protocol: 'ocpp1.6',
        action: 'GetConfiguration',
        bad: { configurationKey: [{ key: 'HeartbeatInterval' }] },
        field: 'readonly',
      },
      {
        protocol: 'ocpp2.0.1',
        action: 'GetBaseReport',
        bad: { status: 'Accepted', extra: true },
        field: 'extra',
      },
      { protocol: 'ocpp2.0.1', action: 'SetVariables', bad: {}, field: 'setVariableResult' },
      { protocol: 'ocpp2.1', action: 'SetDefaultTariff', bad: { status: 'Maybe' }, field: 'status' },
    ] as const) {
      test(`${protocol} ${action} answered with ${JSON.stringify(bad)}: the command fails with the schema violation`, async () => {
        const stationId = `RAW${protocol.slice(4).replaceAll('.', '')}-${action.slice(0, 8)}`;
        const raw = await rawStation(protocol, stationId);
        const request = COMMAND_FIXTURES[protocol][action]!.request;
        const submitted = submit(stationId, action, request);
        const [type, messageId, calledAction, payload] = await nextCall(raw.ws);
        assert.deepEqual([type, calledAction, payload], [2, action, request]);
        raw.ws.send(JSON.stringify([3, messageId, bad]));
        const command = await submitted;
        assert.equal(command.status, 'failed', JSON.stringify(command));
        assert.equal(command.error?.code, 'InvalidResponse', JSON.stringify(command.error));
        assert.match(command.error.description, new RegExp(field), JSON.stringify(command.error));
        const events = commandEvents('command.completed.v1', stationId, command.id);
        assert.equal(events.length, 1, `one command.completed.v1 for ${command.id}`);
        assert.equal(events[0].detail.status, 'failed');
        assert.equal(events[0].detail.errorCode, 'InvalidResponse');
        await raw.close();
      });
    }
  });
});
