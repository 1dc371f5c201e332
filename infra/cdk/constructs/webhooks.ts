import { Aws, Duration, Validations, type SecretValue } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  ApiDestination,
  Authorization,
  Connection,
  HttpMethod,
  HttpParameter,
  Rule,
  type IEventBus,
} from 'aws-cdk-lib/aws-events';
import { ApiDestination as ApiDestinationTarget } from 'aws-cdk-lib/aws-events-targets';
import {
  Effect,
  PolicyStatement,
  Role,
  ServicePrincipal,
  type IRole,
  type IGrantable,
} from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from '../nag.js';
import type { EventType } from '../../../shared/events/catalog.js';
import { DEFAULT_RETRY, resourcePrefix, webhookPattern } from '../../../shared/webhooks/rules.js';
import { ENV, FUNCTIONS } from '../../topology.js';
import { CsmsFunction, type CsmsFunctionSettings } from './csms-function.js';
import { grantTableData } from './table.js';

/** How EventBridge authenticates to a declared partner endpoint. Secrets are SecretValues only. */
export type PartnerWebhookAuth =
  | { readonly type: 'apiKey'; readonly header: string; readonly value: SecretValue }
  | { readonly type: 'basic'; readonly username: string; readonly password: SecretValue }
  | {
      readonly type: 'oauth';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: SecretValue;
      readonly scope?: string;
    };

/** A partner subscribed at deploy time (the HTTP API adds others at run time: POST /v1/webhooks). */
export interface PartnerWebhook {
  /** Unique among the declared webhooks: letters, digits and dashes; names the construct. */
  readonly name: string;
  /** The endpoint (https). */
  readonly url: string;
  /**
   * Event types to deliver.
   * @default - every event type
   */
  readonly eventTypes?: readonly EventType[];
  /**
   * Only these stations' events.
   * @default - every station
   */
  readonly stationIds?: readonly string[];
  /**
   * An EventBridge pattern over `detail` (e.g. `{ protocol: ['ocpp2.0.1'] }`).
   * @default - no further filter
   */
  readonly detailFilter?: Record<string, unknown>;
  readonly auth: PartnerWebhookAuth;
  /**
   * Retry attempts before the event is dead-lettered.
   * @default 185
   */
  readonly maximumRetryAttempts?: number;
  /**
   * Oldest an event may get while retried before it is dead-lettered.
   * @default Duration.hours(24)
   */
  readonly maximumEventAge?: Duration;
}

/** The archive of a CSMS bus (CsmsEvents names it so; an adopted bus's archive is found by it). */
export function archiveNameOf(busName: string): string {
  return `${busName}-archive`;
}

export interface CsmsWebhooksProps {
  readonly bus: IEventBus;
  /** The bus's name (known at synth: it prefixes the names IAM policies match). */
  readonly busName: string;
  /**
   * Partners subscribed at deploy time.
   * @default - none
   */
  readonly webhooks?: readonly PartnerWebhook[];
}

const SQS_RETENTION = Duration.days(14);

function authorization(auth: PartnerWebhookAuth): Authorization {
  switch (auth.type) {
    case 'apiKey':
      return Authorization.apiKey(auth.header, auth.value);
    case 'basic':
      return Authorization.basic(auth.username, auth.password);
    case 'oauth':
      return Authorization.oauth({
        authorizationEndpoint: auth.tokenUrl,
        httpMethod: HttpMethod.POST,
        clientId: auth.clientId,
        clientSecret: auth.clientSecret,
        bodyParameters: {
          grant_type: HttpParameter.fromString('client_credentials'),
          ...(auth.scope ? { scope: HttpParameter.fromString(auth.scope) } : {}),
        },
      });
  }
}

function ackDeadLetterQueue(queue: Queue): void {
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself a dead-letter queue (of EventBridge targets): what it holds is kept ' +
      '14 days and stays visible here; another queue behind it would only move the messages.',
  });
}

/**
 * Partner webhooks on the CSMS bus (the stateful part): the role EventBridge uses to call API
 * destinations, the dead-letter queue of run-time subscriptions (drained into the table by the
 * dead-letter consumer, see WebhookDeadLetterConsumer), and every webhook declared at deploy
 * time as a rule + API destination + connection + its own dead-letter queue + retry policy.
 */
