/**
 * Version-neutral commands: one request for every OCPP version, turned into the message of the
 * station's version by command-mapping.ts and sent through the command path. Each answers like
 * the raw route: 202 with the command, `wait`, `queue=false`, `Idempotency-Key`.
 */
import { randomInt } from 'node:crypto';
import { z } from 'zod';
import {
  cancelReservation,
  changeAvailability,
  clearCache,
  clearChargingProfile,
  dataTransfer,
  getCompositeSchedule,
  getConfiguration,
  getLocalListVersion,
  PROFILE_PURPOSES,
  remoteStart,
  remoteStop,
  reserveNow,
  reset,
  RESET_TYPES,
  setChargingProfile,
  setConfiguration,
  TRIGGER_MESSAGES,
  triggerMessage,
  unlock,
} from './command-mapping.js';
import {
  COMMAND_CONFLICTS,
  CommandHeaders,
  commandQuery,
  commandResponses,
  requestOf,
  sendCommand,
} from './commands.js';
import { operation } from './http.js';
import { IdTokenType } from './id-tokens.js';
import { StationIdParam, StationPath } from './path-ids.js';

/** A positive int32 for the ids the CSMS chooses (remoteStartId, reservation id, requestId). */
export const newId = (): number => randomInt(1, 2 ** 31 - 1);

// ---- schemas ---------------------------------------------------------------------------------

const EvseId = z.number().int().min(0).describe('EVSE id (in OCPP 1.6: the connectorId; 0 is the station).');
const PositiveEvseId = z.number().int().min(1).describe('EVSE id (in OCPP 1.6: the connectorId).');
const ConnectorId = z
  .number()
  .int()
  .min(1)
  .describe('Connector of the EVSE (2.x); in OCPP 1.6 every EVSE has connector 1 only.');
const IdTokenValue = z
  .string()
  .min(1)
  .max(36)
  .describe('The id token (2.0.1 idToken; a 1.6 idTag: at most 20).');
const Int32 = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);

const CommandQuery = z.strictObject(commandQuery);

export const ResetRequest = z
  .strictObject({
    type: z
      .enum(RESET_TYPES)
      .describe(
        '1.6: soft → Soft, hard and immediate → Hard (on-idle is refused). 2.x: on-idle → OnIdle, ' +
          'immediate, soft and hard → Immediate.',
      ),
    evseId: PositiveEvseId.optional().describe('2.x only: reset this EVSE instead of the station.'),
  })
  .meta({ id: 'ResetRequest' });

export const RemoteStartRequest = z
  .strictObject({
    idToken: IdTokenValue,
    idTokenType: IdTokenType.optional().describe('2.x only (default Central); a 1.6 idTag has no type.'),
    evseId: PositiveEvseId.optional(),
    connectorId: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('1.6 only: the connectorId (the same as evseId). 2.x starts on an EVSE.'),
    remoteStartId: Int32.optional().describe('2.x only; generated when absent.'),
    groupId: z.string().min(1).max(36).optional().describe('2.x only: groupIdToken (type Central).'),
    chargingProfile: z
      .record(z.string(), z.unknown())
      .optional()
      .describe("A TxProfile in the station's version's ChargingProfile schema."),
  })
  .meta({ id: 'RemoteStartRequest' });

export const RemoteStopRequest = z
  .strictObject({
    transactionId: z
      .union([z.string().min(1).max(36), z.number().int()])
      .transform(String)
      .describe('As in the transaction view (`id`); a 1.6 transaction id is an integer.'),
  })
  .meta({ id: 'RemoteStopRequest' });

export const UnlockRequest = z
  .strictObject({ evseId: PositiveEvseId, connectorId: ConnectorId.optional().describe('Default 1.') })
  .meta({ id: 'UnlockRequest' });

export const AvailabilityRequest = z
  .strictObject({
    operative: z.boolean().describe('true: Operative; false: Inoperative.'),
    evseId: PositiveEvseId.optional().describe('Absent: the whole station.'),
    connectorId: ConnectorId.optional(),
  })
  .meta({ id: 'AvailabilityRequest' });

const AttributeType = z
  .enum(['Actual', 'Target', 'MinSet', 'MaxSet'])
  .describe('2.x attribute; default Actual.');

export const ComponentRef = z
  .strictObject({
    name: z.string().min(1).max(50),
    instance: z.string().min(1).max(50).optional(),
    evse: z
      .strictObject({ id: z.number().int().min(0), connectorId: z.number().int().min(0).optional() })
      .optional(),
  })
  .meta({ id: 'ComponentRef', description: 'A 2.x component (ComponentType).' });

