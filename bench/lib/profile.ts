/**
 * The station profile every benchmark drives: one station, always connected, that
 *  - sends a Heartbeat every HeartbeatInterval (the interval the CSMS answers to BootNotification),
 *    whether or not other messages were sent in between (the conservative reading of 1.6 §4.6);
 *  - charges 4 times a day, 1 hour each (sessions start at 00:30, 06:30, 12:30 and 18:30), with a
 *    meter reading every 60 s and StatusNotifications around each session;
 *  - is disconnected by API Gateway every 2 hours (its maximum connection duration) and reconnects
 *    at once, without a new BootNotification.
 * Message sequence of a session:
 *  - OCPP 1.6: StatusNotification Preparing, Authorize, StartTransaction, StatusNotification
 *    Charging, 60 × MeterValues (Energy.Active.Import.Register + Power.Active.Import),
 *    StopTransaction, StatusNotification Finishing, StatusNotification Available: 67 messages.
 *  - OCPP 2.0.1: StatusNotification Occupied, Authorize, TransactionEvent Started, 59 ×
 *    TransactionEvent Updated (meter values), TransactionEvent Ended, StatusNotification
 *    Available: 64 messages.
 * Times are simulated: a day can be run in seconds, with the payloads' timestamps advancing as
 * if it took a day.
 */

export type Protocol = 'ocpp1.6' | 'ocpp2.0.1';

export const DAY_SECONDS = 86_400;
/** 730 hours: the month AWS prices are quoted for. */
export const DAYS_PER_MONTH = 730 / 24;
export const SESSIONS_PER_DAY = 4;
export const SESSION_SECONDS = 3_600;
export const METER_INTERVAL_SECONDS = 60;
/** API Gateway closes every WebSocket connection after 2 hours. */
export const CONNECTION_SECONDS = 7_200;
export const SESSION_STARTS = [1_800, 23_400, 45_000, 66_600];
export const ID_TAG = 'BENCH0001';
/** Energy per minute of charging at 11 kW. */
const WH_PER_MINUTE = 183;

export type Step =
  | { readonly at: number; readonly kind: 'reconnect' }
  | {
      readonly at: number;
      readonly kind: 'call';
      readonly build: (state: StationState) => [string, object];
      /** A periodic message (Heartbeat, meter values): a station that is late sends the next one, not every missed one. */
      readonly periodic?: boolean;
    };

/** What a station remembers between messages. */
export interface StationState {
  /** Simulated epoch ms of simulated second 0. */
  readonly epochMs: number;
  meterWh: number;
  /** 1.6: from the StartTransaction answer; 2.0.1: chosen by the station. */
  transactionId: number | string | undefined;
  seqNo: number;
  /** Seconds, from the BootNotification answer. */
  heartbeatInterval: number;
}

export function newState(epochMs: number): StationState {
  return { epochMs, meterWh: 1_000_000, transactionId: undefined, seqNo: 0, heartbeatInterval: 300 };
}

const iso = (state: StationState, at: number): string => new Date(state.epochMs + at * 1000).toISOString();

export function bootNotification(protocol: Protocol, stationId: string): [string, object] {
  return protocol === 'ocpp1.6'
    ? [
        'BootNotification',
        {
          chargePointVendor: 'Bench',
          chargePointModel: 'Sim-22',
          chargePointSerialNumber: `SN-${stationId}`,
          firmwareVersion: '1.0.0',
        },
      ]
    : [
        'BootNotification',
        {
          reason: 'PowerUp',
          chargingStation: {
            vendorName: 'Bench',
            model: 'Sim-22',
            serialNumber: `SN-${stationId}`,
            firmwareVersion: '1.0.0',
          },
        },
      ];
}

/** The station's connector is Available after the boot (not part of a day). */
export function initialStatus(protocol: Protocol, state: StationState, at: number): [string, object] {
  return status(protocol, state, at, 'Available');
}

function status(protocol: Protocol, state: StationState, at: number, value: string): [string, object] {
  return protocol === 'ocpp1.6'
    ? [
        'StatusNotification',
        { connectorId: 1, errorCode: 'NoError', status: value, timestamp: iso(state, at) },
      ]
    : [
        'StatusNotification',
        { timestamp: iso(state, at), connectorStatus: value, evseId: 1, connectorId: 1 },
      ];
}

/**
 * The steps of day `day` (0-based) in simulated seconds from the station's second 0, in order.
 * `heartbeatInterval` comes from the CSMS.
 */
export function daySteps(protocol: Protocol, day: number, heartbeatInterval: number, phase = 0): Step[] {
  const base = day * DAY_SECONDS;
  const steps: Step[] = [];
  // Every time below is absolute: seconds from the station's second 0.
  const call: Call = (at, build, periodic) => steps.push({ at, kind: 'call', build, periodic });

  // Heartbeats on their own grid, from the first boot on.
  const first = Math.ceil((base - phase) / heartbeatInterval);
  for (let k = Math.max(1, first); phase + k * heartbeatInterval < base + DAY_SECONDS; k++) {
    call(phase + k * heartbeatInterval, () => ['Heartbeat', {}], true);
  }
  // API Gateway's 2-hour limit: 12 reconnects a day.
  for (let at = CONNECTION_SECONDS; at <= DAY_SECONDS; at += CONNECTION_SECONDS) {
    steps.push({ at: base + at - 1e-3, kind: 'reconnect' });
  }
  for (const start of SESSION_STARTS) {
    if (protocol === 'ocpp1.6') session16(base + start, call);
    else session201(base + start, call);
  }
  return steps.sort((a, b) => a.at - b.at);
}

