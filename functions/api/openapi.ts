/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the route table and each
 * operation's zod schemas (the one source of the contract): requests as zod parses them (`input`),
 * responses as the operations produce them (`output`). Schemas with a `meta({id})` become
 * components; an id whose input and output forms differ gets a second component, `{id}Input`.
 */
import { z } from 'zod';
import { ErrorResponse } from './errors.js';
import type { Operation, Route } from './http.js';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

export const OPENAPI_VERSION = '3.1.0';
const API_VERSION = '0.1.0';

function rewriteRefs(value: unknown, names: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, names));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')) {
        const name = v.slice('#/$defs/'.length);
        return [k, `#/components/schemas/${names.get(name) ?? name}`];
      }
      return [k, rewriteRefs(v, names)];
    }),
  );
}

/** Collects the components of every schema converted, keeping input and output forms apart. */
class Schemas {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: Io): JsonSchema {
    const converted = z.toJSONSchema(schema, { io, unrepresentable: 'any', cycles: 'ref' }) as JsonSchema;
    const { $schema: _schema, $defs, ...root } = converted;
    const defs = ($defs ?? {}) as Record<string, JsonSchema>;
    // A def keeps its id unless a different schema already has it; renaming one can change the
    // defs that refer to it, hence the loop.
    const names = new Map(Object.keys(defs).map((name) => [name, name]));
    for (let changed = true; changed;) {
      changed = false;
      for (const [name, def] of Object.entries(defs)) {
        const target = names.get(name) ?? name;
        const existing = this.components[target];
        if (existing && JSON.stringify(existing) !== JSON.stringify(rewriteRefs(def, names))) {
          const alternative = `${name}${io === 'input' ? 'Input' : 'Output'}`;
          if (target === alternative) throw new Error(`Two different schemas are both named ${alternative}`);
          names.set(name, alternative);
          changed = true;
        }
      }
    }
    for (const [name, def] of Object.entries(defs)) {
      this.components[names.get(name) ?? name] = rewriteRefs(def, names) as JsonSchema;
    }
    return rewriteRefs(root, names) as JsonSchema;
  }
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

function parametersOf(
  schemas: Schemas,
  schema: z.ZodType | undefined,
  place: 'query' | 'header',
): Parameter[] {
  if (!schema) return [];
  const json = schemas.convert(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      // Header names are case-insensitive; the schemas use the lower case that API Gateway delivers.
      name:
        place === 'header'
          ? name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())
          : name,
      in: place,
      required: required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function pathParameters(schemas: Schemas, route: Route): Parameter[] {
  const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const declared = route.operation.params
    ? ((schemas.convert(route.operation.params, 'input').properties ?? {}) as Record<string, JsonSchema>)
    : {};
  return names.map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: declared[name] ?? { type: 'string' },
  }));
}

const SUCCESS_DESCRIPTIONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted: not final yet; follow it at the Location URL (GET /v1/commands/{id}?wait=...)',
};

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'invalid_request: the body, a query parameter, a header or a path parameter is invalid (`fields` names each one)',
  401: 'unauthorized: no valid API key',
  404: 'not_found',
  413: 'payload_too_large: the body exceeds 5 MiB',
  415: 'unsupported_media_type: the body is not sent as application/json (or a +json type)',
  422: 'idempotency_key_reused: the Idempotency-Key was already used for a different request (IETF Idempotency-Key draft)',
  409: 'conflict, station_offline (the station is not connected and queue=false) or protocol_unknown (the station never connected and is not pinned to a version)',
  500: 'internal: the details are in the logs only',
};

function errorStatuses(route: Route): number[] {
  const op = route.operation;
  const statuses = [400];
  if (!route.public) statuses.push(401);
  if (route.path.includes('{')) statuses.push(404);
  if (op.conflicts) statuses.push(409);
  if (op.body) statuses.push(413, 415);
  if (op.headers instanceof z.ZodObject && 'idempotency-key' in op.headers.shape) statuses.push(422);
  statuses.push(500);
  return statuses;
}

function operationObject(schemas: Schemas, route: Route, errorRef: JsonSchema): Record<string, unknown> {
  const op: Operation = route.operation;
  const parameters = [
    ...pathParameters(schemas, route),
    ...parametersOf(schemas, op.query, 'query'),
    ...parametersOf(schemas, op.headers, 'header'),
  ];
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(op.responses)) {
    responses[status] = schema
      ? {
          description: schema.description ?? SUCCESS_DESCRIPTIONS[Number(status)] ?? 'OK',
          content: { [op.produces ?? 'application/json']: { schema: schemas.convert(schema, 'output') } },
        }
      : { description: 'No content' };
  }
  for (const status of errorStatuses(route)) {
    responses[String(status)] = {
      description: status === 409 && op.conflicts ? op.conflicts : (ERROR_DESCRIPTIONS[status] ?? 'error'),
      content: { 'application/json': { schema: errorRef } },
    };
  }
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: [(route.path.split('/')[2] ?? 'health').replace(/\..*$/, '')],
    ...(route.public ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
          requestBody: {
            required: !op.bodyOptional,
            content: { 'application/json': { schema: schemas.convert(op.body, 'input') } },
          },
        }
      : {}),
    responses,
  };
}

/** The OpenAPI document of these routes. */
export function openApiDocument(routes: readonly Route[]): Record<string, unknown> {
  const schemas = new Schemas();
  const errorRef = schemas.convert(ErrorResponse, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = new Set<string>();
  for (const route of routes) {
    if (ids.has(route.operation.id)) throw new Error(`operationId ${route.operation.id} is used twice`);
    ids.add(route.operation.id);
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operationObject(schemas, route, errorRef);
  }
  return {
    openapi: OPENAPI_VERSION,
    info: {
      title: 'OCPP Serverless CSMS HTTP API',
      version: API_VERSION,
      description:
        'Provisioning, queries and remote commands of the CSMS. Every route but GET /health needs ' +
        '`Authorization: Bearer <API key>`. Errors are `{"error": {"code", "message", "fields"?}}`.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API key of the CSMS.' } },
      schemas: schemas.components,
    },
  };
}
