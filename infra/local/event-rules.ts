/**
 * The local bus's rules and the EventBridge control-plane operations the api function calls for
 * webhook subscriptions (PutRule, PutTargets, CreateConnection, CreateApiDestination, ...; see
 * shared/webhooks/control-plane.ts), with EventBridge's names, ARNs and error types. Rules whose
 * pattern matches an event hand it to their targets (./webhook-delivery.ts for API destinations).
 *
 * Connections keep their secrets here as EventBridge keeps them in Secrets Manager: in
 * `{dataDir}/webhooks/control-plane.json` (mode 0600, like the API token file); never logged.
 */
import { writeFileSync, readFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CreateConnectionAuthRequestParameters, Target } from '@aws-sdk/client-eventbridge';
import { matchesPattern, patternErrors, type EventPattern } from '../../shared/webhooks/pattern.js';

export interface LocalConnection {
  readonly name: string;
  readonly arn: string;
  readonly authorizationType: string;
  /** The request's AuthParameters (secrets included: the local Secrets Manager). */
  readonly authParameters: CreateConnectionAuthRequestParameters;
}

export interface LocalApiDestination {
  readonly name: string;
  readonly arn: string;
  readonly connectionArn: string;
  readonly endpoint: string;
  readonly httpMethod: string;
}

export interface LocalTarget {
  readonly id: string;
  readonly arn: string;
  readonly roleArn?: string | undefined;
  readonly deadLetterArn?: string | undefined;
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeSeconds: number;
}

export interface LocalRule {
  readonly name: string;
  readonly arn: string;
  readonly pattern: EventPattern;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string | undefined;
  readonly targets: LocalTarget[];
}

/** An error EventBridge answers with HTTP 400 and `__type`. */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

interface State {
  rules: LocalRule[];
  connections: LocalConnection[];
  destinations: LocalApiDestination[];
}

const str = (request: Record<string, unknown>, field: string): string => {
  const value = request[field];
  if (typeof value !== 'string' || value === '') {
    throw new ServiceError(
      'ValidationException',
      `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`,
    );
  }
  return value;
};

const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

export class LocalEventRules {
  readonly #state: State = { rules: [], connections: [], destinations: [] };
  readonly #arnPrefix: string;

