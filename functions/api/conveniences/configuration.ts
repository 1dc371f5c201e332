/** Configuration: read and change configuration keys (1.6) or variables (2.x). */
import { z } from 'zod';
import { getConfiguration, setConfiguration } from '../command-mapping/configuration.js';
import { commandQuery } from '../commands.js';
import { convenience, CommandQuery, newId } from './common.js';

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

// ---- operations ------------------------------------------------------------------------------

export const getStationConfiguration = convenience({
  id: 'getStationConfiguration',
  summary: 'Ask the station for configuration (1.6 GetConfiguration, 2.x GetVariables or GetBaseReport)',
  description:
    'Sends a command: the values are in the command response (`wait` to get them in this answer). ' +
    'In 2.x without keys the station reports its configuration inventory in NotifyReport messages, ' +
    'stored as the device model (GET /v1/stations/{id}/device-model).',
  query: ReadConfigurationQuery,
  build: (p, { query }) => getConfiguration(p, { keys: query.keys }, newId()),
});

export const readStationConfiguration = convenience({
  id: 'readStationConfiguration',
  summary: 'Ask the station for configuration, with 2.x component/variable pairs in a body',
  query: CommandQuery,
  body: ReadConfigurationRequest,
  build: (p, { body }) => getConfiguration(p, body, newId()),
});

export const setStationConfiguration = convenience({
  id: 'setStationConfiguration',
  summary: 'Change one configuration value (1.6 ChangeConfiguration, 2.x SetVariables)',
  query: CommandQuery,
  body: SetConfigurationRequest,
  build: (p, { body }) => setConfiguration(p, body),
});
