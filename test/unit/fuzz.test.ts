/**
 * Property-based fuzzing of the frame parser and the dispatcher (with the real route tables and a
 * real dynalite store): whatever a station sends, the CSMS never throws, answers every readable
 * CALL with a CALLRESULT or a CALLERROR carrying its id and a code legal in that version, never
 * answers a response or a SEND, and never sends a CALLRESULT that breaks the response schema.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { dispatch, type DispatchDeps, type StationRef } from '../../functions/ocpp/dispatcher.js';
import { ROUTES } from '../../functions/ocpp/routes.js';
import { readConfig } from '../../shared/aws/config.js';
import { isWireErrorCode } from '../../shared/ocpp/errors.js';
import { validatePayload, loadValidators } from '../../shared/ocpp/validation.js';
import { PROTOCOLS, STATION_INITIATED, type OcppProtocol } from '../../shared/ocpp/versions.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';

// The validators load per version on first use (issue 14); these tests call them directly.
for (const p of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) await loadValidators(p);

let deps: DispatchDeps;
let close: () => Promise<void>;
const sent = new Map<string, string>();

before(async () => {
  const s = await startStore();
  close = s.close;
  await s.store.stations.create({ id: 'FUZZ', passwordHash: 'scrypt$x', now: new Date() });
  await s.store.stations.recordBoot('FUZZ', 'Accepted', { vendor: 'V', model: 'M' }, new Date());
  deps = {
    routes: ROUTES,
    store: s.store,
    events: new RecordingSink(),
    config: readConfig({ CSMS_TABLE_NAME: 'x', CSMS_EVENT_BUS_NAME: 'x' }),
    log: silentLog,
    clock: () => new Date(),
  };
});
after(() => close());

function station(protocol: OcppProtocol, accepted: boolean): StationRef {
  return {
    stationId: 'FUZZ',
    protocol,
    connectionId: 'c1',
    registrationAtConnect: accepted ? 'Accepted' : '',
  };
}

const id = fc.oneof(
  fc.string({ minLength: 1, maxLength: 36 }),
  fc.string({ minLength: 37, maxLength: 60 }),
  fc.constant(''),
  fc.integer(),
  fc.constant(null),
);
const action = (p: OcppProtocol) =>
  fc.oneof(
    fc.constantFrom(...STATION_INITIATED[p]),
    fc.constantFrom('Reset', 'RemoteStartTransaction', 'Foo'),
    fc.string(),
  );
const payload = fc.oneof(
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 }),
  fc.jsonValue(),
  fc.constant({}),
);
const frame = (p: OcppProtocol) =>
  fc.oneof(
    fc.tuple(fc.constantFrom(2, 6), id, action(p), payload).map((t) => JSON.stringify(t)),
    fc.tuple(fc.constantFrom(3), id, payload).map((t) => JSON.stringify(t)),
    fc.tuple(fc.constantFrom(4, 5), id, fc.string(), fc.string(), payload).map((t) => JSON.stringify(t)),
    fc.array(fc.jsonValue(), { maxLength: 6 }).map((a) => JSON.stringify(a)),
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );

async function check(raw: string, protocol: OcppProtocol, accepted: boolean): Promise<void> {
  const out = await dispatch(raw, station(protocol, accepted), deps);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const isArray = Array.isArray(parsed);
  const type = isArray ? (parsed as unknown[])[0] : undefined;
  const rawId = isArray ? (parsed as unknown[])[1] : undefined;
  const readableId = typeof rawId === 'string' && rawId.length >= 1 && rawId.length <= 36 ? rawId : undefined;

  const known =
    type === 2 || type === 3 || type === 4 || (protocol === 'ocpp2.1' && (type === 5 || type === 6));
  if (type === 3 || type === 4 || (known && (type === 5 || type === 6))) {
    assert.equal(out.reply, undefined, `no reply to a response or a SEND: ${raw}`);
    return;
  }
  if (typeof type === 'number' && Number.isInteger(type) && !known) {
    // 2.0.1 part 4 §4.4: MessageTypeNotSupported; 1.6 §4.1.3 and 2.1 part 4 §4.4: ignored.
    if (protocol === 'ocpp2.0.1')
      assert.equal(JSON.parse(out.reply ?? '[]')[2], 'MessageTypeNotSupported', raw);
    else assert.equal(out.reply, undefined, raw);
    return;
  }
  if (type === 2 && readableId !== undefined) assert.ok(out.reply, `a readable CALL is answered: ${raw}`);
  if (out.reply === undefined) return;

  const reply = JSON.parse(out.reply) as unknown[];
  assert.ok(Array.isArray(reply));
  if (reply[0] === 3) {
    assert.equal(reply[1], readableId);
    const act = (parsed as unknown[])[2] as string;
    assert.equal(
      validatePayload(protocol, act, 'Response', reply[2]),
      undefined,
      `valid CALLRESULT for ${raw}`,
    );
    sent.set(act, out.reply);
  } else {
    assert.equal(reply[0], 4, `reply is a CALLRESULT or CALLERROR: ${out.reply}`);
    assert.equal(reply.length, 5);
    assert.equal(reply[1], readableId ?? '-1');
    assert.ok(isWireErrorCode(reply[2], protocol), `legal ${protocol} error code ${String(reply[2])}`);
    assert.notEqual(reply[2], 'InternalError', `no handler crashes on ${raw}`);
    assert.equal(typeof reply[3], 'string');
    assert.ok((reply[3] as string).length <= 255);
    assert.equal(typeof reply[4], 'object');
  }
}

describe('fuzz: parser + dispatcher', () => {
  for (const protocol of PROTOCOLS) {
    test(`${protocol}: arbitrary frames never crash and are answered as the spec says`, async () => {
      await fc.assert(
        fc.asyncProperty(frame(protocol), fc.boolean(), (raw, accepted) => check(raw, protocol, accepted)),
        { numRuns: 1500 },
      );
    });
  }

  test('any nesting depth (up to 6,000 levels, beyond the stack of recursive steps) is answered, never InternalError', async () => {
    const deep = fc
      .tuple(fc.integer({ min: 1, max: 6000 }), fc.constantFrom(['[', ']'], ['{"a":', '}']))
      .map(([n, [open, close]]) => `${open.repeat(n)}${open === '[' ? '' : '1'}${close.repeat(n)}`);
    for (const protocol of PROTOCOLS) {
      await fc.assert(
        fc.asyncProperty(deep, fc.constantFrom('data', 'payload'), async (nested, where) => {
          const raw =
            where === 'data'
              ? `[2,"d","DataTransfer",{"vendorId":"V","data":${nested}}]`
              : `[2,"d","Heartbeat",${nested}]`;
          await check(raw, protocol, true);
        }),
        { numRuns: 60 },
      );
    }
  });

  test('schema-shaped messages with mutated fields never crash a handler', async () => {
    const valid: [OcppProtocol, string, Record<string, unknown>][] = [
      ['ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' }],
      [
        'ocpp1.6',
        'MeterValues',
        {
          connectorId: 1,
          meterValue: [{ timestamp: '2026-01-01T00:00:00Z', sampledValue: [{ value: '10' }] }],
        },
      ],
      ['ocpp1.6', 'Authorize', { idTag: 'TAG' }],
      [
        'ocpp2.0.1',
        'StatusNotification',
        { timestamp: '2026-01-01T00:00:00Z', connectorStatus: 'Available', evseId: 1, connectorId: 1 },
      ],
      ['ocpp2.0.1', 'Authorize', { idToken: { idToken: 'T', type: 'ISO14443' } }],
      ['ocpp2.0.1', 'Heartbeat', {}],
    ];
    const mutation = fc.tuple(
      fc.constantFrom(...valid),
      fc.constantFrom('drop', 'replace', 'add'),
      fc.jsonValue(),
      fc.string({ maxLength: 8 }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ([[protocol, act, body], how, value, key]) => {
        const copy: Record<string, unknown> = { ...body };
        const keys = Object.keys(copy);
        const target = keys[key.length % Math.max(keys.length, 1)] ?? key;
        if (how === 'drop') delete copy[target];
        else if (how === 'replace') copy[target] = value;
        else copy[key || 'extra'] = value;
        await check(JSON.stringify([2, 'm1', act, copy]), protocol, true);
      }),
      { numRuns: 600 },
    );
  });

  test('valid messages with arbitrary values are handled without a crash (never InternalError)', async () => {
    const ts = fc
      .date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
      .map((d) => d.toISOString());
    const message = fc.oneof(
      fc.record({
        p: fc.constant<OcppProtocol>('ocpp1.6'),
        a: fc.constant('StatusNotification'),
        body: fc.record({
          connectorId: fc.nat(10),
          errorCode: fc.constantFrom('NoError', 'GroundFailure', 'OtherError'),
          status: fc.constantFrom('Available', 'Preparing', 'Charging', 'Faulted', 'Unavailable'),
          timestamp: ts,
        }),
      }),
      fc.record({
        p: fc.constant<OcppProtocol>('ocpp1.6'),
        a: fc.constant('MeterValues'),
        body: fc.record({
          connectorId: fc.nat(4),
          meterValue: fc.array(
            fc.record({
              timestamp: ts,
              sampledValue: fc.array(
                fc.record({
                  value: fc.oneof(fc.double({ noNaN: true }).map(String), fc.string({ maxLength: 10 })),
                  unit: fc.constantFrom('Wh', 'kWh', 'W', 'A'),
                }),
                { minLength: 1, maxLength: 3 },
              ),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        }),
      }),
      fc.record({
        p: fc.constant<OcppProtocol>('ocpp1.6'),
        a: fc.constant('Authorize'),
        body: fc.record({ idTag: fc.string({ minLength: 1, maxLength: 20 }) }),
      }),
      fc.record({
        p: fc.constantFrom<OcppProtocol>('ocpp2.0.1', 'ocpp2.1'),
        a: fc.constant('StatusNotification'),
        body: fc.record({
          timestamp: ts,
          connectorStatus: fc.constantFrom('Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'),
          evseId: fc.nat(8),
          connectorId: fc.nat(4),
        }),
      }),
      fc.record({
        p: fc.constantFrom<OcppProtocol>('ocpp2.0.1', 'ocpp2.1'),
        a: fc.constant('Authorize'),
        body: fc.record({
          idToken: fc.record({
            idToken: fc.string({ maxLength: 36 }),
            type: fc.constantFrom(
              'Central',
              'eMAID',
              'ISO14443',
              'ISO15693',
              'KeyCode',
              'Local',
              'MacAddress',
              'NoAuthorization',
            ),
          }),
        }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        message,
        fc.string({ minLength: 1, maxLength: 36 }),
        async ({ p, a, body }, messageId) => {
          await check(JSON.stringify([2, messageId, a, body]), p, true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