type Call = (at: number, build: (s: StationState) => [string, object], periodic?: boolean) => void;

function session16(start: number, call: Call): void {
  call(start, (s) => status('ocpp1.6', s, start, 'Preparing'));
  call(start + 5, () => ['Authorize', { idTag: ID_TAG }]);
  call(start + 10, (s) => [
    'StartTransaction',
    { connectorId: 1, idTag: ID_TAG, meterStart: s.meterWh, timestamp: iso(s, start + 10) },
  ]);
  call(start + 11, (s) => status('ocpp1.6', s, start + 11, 'Charging'));
  for (let m = 1; m <= SESSION_SECONDS / METER_INTERVAL_SECONDS; m++) {
    const at = start + 10 + m * METER_INTERVAL_SECONDS - 1;
    call(
      at,
      (s) => {
        s.meterWh += WH_PER_MINUTE;
        return [
          'MeterValues',
          {
            connectorId: 1,
            transactionId: s.transactionId,
            meterValue: [
              {
                timestamp: iso(s, at),
                sampledValue: [
                  {
                    value: String(s.meterWh),
                    context: 'Sample.Periodic',
                    measurand: 'Energy.Active.Import.Register',
                    unit: 'Wh',
                  },
                  { value: '11000', context: 'Sample.Periodic', measurand: 'Power.Active.Import', unit: 'W' },
                ],
              },
            ],
          },
        ];
      },
      true,
    );
  }
  const end = start + 10 + SESSION_SECONDS + 1;
  call(end, (s) => [
    'StopTransaction',
    {
      transactionId: s.transactionId,
      idTag: ID_TAG,
      meterStop: s.meterWh,
      timestamp: iso(s, end),
      reason: 'Local',
    },
  ]);
  call(end + 1, (s) => status('ocpp1.6', s, end + 1, 'Finishing'));
  call(end + 30, (s) => status('ocpp1.6', s, end + 30, 'Available'));
}

function session201(start: number, call: Call): void {
  const idToken = { idToken: ID_TAG, type: 'ISO14443' };
  const sample = (s: StationState, at: number, context: string) => ({
    timestamp: iso(s, at),
    sampledValue: [
      { value: s.meterWh, context, measurand: 'Energy.Active.Import.Register' },
      ...(context === 'Sample.Periodic' ? [{ value: 11000, context, measurand: 'Power.Active.Import' }] : []),
    ],
  });
  call(start, (s) => status('ocpp2.0.1', s, start, 'Occupied'));
  call(start + 5, () => ['Authorize', { idToken }]);
  call(start + 10, (s) => {
    s.transactionId = `tx-${Math.floor(s.epochMs / 1000) + start}`;
    s.seqNo = 0;
    return [
      'TransactionEvent',
      {
        eventType: 'Started',
        timestamp: iso(s, start + 10),
        triggerReason: 'Authorized',
        seqNo: s.seqNo++,
        transactionInfo: { transactionId: s.transactionId, chargingState: 'Charging' },
        evse: { id: 1, connectorId: 1 },
        idToken,
        meterValue: [sample(s, start + 10, 'Transaction.Begin')],
      },
    ];
  });
  const updates = SESSION_SECONDS / METER_INTERVAL_SECONDS - 1;
  for (let m = 1; m <= updates; m++) {
    const at = start + 10 + m * METER_INTERVAL_SECONDS;
    call(
      at,
      (s) => {
        s.meterWh += WH_PER_MINUTE;
        return [
          'TransactionEvent',
          {
            eventType: 'Updated',
            timestamp: iso(s, at),
            triggerReason: 'MeterValuePeriodic',
            seqNo: s.seqNo++,
            transactionInfo: { transactionId: s.transactionId },
            meterValue: [sample(s, at, 'Sample.Periodic')],
          },
        ];
      },
      true,
    );
  }
  const end = start + 10 + SESSION_SECONDS;
  call(end, (s) => {
    s.meterWh += WH_PER_MINUTE;
    return [
      'TransactionEvent',
      {
        eventType: 'Ended',
        timestamp: iso(s, end),
        triggerReason: 'StopAuthorized',
        seqNo: s.seqNo++,
        transactionInfo: { transactionId: s.transactionId, stoppedReason: 'Local', chargingState: 'Idle' },
        idToken,
        meterValue: [sample(s, end, 'Transaction.End')],
      },
    ];
  });
  call(end + 30, (s) => status('ocpp2.0.1', s, end + 30, 'Available'));
}

/** Reads what a station keeps from an answer (the 1.6 transaction id, the heartbeat interval). */
export function onAnswer(state: StationState, action: string, payload: any): void {
  if (action === 'StartTransaction' && typeof payload?.transactionId === 'number') {
    state.transactionId = payload.transactionId;
  } else if (action === 'BootNotification' && typeof payload?.interval === 'number' && payload.interval > 0) {
    state.heartbeatInterval = payload.interval;
  }
}

/** Messages per day of the profile, by action (for the report). */
export function messagesPerDay(protocol: Protocol, heartbeatInterval: number): Record<string, number> {
  const counts: Record<string, number> = {};
  const state = newState(0);
  for (const step of daySteps(protocol, 1, heartbeatInterval)) {
    if (step.kind !== 'call') continue;
    const [action] = step.build(state);
    counts[action] = (counts[action] ?? 0) + 1;
  }
  return counts;
}