export const VariableRef = z
  .strictObject({ name: z.string().min(1).max(50), instance: z.string().min(1).max(50).optional() })
  .meta({ id: 'VariableRef', description: 'A 2.x variable (VariableType).' });

const componentInput = z.union([
  z
    .string()
    .min(1)
    .max(50)
    .transform((name) => ({ name })),
  ComponentRef,
]);
const variableInput = z.union([
  z
    .string()
    .min(1)
    .max(50)
    .transform((name) => ({ name })),
  VariableRef,
]);

export const ReadConfigurationRequest = z
  .strictObject({
    keys: z
      .array(z.string().min(1).max(100))
      .max(100)
      .optional()
      .describe('1.6 keys, or 2.x Component.Variable names.'),
    variables: z
      .array(
        z.strictObject({
          component: componentInput,
          variable: variableInput,
          attributeType: AttributeType.optional(),
        }),
      )
      .max(100)
      .optional()
      .describe('2.x only: variables with instances or EVSEs.'),
  })
  .meta({ id: 'ReadConfigurationRequest' });

const ReadConfigurationQuery = z.strictObject({
  keys: z
    .string()
    .optional()
    .transform((v) => (v ? v.split(',').filter((k) => k !== '') : undefined))
    .describe(
      'Comma-separated: 1.6 configuration keys, or 2.x Component.Variable names. Absent: every key ' +
        '(1.6 GetConfiguration) or the configuration inventory (2.x GetBaseReport, reported into the device model).',
    ),
  ...commandQuery,
});

export const SetConfigurationRequest = z
  .union([
    z.strictObject({
      key: z.string().min(1).max(100).describe('A 1.6 key, or a 2.x Component.Variable name.'),
      value: z.string().max(1000),
    }),
    z.strictObject({
      component: componentInput,
      variable: variableInput,
      value: z.string().max(1000),
      attributeType: AttributeType.optional(),
    }),
  ])
  .meta({ id: 'SetConfigurationRequest' });

export const TriggerRequest = z
  .strictObject({
    message: z
      .enum(TRIGGER_MESSAGES)
      .describe(
        'The message wanted; a name the version lacks is refused. DiagnosticsStatusNotification is ' +
          'LogStatusNotification in 2.x; LogStatusNotification and SignCertificate use the 1.6 ' +
          'ExtendedTriggerMessage.',
      ),
    evseId: EvseId.optional(),
    connectorId: ConnectorId.optional().describe(
      '2.x; a triggered StatusNotification defaults to connector 1.',
    ),
  })
  .meta({ id: 'TriggerRequest' });

export const DataTransferRequest = z
  .strictObject({
    vendorId: z.string().min(1).max(255),
    messageId: z.string().min(1).max(50).optional(),
    data: z.unknown().optional().describe('1.6: a string. 2.x: any JSON value.'),
  })
  .meta({ id: 'DataTransferRequest' });

export const ReserveRequest = z
  .strictObject({
    idToken: IdTokenValue,
    idTokenType: IdTokenType.optional().describe('2.x only (default ISO14443).'),
    expiresAt: z.iso
      .datetime({ offset: true })
      .transform((v) => new Date(v).toISOString())
      .describe('When the reservation ends.'),
    evseId: PositiveEvseId.optional().describe('Absent: any EVSE (1.6 connectorId 0).'),
    connectorType: z
      .string()
      .min(1)
      .max(20)
      .optional()
      .describe('2.x only, without evseId: any EVSE with this connector type.'),
    groupId: z.string().min(1).max(36).optional().describe('1.6 parentIdTag / 2.x groupIdToken.'),
    reservationId: Int32.optional().describe('Generated when absent; CancelReservation needs it.'),
  })
  .meta({ id: 'ReserveRequest' });

