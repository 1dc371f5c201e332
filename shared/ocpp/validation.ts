/**
 * Payload validation against the official OCA JSON schemas, through the precompiled validators
 * in ./generated. Turns the first schema violation into the CALLERROR code the spec names
 * (OCPP-J 2.0.1 part 4 §4.3, 1.6 §4.2.3).
 */
import type { ValidateFunction, ValidationError } from './generated/validator-type.js';
import { OcppError, type OcppErrorCode } from './errors.js';
import type { OcppProtocol } from './versions.js';

type Validators = Readonly<Record<string, ValidateFunction>>;

/**
 * Each version's validators are imported on first use (issue 14): in a Lambda bundle each is a
 * chunk of its own (infra/bundling.ts), so a function loads only the versions it meets. The
 * specifiers are literals so that the bundler sees them.
 */
const LOADERS: Record<OcppProtocol, () => Promise<Validators>> = {
  'ocpp1.6': () => import('./generated/v16/validators.js'),
  'ocpp2.0.1': () => import('./generated/v201/validators.js'),
  'ocpp2.1': () => import('./generated/v21/validators.js'),
};

const loaded: Partial<Record<OcppProtocol, Validators>> = {};
const loading: Partial<Record<OcppProtocol, Promise<Validators>>> = {};

/**
 * Loads a version's validators (once per process). Every entry point awaits it before the
 * synchronous checks below, which throw for a version that was not loaded.
 */
export async function loadValidators(protocol: OcppProtocol): Promise<void> {
  if (loaded[protocol]) return;
  loading[protocol] ??= LOADERS[protocol]();
  loaded[protocol] = await loading[protocol];
}

/** Whether a version's validators are in memory (for tests of the lazy loading). */
export function validatorsLoaded(protocol: OcppProtocol): boolean {
  return loaded[protocol] !== undefined;
}

function validatorsOf(protocol: OcppProtocol): Validators {
  const validators = loaded[protocol];
  if (!validators)
    throw new Error(`${protocol} validators not loaded: await loadValidators('${protocol}') first`);
  return validators;
}

export type Direction = 'Request' | 'Response';

/** Whether the version's schema set has this action at all. */
export function isKnownAction(protocol: OcppProtocol, action: string): boolean {
  return Object.hasOwn(validatorsOf(protocol), `${action}Request`);
}

function codeFor(error: ValidationError): OcppErrorCode {
  switch (error.keyword) {
    case 'type':
      // The payload itself not being an object is a malformed message, not a field type error.
      return error.instancePath === '' ? 'FormatViolation' : 'TypeConstraintViolation';
    case 'required':
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties':
    case 'additionalItems':
    case 'dependencies':
      return 'OccurrenceConstraintViolation';
    case 'additionalProperties':
    case 'enum':
    case 'const':
    case 'pattern':
    case 'format':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
    case 'multipleOf':
    case 'minLength':
    case 'maxLength':
      return 'PropertyConstraintViolation';
    default:
      return 'FormatViolation';
  }
}

function describe(error: ValidationError): string {
  const where = error.instancePath || '(payload)';
  const extra =
    error.keyword === 'additionalProperties'
      ? ` '${String(error.params.additionalProperty)}'`
      : error.keyword === 'enum'
        ? `: ${JSON.stringify(error.params.allowedValues)}`
        : '';
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

/** Undefined when valid; otherwise the OcppError to answer with. */
export function validatePayload(
  protocol: OcppProtocol,
  action: string,
  direction: Direction,
  payload: unknown,
): OcppError | undefined {
  const validate = validatorsOf(protocol)[`${action}${direction}`];
  if (!validate) return new OcppError('NotImplemented', `Unknown action ${action}`);
  if (validate(payload)) return undefined;
  const first = validate.errors?.[0];
  if (!first) return new OcppError('FormatViolation', `${action}${direction} is invalid`);
  return new OcppError(codeFor(first), describe(first), {
    keyword: first.keyword,
    path: first.instancePath,
  });
}

/**
 * The schema violation of a payload (the first one: the validators stop there), with the field it
 * is about as a path inside the payload (`chargingProfile.chargingSchedule[0].chargingRateUnit`;
 * '' for the payload itself), or undefined when the payload is valid. Throws for an action the
 * version's schemas do not have.
 */
export function schemaViolation(
  protocol: OcppProtocol,
  action: string,
  direction: Direction,
  payload: unknown,
): { readonly field: string; readonly message: string; readonly code: OcppErrorCode } | undefined {
  const validate = validatorsOf(protocol)[`${action}${direction}`];
  if (!validate) throw new Error(`${protocol} has no schema for ${action}${direction}`);
  if (validate(payload)) return undefined;
  const first = validate.errors?.[0];
  if (!first) return { field: '', message: `${action}${direction} is invalid`, code: 'FormatViolation' };
  const segments = first.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  // The field a 'required' or 'additionalProperties' error is about is a child of instancePath.
  const child =
    first.keyword === 'required'
      ? first.params.missingProperty
      : first.keyword === 'additionalProperties'
        ? first.params.additionalProperty
        : undefined;
  if (typeof child === 'string') segments.push(child);
  const field = segments.reduce(
    (path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === '' ? s : `${path}.${s}`),
    '',
  );
  return { field, message: describe(first), code: codeFor(first) };
}