export class CsmsWebhooks extends Construct {
  /** EventBridge assumes it to invoke API destinations; the api function may pass it (PassRole). */
  public readonly targetRole: Role;
  /** Dead letters of the subscriptions made through the HTTP API. */
  public readonly deadLetterQueue: Queue;
  /** The declared webhooks' rules and dead-letter queues, by name. */
  public readonly declared: Readonly<
    Record<string, { rule: Rule; deadLetterQueue: Queue; destination: ApiDestination }>
  >;

  constructor(scope: Construct, id: string, props: CsmsWebhooksProps) {
    super(scope, id);
    const { busName } = props;
    const prefix = resourcePrefix(busName);

    this.targetRole = new Role(this, 'TargetRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: 'EventBridge: invokes the API destinations of CSMS webhooks',
    });
    // Run-time subscriptions: only the API destinations the CSMS names with its prefix.
    const runtimeDestinations = `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:api-destination/${prefix}*`;
    this.targetRole.addToPolicy(
      new PolicyStatement({ actions: ['events:InvokeApiDestination'], resources: [runtimeDestinations] }),
    );
    acknowledgeWildcardResource(
      this.targetRole,
      runtimeDestinations,
      `Subscriptions are created at run time through the HTTP API, so their API destinations are ` +
        `only known by the name prefix ${prefix} that the CSMS gives them; the one action is InvokeApiDestination.`,
    );

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: SQS_RETENTION,
    });
    this.deadLetterQueue.addToResourcePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetterQueue.queueArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:rule/${busName}/${prefix}*`,
          },
        },
      }),
    );
    ackDeadLetterQueue(this.deadLetterQueue);

    const declared: Record<string, { rule: Rule; deadLetterQueue: Queue; destination: ApiDestination }> = {};
    const names = new Set<string>();
    for (const webhook of props.webhooks ?? []) {
      if (!/^[A-Za-z0-9-]{1,40}$/.test(webhook.name) || names.has(webhook.name)) {
        throw new Error(
          `webhook name ${JSON.stringify(webhook.name)} must be unique, 1-40 letters, digits or dashes`,
        );
      }
      names.add(webhook.name);
      if (!webhook.url.startsWith('https://')) {
        throw new Error(`webhook ${webhook.name}: url must be https (EventBridge API destinations)`);
      }
      const scopeOf = new Construct(this, `Webhook-${webhook.name}`);
      const connection = new Connection(scopeOf, 'Connection', {
        authorization: authorization(webhook.auth),
        description: `CSMS webhook ${webhook.name}`,
      });
      const destination = new ApiDestination(scopeOf, 'Destination', {
        connection,
        endpoint: webhook.url,
        httpMethod: HttpMethod.POST,
        description: `CSMS webhook ${webhook.name}`,
      });
      const deadLetterQueue = new Queue(scopeOf, 'DeadLetters', {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: SQS_RETENTION,
      });
      ackDeadLetterQueue(deadLetterQueue);
      const pattern = webhookPattern(webhook.name, webhook.eventTypes ?? [], {
        ...(webhook.stationIds ? { stationIds: webhook.stationIds } : {}),
        ...(webhook.detailFilter ? { detail: webhook.detailFilter } : {}),
      });
      // The declared rule takes the events branch only: test events are for run-time subscriptions.
      const { $or, ...common } = pattern as { $or: Record<string, unknown>[] } & Record<string, unknown>;
      const rule = new Rule(scopeOf, 'Rule', {
        eventBus: props.bus,
        description: `CSMS webhook ${webhook.name} (declared in CDK)`,
        eventPattern: { ...common, ...$or[0] },
        targets: [
          new ApiDestinationTarget(destination, {
            eventRole: this.targetRole,
            deadLetterQueue,
            retryAttempts: webhook.maximumRetryAttempts ?? DEFAULT_RETRY.maximumRetryAttempts,
            maxEventAge: webhook.maximumEventAge ?? Duration.seconds(DEFAULT_RETRY.maximumEventAgeSeconds),
          }),
        ],
      });
      declared[webhook.name] = { rule, deadLetterQueue, destination };
    }
    this.declared = declared;
  }
}

export interface WebhookManagementProps {
  readonly busName: string;
  readonly archiveArn: string;
  readonly targetRole: IRole;
  readonly deadLetterQueue: IQueue;
  readonly table: ITable;
  /**
   * Most run-time subscriptions (CSMS_WEBHOOK_LIMIT).
   * @default 250
   */
  readonly limit?: number;
  /** Environment of the consumer function (the table and bus variables). */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Logging, metrics and tracing of the consumer function.
   * @default - see CsmsFunctionSettings
   */
  readonly functionSettings?: CsmsFunctionSettings;
}

/** The variables the api function needs to manage webhooks. */
export function webhookEnvironment(
  props: Pick<WebhookManagementProps, 'archiveArn' | 'targetRole' | 'deadLetterQueue' | 'limit'>,
): Record<string, string> {
  return {
    [ENV.webhookRoleArn]: props.targetRole.roleArn,
    [ENV.webhookDeadLetterQueueArn]: props.deadLetterQueue.queueArn,
    [ENV.eventArchiveArn]: props.archiveArn,
    ...(props.limit !== undefined ? { [ENV.webhookLimit]: String(props.limit) } : {}),
  };
}

/**
 * What the api function may do to manage webhook subscriptions: the rules, connections and API
 * destinations named with the CSMS's prefix (`{bus}-wh-`), their Secrets Manager secrets (which
 * EventBridge creates for connections, `events!connection/{name}/...`), replays from the bus
 * archive, and passing the one target role to EventBridge.
 */
export function grantWebhookManagement(
  grantee: IGrantable,
  props: Pick<WebhookManagementProps, 'busName' | 'archiveArn' | 'targetRole'>,
): void {
  const prefix = resourcePrefix(props.busName);
  const events = (resource: string) =>
    `arn:${Aws.PARTITION}:events:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  const statements = [
    new PolicyStatement({
      sid: 'WebhookRules',
      actions: [
        'events:PutRule',
        'events:DeleteRule',
        'events:DescribeRule',
        'events:PutTargets',
        'events:RemoveTargets',
      ],
      resources: [events(`rule/${props.busName}/${prefix}*`)],
    }),
    new PolicyStatement({
      sid: 'WebhookConnectionsAndDestinations',
      actions: [
        'events:CreateConnection',
        'events:UpdateConnection',
        'events:DeleteConnection',
        'events:DescribeConnection',
        'events:CreateApiDestination',
        'events:UpdateApiDestination',
        'events:DeleteApiDestination',
        'events:DescribeApiDestination',
      ],
      resources: [events(`connection/${prefix}*`), events(`api-destination/${prefix}*`)],
    }),
    new PolicyStatement({
      sid: 'WebhookConnectionSecrets',
      actions: [
        'secretsmanager:CreateSecret',
        'secretsmanager:UpdateSecret',
        'secretsmanager:PutSecretValue',
        'secretsmanager:DescribeSecret',
        'secretsmanager:DeleteSecret',
      ],
      resources: [
        `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:events!connection/${prefix}*`,
      ],
    }),
    new PolicyStatement({
      sid: 'WebhookReplays',
      actions: ['events:StartReplay', 'events:DescribeReplay'],
      resources: [props.archiveArn, events(`replay/${prefix}*`)],
    }),
    new PolicyStatement({
      sid: 'WebhookTargetRole',
      actions: ['iam:PassRole'],
      resources: [props.targetRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' } },
    }),
  ];
  const principal = grantee.grantPrincipal;
  for (const statement of statements) {
    principal.addToPrincipalPolicy(statement);
    if (!(principal instanceof Construct)) continue;
    for (const resource of statement.resources.filter((r) => r.endsWith('*'))) {
      acknowledgeWildcardResource(
        principal,
        resource,
        `Webhook subscriptions are created at run time (POST /v1/webhooks), so their EventBridge ` +
          `resources are only known by the name prefix ${prefix} the CSMS gives them (secrets: the ` +
          `events!connection/ prefix EventBridge uses for connections it creates); the actions are ` +
          'those that create, change and remove them, nothing else.',
      );
    }
  }
}

/**
 * The consumer of the run-time subscriptions' dead-letter queue: stores each dead letter in the
 * table under its subscription (GET /v1/webhooks/{id}/deliveries, redrive).
 */
export class WebhookDeadLetterConsumer extends Construct {
  public readonly handler: CsmsFunction;

  constructor(scope: Construct, id: string, props: WebhookManagementProps) {
    super(scope, id);
    this.handler = new CsmsFunction(this, 'Handler', {
      spec: FUNCTIONS.webhookDeadLetters,
      environment: props.environment,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
    });
    grantTableData(props.table, this.handler.function, 'readWrite');
    this.handler.function.addEventSource(
      new SqsEventSource(props.deadLetterQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );
  }
}