  constructor(
    private readonly busName: string,
    region: string,
    account: string,
    /** Where the control plane persists; undefined keeps it in memory. */
    private readonly file?: string | undefined,
  ) {
    this.#arnPrefix = `arn:aws:events:${region}:${account}`;
    if (file) {
      try {
        Object.assign(this.#state, JSON.parse(readFileSync(file, 'utf8')) as State);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }

  /** Enabled rules whose pattern matches, optionally only those in `filterArns` (replays). */
  matching(event: unknown, filterArns?: readonly string[]): LocalRule[] {
    return this.#state.rules.filter(
      (rule) =>
        rule.state === 'ENABLED' &&
        (!filterArns || filterArns.includes(rule.arn)) &&
        matchesPattern(rule.pattern, event),
    );
  }

  /** Adds a rule from code (rules the topology declares, e.g. with a Lambda target). */
  addRule(rule: Omit<LocalRule, 'arn'>): LocalRule {
    const full = { ...rule, arn: this.ruleArn(rule.name) };
    this.#state.rules = [...this.#state.rules.filter((r) => r.name !== rule.name), full];
    return full;
  }

  rule(name: string): LocalRule | undefined {
    return this.#state.rules.find((r) => r.name === name);
  }

  destination(arn: string): LocalApiDestination | undefined {
    return this.#state.destinations.find((d) => d.arn === arn);
  }

  connection(arn: string): LocalConnection | undefined {
    return this.#state.connections.find((c) => c.arn === arn);
  }

  ruleArn(name: string): string {
    return `${this.#arnPrefix}:rule/${this.busName}/${name}`;
  }

  /** The operations this class serves, by X-Amz-Target (`AWSEvents.PutRule`). */
  operations(): Record<string, (request: Record<string, unknown>) => unknown> {
    return {
      'AWSEvents.PutRule': (r) => this.putRule(r),
      'AWSEvents.DeleteRule': (r) => this.deleteRule(r),
      'AWSEvents.PutTargets': (r) => this.putTargets(r),
      'AWSEvents.RemoveTargets': (r) => this.removeTargets(r),
      'AWSEvents.CreateConnection': (r) => this.putConnection(r, 'create'),
      'AWSEvents.UpdateConnection': (r) => this.putConnection(r, 'update'),
      'AWSEvents.DeleteConnection': (r) => this.deleteNamed(r, 'connections', 'Connection'),
      'AWSEvents.CreateApiDestination': (r) => this.putDestination(r, 'create'),
      'AWSEvents.UpdateApiDestination': (r) => this.putDestination(r, 'update'),
      'AWSEvents.DeleteApiDestination': (r) => this.deleteNamed(r, 'destinations', 'ApiDestination'),
    };
  }

  private checkBus(request: Record<string, unknown>): void {
    const bus = request.EventBusName;
    if (bus !== undefined && bus !== this.busName && bus !== `${this.#arnPrefix}:event-bus/${this.busName}`) {
      throw new ServiceError('ResourceNotFoundException', `Event bus ${JSON.stringify(bus)} does not exist.`);
    }
  }

  private putRule(request: Record<string, unknown>): unknown {
    this.checkBus(request);
    const name = str(request, 'Name');
    if (!NAME.test(name)) throw new ServiceError('ValidationException', `Rule name ${name} is not valid.`);
    let pattern: unknown;
    try {
      pattern = JSON.parse(str(request, 'EventPattern'));
    } catch {
      throw new ServiceError('InvalidEventPatternException', 'Event pattern is not valid JSON.');
    }
    const errors = patternErrors(pattern);
    if (errors.length > 0) {
      throw new ServiceError(
        'InvalidEventPatternException',
        `Event pattern is not valid. Reason: ${errors[0]?.path} ${errors[0]?.message}`,
      );
    }
    const existing = this.rule(name);
    const rule = this.addRule({
      name,
      pattern: pattern as EventPattern,
      state: request.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
      description: typeof request.Description === 'string' ? request.Description : undefined,
      targets: existing?.targets ?? [],
    });
    this.save();
    return { RuleArn: rule.arn };
  }

  private deleteRule(request: Record<string, unknown>): unknown {
    this.checkBus(request);
    const rule = this.rule(str(request, 'Name'));
    if (rule && rule.targets.length > 0) {
      throw new ServiceError('ValidationException', "Rule can't be deleted since it has targets.");
    }
    this.#state.rules = this.#state.rules.filter((r) => r !== rule);
    this.save();
    return {};
  }

  private putTargets(request: Record<string, unknown>): unknown {
    this.checkBus(request);
    const rule = this.rule(str(request, 'Rule'));
    if (!rule)
      throw new ServiceError(
        'ResourceNotFoundException',
        `Rule ${String(request.Rule)} does not exist on EventBus ${this.busName}.`,
      );
    const targets = (Array.isArray(request.Targets) ? request.Targets : []) as Target[];
    const failed: unknown[] = [];
    for (const t of targets) {
      if (typeof t.Id !== 'string' || typeof t.Arn !== 'string') {
        failed.push({
          TargetId: t.Id,
          ErrorCode: 'ValidationException',
          ErrorMessage: 'Id and Arn are required',
        });
        continue;
      }
      if (t.Arn.includes(':api-destination/') && !this.destination(t.Arn)) {
        failed.push({
          TargetId: t.Id,
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `${t.Arn} does not exist`,
        });
        continue;
      }
      const target: LocalTarget = {
        id: t.Id,
        arn: t.Arn,
        roleArn: t.RoleArn,
        deadLetterArn: t.DeadLetterConfig?.Arn,
        // EventBridge's defaults for a rule target: 185 attempts, 24 hours.
        maximumRetryAttempts: t.RetryPolicy?.MaximumRetryAttempts ?? 185,
        maximumEventAgeSeconds: t.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400,
      };
      rule.targets.splice(0, rule.targets.length, ...rule.targets.filter((x) => x.id !== target.id), target);
    }
    this.save();
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  private removeTargets(request: Record<string, unknown>): unknown {
    this.checkBus(request);
    const rule = this.rule(str(request, 'Rule'));
    if (!rule)
      throw new ServiceError('ResourceNotFoundException', `Rule ${String(request.Rule)} does not exist.`);
    const ids = (Array.isArray(request.Ids) ? request.Ids : []) as string[];
    rule.targets.splice(0, rule.targets.length, ...rule.targets.filter((t) => !ids.includes(t.id)));
    this.save();
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  private putConnection(request: Record<string, unknown>, mode: 'create' | 'update'): unknown {
    const name = str(request, 'Name');
    const existing = this.#state.connections.find((c) => c.name === name);
    if (mode === 'create' && existing)
      throw new ServiceError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
    if (mode === 'update' && !existing)
      throw new ServiceError('ResourceNotFoundException', `Connection ${name} does not exist.`);
    const connection: LocalConnection = {
      name,
      arn: existing?.arn ?? `${this.#arnPrefix}:connection/${name}/${crypto.randomUUID()}`,
      authorizationType:
        typeof request.AuthorizationType === 'string'
          ? request.AuthorizationType
          : (existing?.authorizationType ?? ''),
      authParameters:
        (request.AuthParameters as CreateConnectionAuthRequestParameters | undefined) ??
        existing?.authParameters ??
        {},
    };
    this.#state.connections = [...this.#state.connections.filter((c) => c.name !== name), connection];
    this.save();
    return { ConnectionArn: connection.arn, ConnectionState: 'AUTHORIZED' };
  }

  private putDestination(request: Record<string, unknown>, mode: 'create' | 'update'): unknown {
    const name = str(request, 'Name');
    const existing = this.#state.destinations.find((d) => d.name === name);
    if (mode === 'create' && existing)
      throw new ServiceError('ResourceAlreadyExistsException', `ApiDestination ${name} already exists.`);
    if (mode === 'update' && !existing)
      throw new ServiceError('ResourceNotFoundException', `ApiDestination ${name} does not exist.`);
    const connectionArn =
      typeof request.ConnectionArn === 'string' ? request.ConnectionArn : existing?.connectionArn;
    if (!connectionArn || !this.connection(connectionArn)) {
      throw new ServiceError(
        'ResourceNotFoundException',
        `Connection ${String(connectionArn)} does not exist.`,
      );
    }
    const destination: LocalApiDestination = {
      name,
      arn: existing?.arn ?? `${this.#arnPrefix}:api-destination/${name}/${crypto.randomUUID()}`,
      connectionArn,
      endpoint:
        typeof request.InvocationEndpoint === 'string'
          ? request.InvocationEndpoint
          : (existing?.endpoint ?? ''),
      httpMethod:
        typeof request.HttpMethod === 'string' ? request.HttpMethod : (existing?.httpMethod ?? 'POST'),
    };
    this.#state.destinations = [...this.#state.destinations.filter((d) => d.name !== name), destination];
    this.save();
    return { ApiDestinationArn: destination.arn, ApiDestinationState: 'ACTIVE' };
  }

  private deleteNamed(
    request: Record<string, unknown>,
    kind: 'connections' | 'destinations',
    label: string,
  ): unknown {
    const name = str(request, 'Name');
    const list = this.#state[kind] as { name: string }[];
    if (!list.some((x) => x.name === name))
      throw new ServiceError('ResourceNotFoundException', `${label} ${name} does not exist.`);
    (this.#state[kind] as { name: string }[]) = list.filter((x) => x.name !== name);
    this.save();
    return {};
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.#state), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}
