/**
 * EventBridge's event pattern language, for the local bus (infra/local) and for checking the
 * filters partners send: one implementation, tested against the patterns the CDK app and the
 * webhook subscriptions emit (test/unit/event-pattern.test.ts).
 *
 * Supported: exact values (string, number, boolean, null), `prefix` / `suffix` (also with
 * `equals-ignore-case`), `anything-but` (values, a prefix, a suffix, equals-ignore-case, wildcard),
 * `numeric` (=, <, <=, >, >=, ranges), `exists`, `equals-ignore-case`, `wildcard`, `cidr` (IPv4)
 * and `$or`. A field holding an array matches when any element matches.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */

export type EventPattern = { readonly [field: string]: unknown };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** True when `event` (an EventBridge envelope, or any JSON object) matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function matchObject(pattern: Json, value: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as Json[]).some((alternative) => matchObject(alternative, value))) return false;
      continue;
    }
    const field = isObject(value) ? value[key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field)) return false;
    } else if (!matchObject(sub as Json, field)) {
      return false;
    }
  }
  return true;
}

function matchLeaf(matchers: readonly unknown[], field: unknown): boolean {
  const existence = matchers.find((m) => isObject(m) && 'exists' in m) as { exists: boolean } | undefined;
  if (existence) {
    const present = field !== undefined && !isObject(field);
    return existence.exists === present;
  }
  if (field === undefined) return false;
  const values = Array.isArray(field) ? field : [field];
  return values.some((value) => matchers.some((matcher) => matchValue(matcher, value)));
}

function matchValue(matcher: unknown, value: unknown): boolean {
  if (!isObject(matcher)) {
    if (typeof matcher === 'number' && typeof value === 'number') return matcher === value;
    return matcher === value;
  }
  const [operator, operand] = Object.entries(matcher)[0] ?? [];
  switch (operator) {
    case 'prefix':
      return typeof value === 'string' && affix(operand, value, (v, p) => v.startsWith(p));
    case 'suffix':
      return typeof value === 'string' && affix(operand, value, (v, s) => v.endsWith(s));
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === String(operand).toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && wildcard(String(operand)).test(value);
    case 'numeric':
      return typeof value === 'number' && numeric(operand as readonly unknown[], value);
    case 'cidr':
      return typeof value === 'string' && cidr(String(operand), value);
    case 'anything-but':
      return anythingBut(operand, value);
    default:
      return false;
  }
}

function affix(operand: unknown, value: string, test: (value: string, affix: string) => boolean): boolean {
  if (isObject(operand) && typeof operand['equals-ignore-case'] === 'string') {
    return test(value.toLowerCase(), operand['equals-ignore-case'].toLowerCase());
  }
  return typeof operand === 'string' && test(value, operand);
}

function anythingBut(operand: unknown, value: unknown): boolean {
  if (isObject(operand)) {
    // anything-but with an operator: true when that operator does not match.
    if (typeof value !== 'string') return false;
    const [op, arg] = Object.entries(operand)[0] ?? [];
    const args: unknown[] = Array.isArray(arg) ? arg : [arg];
    return !args.some((a) => matchValue({ [op ?? '']: a }, value));
  }
  const excluded = Array.isArray(operand) ? operand : [operand];
  return !excluded.some((e) => e === value);
}

function wildcard(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}

function numeric(conditions: readonly unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const op = conditions[i];
    const bound = conditions[i + 1] as number;
    const ok =
      op === '='
        ? value === bound
        : op === '<'
          ? value < bound
          : op === '<='
            ? value <= bound
            : op === '>'
              ? value > bound
              : op === '>='
                ? value >= bound
                : false;
    if (!ok) return false;
  }
  return true;
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function cidr(range: string, value: string): boolean {
  const [base, bitsText] = range.split('/');
  const start = ipv4(base ?? '');
  const address = ipv4(value);
  const bits = Number(bitsText ?? '32');
  if (start === undefined || address === undefined) return false;
  const size = 2 ** (32 - bits);
  return Math.floor(address / size) === Math.floor(start / size);
}

// ---- validation ------------------------------------------------------------------------------

const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'numeric',
  'cidr',
  'anything-but',
  'exists',
]);
const NUMERIC_OPS = new Set(['=', '<', '<=', '>', '>=']);

/** What is wrong with a pattern, as `{path, message}` (dotted path inside it); empty when valid. */
export function patternErrors(pattern: unknown, path = ''): { path: string; message: string }[] {
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  if (!isObject(pattern)) return [{ path, message: 'A pattern is a JSON object' }];
  if (Object.keys(pattern).length === 0) return [{ path, message: 'A pattern object must not be empty' }];
  const errors: { path: string; message: string }[] = [];
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) {
        errors.push({ path: at(key), message: '$or takes an array of at least two patterns' });
      } else sub.forEach((alt, i) => errors.push(...patternErrors(alt, at(`${key}.${i}`))));
    } else if (Array.isArray(sub)) {
      if (sub.length === 0) errors.push({ path: at(key), message: 'A list of matchers must not be empty' });
      sub.forEach((m, i) => {
        const message = matcherError(m);
        if (message) errors.push({ path: at(`${key}.${i}`), message });
      });
    } else if (isObject(sub)) {
      errors.push(...patternErrors(sub, at(key)));
    } else {
      errors.push({ path: at(key), message: 'A field takes a list of matchers or a nested pattern' });
    }
  }
  return errors;
}

function matcherError(matcher: unknown): string | undefined {
  if (!isObject(matcher)) {
    return ['string', 'number', 'boolean'].includes(typeof matcher) || matcher === null
      ? undefined
      : 'A matcher is a string, number, boolean, null or an operator object';
  }
  const entries = Object.entries(matcher);
  const [op, arg] = entries[0] ?? [];
  if (entries.length !== 1 || op === undefined || !OPERATORS.has(op)) {
    return `Unknown operator ${JSON.stringify(Object.keys(matcher))}; one of ${[...OPERATORS].join(', ')}`;
  }
  switch (op) {
    case 'exists':
      return typeof arg === 'boolean' ? undefined : 'exists takes true or false';
    case 'numeric': {
      const list = arg as unknown[];
      const ok =
        Array.isArray(list) &&
        list.length > 0 &&
        list.length % 2 === 0 &&
        list.every((x, i) => (i % 2 === 0 ? NUMERIC_OPS.has(x as string) : typeof x === 'number'));
      return ok ? undefined : 'numeric takes [operator, number, ...] with operators =, <, <=, >, >=';
    }
    case 'prefix':
    case 'suffix':
      return typeof arg === 'string' ||
        (isObject(arg) && typeof arg['equals-ignore-case'] === 'string' && Object.keys(arg).length === 1)
        ? undefined
        : `${op} takes a string or {"equals-ignore-case": string}`;
    case 'anything-but':
      if (isObject(arg)) return matcherError(arg);
      if (Array.isArray(arg)) {
        return arg.length > 0 && arg.every((x) => typeof x === 'string' || typeof x === 'number')
          ? undefined
          : 'anything-but takes a value, a list of values or an operator';
      }
      return typeof arg === 'string' || typeof arg === 'number'
        ? undefined
        : 'anything-but takes a value, a list of values or an operator';
    case 'cidr':
      return typeof arg === 'string' && /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(arg)
        ? undefined
        : 'cidr takes an IPv4 range such as 10.0.0.0/24';
    default:
      return typeof arg === 'string' ? undefined : `${op} takes a string`;
  }
}