const ReservationPath = z.object({
  id: StationIdParam,
  reservationId: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

export const SetChargingProfileRequest = z
  .strictObject({
    evseId: EvseId.describe(
      '0: the station (ChargePointMaxProfile / ChargingStationMaxProfile, TxDefaultProfile for all EVSEs).',
    ),
    profile: z
      .record(z.string(), z.unknown())
      .describe(
        "A ChargingProfile in the station's version's schema (1.6 csChargingProfiles, 2.x chargingProfile).",
      ),
  })
  .meta({ id: 'SetChargingProfileRequest' });

const ProfilePath = z.object({ id: StationIdParam, profileId: z.coerce.number().int() });
const ClearProfilesQuery = z.strictObject({
  evseId: z.coerce.number().int().min(0).optional(),
  purpose: z
    .enum(PROFILE_PURPOSES)
    .optional()
    .describe('ChargePointMaxProfile and ChargingStationMaxProfile are the same.'),
  stackLevel: z.coerce.number().int().min(0).optional(),
  ...commandQuery,
});
const CompositeScheduleQuery = z.strictObject({
  evseId: z.coerce.number().int().min(0).describe('0: the grid connection of the whole station.'),
  duration: z.coerce.number().int().min(1).describe('Length of the schedule in seconds.'),
  unit: z.enum(['A', 'W']).optional(),
  ...commandQuery,
});

// ---- operations ------------------------------------------------------------------------------

const common = {
  params: StationPath,
  headers: CommandHeaders,
  responses: commandResponses,
  conflicts: COMMAND_CONFLICTS,
} as const;

export const resetStation = operation({
  ...common,
  id: 'resetStation',
  summary: 'Reset the station or one EVSE (1.6 Reset Soft/Hard, 2.x Reset Immediate/OnIdle)',
  query: CommandQuery,
  body: ResetRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => reset(p, body),
      query,
      headers,
      deps,
      requestOf('resetStation', { params, query, body }),
    );
  },
});

export const startTransaction = operation({
  ...common,
  id: 'startTransaction',
  summary: 'Start a transaction remotely (1.6 RemoteStartTransaction, 2.x RequestStartTransaction)',
  query: CommandQuery,
  body: RemoteStartRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => remoteStart(p, body, newId()),
      query,
      headers,
      deps,
      requestOf('startTransaction', { params, query, body }),
    );
  },
});

export const stopTransaction = operation({
  ...common,
  id: 'stopTransaction',
  summary: 'Stop a transaction remotely (1.6 RemoteStopTransaction, 2.x RequestStopTransaction)',
  query: CommandQuery,
  body: RemoteStopRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => remoteStop(p, body),
      query,
      headers,
      deps,
      requestOf('stopTransaction', { params, query, body }),
    );
  },
});

export const unlockConnector = operation({
  ...common,
  id: 'unlockConnector',
  summary: 'Unlock a connector (UnlockConnector)',
  query: CommandQuery,
  body: UnlockRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => unlock(p, body),
      query,
      headers,
      deps,
      requestOf('unlockConnector', { params, query, body }),
    );
  },
});

export const setAvailability = operation({
  ...common,
  id: 'setAvailability',
  summary: 'Make the station, an EVSE or a connector operative or inoperative (ChangeAvailability)',
  query: CommandQuery,
  body: AvailabilityRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => changeAvailability(p, body),
      query,
      headers,
      deps,
      requestOf('setAvailability', { params, query, body }),
    );
  },
});

export const getStationConfiguration = operation({
  ...common,
  id: 'getStationConfiguration',
  summary: 'Ask the station for configuration (1.6 GetConfiguration, 2.x GetVariables or GetBaseReport)',
  description:
    'Sends a command: the values are in the command response (`wait` to get them in this answer). ' +
    'In 2.x without keys the station reports its configuration inventory in NotifyReport messages, ' +
    'stored as the device model (GET /v1/stations/{id}/device-model).',
  query: ReadConfigurationQuery,
  async handle({ params, query, headers }, deps) {
    const { keys, ...rest } = query;
    return sendCommand(
      params.id,
      (p) => getConfiguration(p, { keys }, newId()),
      rest,
      headers,
      deps,
      requestOf('getStationConfiguration', { params, query }),
    );
  },
});

export const readStationConfiguration = operation({
  ...common,
  id: 'readStationConfiguration',
  summary: 'Ask the station for configuration, with 2.x component/variable pairs in a body',
  query: CommandQuery,
  body: ReadConfigurationRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => getConfiguration(p, body, newId()),
      query,
      headers,
      deps,
      requestOf('readStationConfiguration', { params, query, body }),
    );
  },
});

export const setStationConfiguration = operation({
  ...common,
  id: 'setStationConfiguration',
  summary: 'Change one configuration value (1.6 ChangeConfiguration, 2.x SetVariables)',
  query: CommandQuery,
  body: SetConfigurationRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => setConfiguration(p, body),
      query,
      headers,
      deps,
      requestOf('setStationConfiguration', { params, query, body }),
    );
  },
});

