/**
 * Property-based: every 2.0.1 / 2.1 message the CSMS handles, schema-valid but extreme (integers
 * beyond 32 bits, meter values beyond any meter, multipliers, timestamps with offsets or leap
 * seconds, empty strings), goes through the real dispatcher and handlers on a dynalite store.
 * The CSMS never answers InternalError to such input: it stores what it can, or refuses a field
 * the specification does not allow (2.0.1 part 2 §2.1: integers are 32 bit) with a CALLERROR the
 * station can act on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { dispatch, type DispatchDeps } from '../../functions/ocpp/dispatcher.js';
import { ROUTES } from '../../functions/ocpp/routes.js';
import { readConfig } from '../../shared/aws/config.js';
import { validatePayload, loadValidators } from '../../shared/ocpp/validation.js';
import type { OcppProtocol } from '../../shared/ocpp/versions.js';
import { RecordingSink, silentLog, startStore } from '../support/store.js';

// The validators load per version on first use (issue 14); these tests call them directly.
for (const p of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) await loadValidators(p);

const STATION = 'FUZZ2';

// Mostly 32-bit (so that whole messages get through), sometimes far beyond.
const int = fc.oneof(
  { arbitrary: fc.integer({ min: -3, max: 5 }), weight: 12 },
  { arbitrary: fc.integer(), weight: 6 },
  { arbitrary: fc.constantFrom(2 ** 31, 2 ** 53, 1e20, 1e300, -1e300), weight: 1 },
);
const decimal = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1e-200, -5e-243, 1e300, 2 ** 53 + 2, 0.1 + 0.2),
);
const timestamp = fc.oneof(
  fc
    .date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2025-01-01T00:00:00+14:00',
    '2025-01-01T23:59:60Z',
    '2025-01-01T00:00:00.123456789Z',
    '0000-01-01T00:00:00Z',
  ),
);
const text = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '#', '%', 'a#b|c'));
const evse = fc.record({ id: int, connectorId: int }, { requiredKeys: ['id'] });
const sampledValue = fc.record(
  {
    value: decimal,
    context: fc.constantFrom('Transaction.Begin', 'Sample.Periodic', 'Transaction.End'),
    measurand: fc.constantFrom('Energy.Active.Import.Register', 'Power.Active.Import', 'SoC'),
    phase: fc.constantFrom('L1', 'L1-N'),
    location: fc.constantFrom('Outlet', 'Inlet'),
    unitOfMeasure: fc.record(
      { unit: fc.constantFrom('Wh', 'kWh', 'W'), multiplier: int },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['value'] },
);
const meterValue = fc.array(
  fc.record({ timestamp, sampledValue: fc.array(sampledValue, { minLength: 1, maxLength: 3 }) }),
  { minLength: 1, maxLength: 3 },
);
// Often the same ones, so that one message names a component/variable twice.
const component = fc.oneof(
  fc.record({ name: text, instance: text, evse }, { requiredKeys: ['name'] }),
  fc.constantFrom({ name: 'EVSE', evse: { id: 1 } }, { name: 'Connector', evse: { id: 1, connectorId: 1 } }),
);
const variable = fc.oneof(
  fc.record({ name: text, instance: text }, { requiredKeys: ['name'] }),
  fc.constantFrom({ name: 'Power' }, { name: 'AvailabilityState' }),
);
const idToken = fc.record({
  idToken: fc.string({ maxLength: 36 }),
  type: fc.constantFrom('ISO14443', 'Central', 'NoAuthorization', 'KeyCode'),
});

const message = fc.oneof(
  fc.record({
    action: fc.constant('StatusNotification'),
    payload: fc.record({
      timestamp,
      connectorStatus: fc.constantFrom('Available', 'Occupied', 'Faulted'),
      evseId: int,
      connectorId: int,
    }),
  }),
  fc.record({ action: fc.constant('Authorize'), payload: fc.record({ idToken }) }),
  fc.record({ action: fc.constant('MeterValues'), payload: fc.record({ evseId: int, meterValue }) }),
  fc.record({
    action: fc.constant('TransactionEvent'),
    payload: fc.record(
      {
        eventType: fc.constantFrom('Started', 'Updated', 'Ended'),
        timestamp,
        triggerReason: fc.constantFrom('Authorized', 'MeterValuePeriodic', 'EVDeparted'),
        seqNo: int,
        offline: fc.boolean(),
        meterValue,
        transactionInfo: fc.record(
          {
            transactionId: fc.constantFrom('T-1', 'T-2', '', 'a#b'),
            chargingState: fc.constantFrom('Charging', 'Idle'),
            stoppedReason: fc.constantFrom('Local', 'Other'),
            remoteStartId: int,
          },
          { requiredKeys: ['transactionId'] },
        ),
        evse,
        idToken,
      },
      { requiredKeys: ['eventType', 'timestamp', 'triggerReason', 'seqNo', 'transactionInfo'] },
    ),
  }),
  fc.record({
    action: fc.constant('NotifyEvent'),
    payload: fc.record(
      {
        generatedAt: timestamp,
        seqNo: int,
        tbc: fc.boolean(),
        eventData: fc.array(
          fc.record(
            {
              eventId: int,
              timestamp,
              trigger: fc.constantFrom('Alerting', 'Delta', 'Periodic'),
              cause: int,
              actualValue: fc.oneof(text, fc.constantFrom('Available', 'Occupied')),
              techCode: text,
              cleared: fc.boolean(),
              transactionId: text,
              component: fc.oneof(component, fc.record({ name: fc.constant('Connector'), evse })),
              variable: fc.oneof(variable, fc.constant({ name: 'AvailabilityState' })),
              variableMonitoringId: int,
              eventNotificationType: fc.constantFrom('HardWiredNotification', 'CustomMonitor'),
            },
            {
              requiredKeys: [
                'eventId',
                'timestamp',
                'trigger',
                'actualValue',
                'component',
                'variable',
                'eventNotificationType',
              ],
            },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      },
      { requiredKeys: ['generatedAt', 'seqNo', 'eventData'] },
    ),
  }),
  fc.record({
    action: fc.constant('NotifyReport'),
    payload: fc.record(
      {
        requestId: int,
        generatedAt: timestamp,
        seqNo: int,
        tbc: fc.boolean(),
        reportData: fc.array(
          fc.record(
            {
              component,
              variable,
              variableAttribute: fc.array(
                fc.record(
                  {
                    type: fc.constantFrom('Actual', 'Target', 'MinSet', 'MaxSet'),
                    value: text,
                    mutability: fc.constantFrom('ReadOnly', 'ReadWrite'),
                    persistent: fc.boolean(),
                  },
                  { requiredKeys: [] },
                ),
                { minLength: 1, maxLength: 4 },
              ),
              variableCharacteristics: fc.record(
                {
                  dataType: fc.constantFrom('integer', 'decimal', 'string'),
                  unit: text,
                  minLimit: decimal,
                  maxLimit: decimal,
                  supportsMonitoring: fc.boolean(),
                },
                { requiredKeys: ['dataType', 'supportsMonitoring'] },
              ),
            },
            { requiredKeys: ['component', 'variable', 'variableAttribute'] },
          ),
          { minLength: 1, maxLength: 3 },
        ),
      },
      { requiredKeys: ['requestId', 'generatedAt', 'seqNo'] },
    ),
  }),
  fc.record({
    action: fc.constant('DataTransfer'),
    payload: fc.record(
      { vendorId: text, messageId: text, data: fc.dictionary(fc.string(), fc.jsonValue()) },
      { requiredKeys: ['vendorId'] },
    ),
  }),
  fc.record({
    action: fc.constant('FirmwareStatusNotification'),
    payload: fc.record(
      { status: fc.constantFrom('Idle', 'Installed'), requestId: int },
      { requiredKeys: ['status'] },
    ),
  }),
  fc.record({
    action: fc.constant('LogStatusNotification'),
    payload: fc.record(
      { status: fc.constantFrom('Idle', 'Uploaded'), requestId: int },
      { requiredKeys: ['status'] },
    ),
  }),
  fc.record({
    action: fc.constant('SecurityEventNotification'),
    payload: fc.record({ type: text, timestamp, techInfo: text }, { requiredKeys: ['type', 'timestamp'] }),
  }),
);

describe('OCPP 2.0.1 / 2.1 handlers under extreme, schema-valid input', () => {
  let deps: DispatchDeps;
  let close: () => Promise<void>;

  before(async () => {
    const s = await startStore();
    close = s.close;
    await s.store.stations.create({ id: STATION, passwordHash: 'scrypt$x', now: new Date() });
    await s.store.stations.recordBoot(STATION, 'Accepted', { vendor: 'V', model: 'M' }, new Date());
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

  for (const protocol of ['ocpp2.0.1', 'ocpp2.1'] as const satisfies readonly OcppProtocol[]) {
    test(`${protocol}: no InternalError; every answer is a CALLRESULT or a CALLERROR the station can act on`, async () => {
      let checked = 0;
      await fc.assert(
        fc.asyncProperty(message, async ({ action, payload }) => {
          if (validatePayload(protocol, action, 'Request', payload)) return; // schema errors: tested elsewhere
          checked++;
          const out = await dispatch(
            JSON.stringify([2, 'm1', action, payload]),
            { stationId: STATION, protocol, connectionId: 'c1', registrationAtConnect: 'Accepted' },
            deps,
          );
          const reply = JSON.parse(out.reply ?? 'null') as unknown[];
          assert.ok(Array.isArray(reply), `${action}: a reply`);
          if (reply[0] === 4) {
            assert.notEqual(
              reply[2],
              'InternalError',
              `${action} ${JSON.stringify(payload)}: ${JSON.stringify(reply)}`,
            );
          } else {
            assert.equal(reply[0], 3);
          }
        }),
        { numRuns: 400 },
      );
      assert.ok(checked > 100, `enough schema-valid cases (${checked})`);
    });
  }
});
