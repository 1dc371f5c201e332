/**
 * Validation in the browser, before anything is sent, from the same JSON Schemas the API uses:
 * the HTTP API's request bodies from its OpenAPI document (GET /v1/openapi.json), and OCPP
 * payloads from the official OCA schemas (shipped in the ocpp-rpc package; the command path
 * validates against the same ones). Loaded on demand: the first page does not carry them.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { api, type FieldError } from './api/client';

export type Protocol = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

/** A dotted field path (`evse.id`) and a message, as the API's own 400s name fields. */
export function fieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  return (errors ?? []).map((e) => {
    const base = e.instancePath.split('/').filter(Boolean);
    const params = e.params as { missingProperty?: string; additionalProperty?: string };
    const extra = params.missingProperty ?? params.additionalProperty;
    const path = [...base, ...(extra ? [extra] : [])].join('.');
    const message =
      e.keyword === 'required'
        ? 'is required'
        : e.keyword === 'additionalProperties'
          ? 'is not a field of this message'
          : (e.message ?? 'is invalid');
    return { path, message };
  });
}

let openApiDoc: Promise<Record<string, unknown>> | undefined;

function loadOpenApiDoc(): Promise<Record<string, unknown>> {
  openApiDoc ??= api<Record<string, unknown>>('GET', '/v1/openapi.json');
  openApiDoc.catch(() => (openApiDoc = undefined));
  return openApiDoc;
}

/** The values of an enum schema of the API (`components.schemas[name].enum`), e.g. WebhookEventType. */
export async function apiEnum(name: string): Promise<string[]> {
  const doc = (await loadOpenApiDoc()) as { components?: { schemas?: Record<string, { enum?: unknown }> } };
  const values = doc.components?.schemas?.[name]?.enum;
  if (!Array.isArray(values)) throw new Error(`The API has no enum ${name}`);
  return values.filter((v): v is string => typeof v === 'string');
}

let openApi: Promise<(name: string) => ValidateFunction> | undefined;

function loadOpenApi(): Promise<(name: string) => ValidateFunction> {
  openApi ??= (async () => {
    const [{ default: Ajv2020 }, { default: addFormats }, doc] = await Promise.all([
      import('ajv/dist/2020'),
      import('ajv-formats'),
      loadOpenApiDoc(),
    ]);
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi');
    return (name: string) => {
      const validate = ajv.getSchema(`openapi#/components/schemas/${name}`);
      if (!validate) throw new Error(`The API has no schema ${name}`);
      return validate;
    };
  })();
  openApi.catch(() => (openApi = undefined));
  return openApi;
}

/** Field errors of an API request body (the OpenAPI component `schema`, e.g. RemoteStartRequest). */
export async function validateApiBody(schema: string, body: unknown): Promise<FieldError[]> {
  const validate = (await loadOpenApi())(schema);
  return validate(body) ? [] : fieldErrors(validate.errors);
}

interface OcppSchema {
  $id: string;
  properties?: Record<string, unknown>;
  required?: string[];
  [key: string]: unknown;
}

const ocppSets = new Map<
  Protocol,
  Promise<{ validate: (a: string) => ValidateFunction; schemas: OcppSchema[] }>
>();

async function schemaSet(protocol: Protocol): Promise<OcppSchema[]> {
  if (protocol === 'ocpp1.6') return (await import('ocpp-rpc/lib/schemas/ocpp1_6.json')).default;
  if (protocol === 'ocpp2.0.1') return (await import('ocpp-rpc/lib/schemas/ocpp2_0_1.json')).default;
  return (await import('ocpp-rpc/lib/schemas/ocpp2_1.json')).default;
}

/** The schema's name without its `urn:` prefix (Ajv cannot resolve URNs without a namespace id). */
function requestKey(protocol: Protocol, action: string): string {
  return protocol === 'ocpp2.1' ? `${action}Request` : `${action}.req`;
}

function loadOcpp(protocol: Protocol) {
  let set = ocppSets.get(protocol);
  if (!set) {
    set = (async () => {
      const [{ default: Ajv }, { default: addFormats }, schemas] = await Promise.all([
        import('ajv'),
        import('ajv-formats'),
        schemaSet(protocol),
      ]);
      const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
      addFormats(ajv);
      for (const { $id, ...schema } of schemas) ajv.addSchema(schema, $id.replace(/^urn:/, ''));
      return {
        schemas,
        validate: (action: string) => {
          const validate = ajv.getSchema(requestKey(protocol, action));
          if (!validate) throw new Error(`${protocol} has no message ${action}`);
          return validate;
        },
      };
    })();
    ocppSets.set(protocol, set);
  }
  return set;
}

/** Field errors of an OCPP request payload of `action` in `protocol`. */
export async function validateOcpp(
  protocol: Protocol,
  action: string,
  payload: unknown,
): Promise<FieldError[]> {
  const validate = (await loadOcpp(protocol)).validate(action);
  return validate(payload) ? [] : fieldErrors(validate.errors);
}

/** A payload with every required field of the message, as a starting point for the form. */
export async function ocppTemplate(protocol: Protocol, action: string): Promise<Record<string, unknown>> {
  const { schemas } = await loadOcpp(protocol);
  const schema = schemas.find((s) => s.$id === `urn:${requestKey(protocol, action)}`);
  if (!schema) return {};
  return skeleton(schema, schema) as Record<string, unknown>;
}

function skeleton(node: unknown, root: OcppSchema, depth = 0): unknown {
  if (depth > 6 || node === null || typeof node !== 'object') return null;
  const n = node as Record<string, unknown>;
  if (typeof n.$ref === 'string') {
    const name = n.$ref.split('/').pop() ?? '';
    const defs = (root.definitions ?? root.$defs ?? {}) as Record<string, unknown>;
    return skeleton(defs[name], root, depth + 1);
  }
  if (Array.isArray(n.enum)) return n.enum[0];
  switch (n.type) {
    case 'object': {
      const props = (n.properties ?? {}) as Record<string, unknown>;
      const required = (n.required ?? []) as string[];
      return Object.fromEntries(
        required.filter((k) => k !== 'customData').map((k) => [k, skeleton(props[k], root, depth + 1)]),
      );
    }
    case 'array':
      return (n.minItems as number | undefined) ? [skeleton(n.items, root, depth + 1)] : [];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'string':
      return n.format === 'date-time' ? new Date().toISOString() : '';
    default:
      return null;
  }
}
