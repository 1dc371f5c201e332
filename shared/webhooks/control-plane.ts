/**
 * Creates, changes and removes a subscription's EventBridge resources (see ./rules.ts), and
 * starts replays. The same calls reach AWS and the local bus (infra/local/event-bus.ts), which
 * serves these operations on loopback.
 */
import {
  CreateApiDestinationCommand,
  CreateConnectionCommand,
  DeleteApiDestinationCommand,
  DeleteConnectionCommand,
  DeleteRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  StartReplayCommand,
  UpdateApiDestinationCommand,
  UpdateConnectionCommand,
  type ConnectionAuthorizationType,
  type CreateConnectionAuthRequestParameters,
  type EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { resourceName, webhookPattern, type WebhookFilter } from './rules.js';

/** How the CSMS authenticates to the partner's endpoint. Secrets go to EventBridge only. */
export type WebhookAuth =
  | { readonly type: 'none' }
  | { readonly type: 'apiKey'; readonly header: string; readonly value: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string }
  | {
      readonly type: 'oauth';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string | undefined;
    };

export interface WebhookDefinition {
  readonly id: string;
  readonly url: string;
  readonly eventTypes: readonly string[];
  readonly filter: WebhookFilter;
  readonly enabled: boolean;
  readonly description?: string | undefined;
  readonly retry: { readonly maximumRetryAttempts: number; readonly maximumEventAgeSeconds: number };
}

export interface WebhookInfrastructure {
  readonly busName: string;
  /** The role EventBridge assumes to invoke API destinations (iam:PassRole'd by the api function). */
  readonly targetRoleArn: string;
  /** The SQS queue every subscription dead-letters to (drained into the table). */
  readonly deadLetterQueueArn: string;
  /** The bus archive replays come from. */
  readonly archiveArn: string;
}

/** Identifies the one target of a subscription's rule. */
const TARGET_ID = 'webhook';
/** Ceiling of requests per second EventBridge sends one endpoint (API destination setting). */
const INVOCATION_RATE_PER_SECOND = 300;

function authParameters(
  id: string,
  auth: WebhookAuth,
): { AuthorizationType: ConnectionAuthorizationType; AuthParameters: CreateConnectionAuthRequestParameters } {
  switch (auth.type) {
    case 'none':
      // A connection needs some authorization; this header only names the subscription.
      return {
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'x-csms-webhook-id', ApiKeyValue: id } },
      };
    case 'apiKey':
      return {
        AuthorizationType: 'API_KEY',
        AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: auth.header, ApiKeyValue: auth.value } },
      };
    case 'basic':
      return {
        AuthorizationType: 'BASIC',
        AuthParameters: { BasicAuthParameters: { Username: auth.username, Password: auth.password } },
      };
    case 'oauth':
      return {
        AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
        AuthParameters: {
          OAuthParameters: {
            AuthorizationEndpoint: auth.tokenUrl,
            HttpMethod: 'POST',
            ClientParameters: { ClientID: auth.clientId, ClientSecret: auth.clientSecret },
            OAuthHttpParameters: {
              BodyParameters: [
                { Key: 'grant_type', Value: 'client_credentials', IsValueSecret: false },
                ...(auth.scope ? [{ Key: 'scope', Value: auth.scope, IsValueSecret: false }] : []),
              ],
            },
          },
        },
      };
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && error.name === 'ResourceNotFoundException';
}