export const triggerStationMessage = operation({
  ...common,
  id: 'triggerStationMessage',
  summary: 'Ask the station to send a message now (TriggerMessage; 1.6 ExtendedTriggerMessage where needed)',
  query: CommandQuery,
  body: TriggerRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => triggerMessage(p, body),
      query,
      headers,
      deps,
      requestOf('triggerStationMessage', { params, query, body }),
    );
  },
});

export const clearStationCache = operation({
  ...common,
  id: 'clearStationCache',
  summary: "Clear the station's authorization cache (ClearCache)",
  query: CommandQuery,
  async handle({ params, query, headers }, deps) {
    return sendCommand(
      params.id,
      () => clearCache(),
      query,
      headers,
      deps,
      requestOf('clearStationCache', { params, query }),
    );
  },
});

export const sendDataTransfer = operation({
  ...common,
  id: 'sendDataTransfer',
  summary: 'Send vendor-specific data (DataTransfer)',
  query: CommandQuery,
  body: DataTransferRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      () => dataTransfer(body),
      query,
      headers,
      deps,
      requestOf('sendDataTransfer', { params, query, body }),
    );
  },
});

export const getLocalList = operation({
  ...common,
  id: 'getLocalList',
  summary: "Ask the station for its local authorization list's version (GetLocalListVersion)",
  query: CommandQuery,
  async handle({ params, query, headers }, deps) {
    return sendCommand(
      params.id,
      () => getLocalListVersion(),
      query,
      headers,
      deps,
      requestOf('getLocalList', { params, query }),
    );
  },
});

export const reserve = operation({
  ...common,
  id: 'reserve',
  summary: 'Reserve an EVSE (or any) for an id token (ReserveNow)',
  query: CommandQuery,
  body: ReserveRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => reserveNow(p, body, newId()),
      query,
      headers,
      deps,
      requestOf('reserve', { params, query, body }),
    );
  },
});

export const cancelStationReservation = operation({
  ...common,
  id: 'cancelReservation',
  summary: 'Cancel a reservation (CancelReservation)',
  params: ReservationPath,
  query: CommandQuery,
  async handle({ params, query, headers }, deps) {
    return sendCommand(
      params.id,
      () => cancelReservation(params.reservationId),
      query,
      headers,
      deps,
      requestOf('cancelReservation', { params, query }),
    );
  },
});

export const setStationChargingProfile = operation({
  ...common,
  id: 'setChargingProfile',
  summary: 'Install a charging profile (SetChargingProfile)',
  query: CommandQuery,
  body: SetChargingProfileRequest,
  async handle({ params, query, body, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => setChargingProfile(p, body),
      query,
      headers,
      deps,
      requestOf('setChargingProfile', { params, query, body }),
    );
  },
});

export const clearStationChargingProfile = operation({
  ...common,
  id: 'clearChargingProfile',
  summary: 'Remove one charging profile by id (ClearChargingProfile)',
  params: ProfilePath,
  query: CommandQuery,
  async handle({ params, query, headers }, deps) {
    return sendCommand(
      params.id,
      (p) => clearChargingProfile(p, { profileId: params.profileId }),
      query,
      headers,
      deps,
      requestOf('clearChargingProfile', { params, query }),
    );
  },
});

export const clearStationChargingProfiles = operation({
  ...common,
  id: 'clearChargingProfiles',
  summary: 'Remove the charging profiles that match every filter given (ClearChargingProfile)',
  query: ClearProfilesQuery,
  async handle({ params, query, headers }, deps) {
    const { evseId, purpose, stackLevel, ...rest } = query;
    return sendCommand(
      params.id,
      (p) => clearChargingProfile(p, { evseId, purpose, stackLevel }),
      rest,
      headers,
      deps,
      requestOf('clearChargingProfiles', { params, query }),
    );
  },
});

export const getStationCompositeSchedule = operation({
  ...common,
  id: 'getCompositeSchedule',
  summary: 'Ask the station for the schedule its charging profiles add up to (GetCompositeSchedule)',
  query: CompositeScheduleQuery,
  async handle({ params, query, headers }, deps) {
    const { evseId, duration, unit, ...rest } = query;
    return sendCommand(
      params.id,
      (p) => getCompositeSchedule(p, { evseId, duration, unit }),
      rest,
      headers,
      deps,
      requestOf('getCompositeSchedule', { params, query }),
    );
  },
});