export class WebhookControlPlane {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly infra: WebhookInfrastructure,
  ) {}

  private name(id: string): string {
    return resourceName(this.infra.busName, id);
  }

  /** Creates the connection, API destination, rule and target; undoes them when a step fails. */
  async create(definition: WebhookDefinition, auth: WebhookAuth): Promise<{ ruleArn: string }> {
    const name = this.name(definition.id);
    try {
      const connection = await this.client.send(
        new CreateConnectionCommand({
          Name: name,
          Description: `CSMS webhook ${definition.id}`,
          ...authParameters(definition.id, auth),
        }),
      );
      const destination = await this.client.send(
        new CreateApiDestinationCommand({
          Name: name,
          ConnectionArn: connection.ConnectionArn,
          InvocationEndpoint: definition.url,
          HttpMethod: 'POST',
          InvocationRateLimitPerSecond: INVOCATION_RATE_PER_SECOND,
        }),
      );
      const ruleArn = await this.putRule(definition);
      await this.putTarget(definition, destination.ApiDestinationArn ?? '');
      return { ruleArn };
    } catch (error) {
      await this.remove(definition.id).catch(() => undefined);
      throw error;
    }
  }

  /** Applies a changed definition (and, when given, new auth) to existing resources. */
  async update(definition: WebhookDefinition, auth: WebhookAuth | undefined): Promise<void> {
    const name = this.name(definition.id);
    if (auth) {
      await this.client.send(
        new UpdateConnectionCommand({ Name: name, ...authParameters(definition.id, auth) }),
      );
    }
    const destination = await this.client.send(
      new UpdateApiDestinationCommand({ Name: name, InvocationEndpoint: definition.url, HttpMethod: 'POST' }),
    );
    await this.putRule(definition);
    await this.putTarget(definition, destination.ApiDestinationArn ?? '');
  }

  /** Removes everything; what is already gone is fine (a retried delete). */
  async remove(id: string): Promise<void> {
    const name = this.name(id);
    const steps = [
      () =>
        this.client.send(
          new RemoveTargetsCommand({ Rule: name, EventBusName: this.infra.busName, Ids: [TARGET_ID] }),
        ),
      () => this.client.send(new DeleteRuleCommand({ Name: name, EventBusName: this.infra.busName })),
      () => this.client.send(new DeleteApiDestinationCommand({ Name: name })),
      () => this.client.send(new DeleteConnectionCommand({ Name: name })),
    ];
    for (const step of steps) {
      try {
        await step();
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
  }

  /**
   * Replays the archived events of [from, to) to this subscription's rule only
   * (Destination.FilterArns). Returns the replay's name.
   */
  async replay(id: string, ruleArn: string, from: Date, to: Date, label: string): Promise<string> {
    // Replay names: at most 64 characters, unique per account and region.
    const replayName = `${this.name(id)}-${label}`.slice(0, 64);
    await this.client.send(
      new StartReplayCommand({
        ReplayName: replayName,
        EventSourceArn: this.infra.archiveArn,
        EventStartTime: from,
        EventEndTime: to,
        Destination: { Arn: busArn(this.infra.archiveArn, this.infra.busName), FilterArns: [ruleArn] },
      }),
    );
    return replayName;
  }

  private async putRule(definition: WebhookDefinition): Promise<string> {
    const out = await this.client.send(
      new PutRuleCommand({
        Name: this.name(definition.id),
        EventBusName: this.infra.busName,
        EventPattern: JSON.stringify(webhookPattern(definition.id, definition.eventTypes, definition.filter)),
        State: definition.enabled ? 'ENABLED' : 'DISABLED',
        Description: (definition.description ?? `CSMS webhook ${definition.id}`).slice(0, 512),
      }),
    );
    return out.RuleArn ?? '';
  }

  private async putTarget(definition: WebhookDefinition, apiDestinationArn: string): Promise<void> {
    const out = await this.client.send(
      new PutTargetsCommand({
        Rule: this.name(definition.id),
        EventBusName: this.infra.busName,
        Targets: [
          {
            Id: TARGET_ID,
            Arn: apiDestinationArn,
            RoleArn: this.infra.targetRoleArn,
            DeadLetterConfig: { Arn: this.infra.deadLetterQueueArn },
            RetryPolicy: {
              MaximumRetryAttempts: definition.retry.maximumRetryAttempts,
              MaximumEventAgeInSeconds: definition.retry.maximumEventAgeSeconds,
            },
          },
        ],
      }),
    );
    if (out.FailedEntryCount) {
      const entry = out.FailedEntries?.[0];
      throw new Error(`PutTargets failed: ${entry?.ErrorCode ?? ''} ${entry?.ErrorMessage ?? ''}`);
    }
  }
}

/** `arn:aws:events:{region}:{account}:event-bus/{bus}` from the archive's region and account. */
export function busArn(archiveArn: string, busName: string): string {
  const [arn, partition, service, region, account] = archiveArn.split(':');
  return [arn, partition, service, region, account, `event-bus/${busName}`].join(':');
}
