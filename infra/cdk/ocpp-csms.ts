import { Tags, type Environment } from 'aws-cdk-lib';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { resolveOptions, type CsmsOptions } from './config.js';
import { StatefulStack } from './stateful-stack.js';
import { StatelessStack } from './stateless-stack.js';

/**
 * Everything `new OcppCsms(...)` accepts; every option of config.ts (each documented there with
 * its default), plus what only code can give.
 */
export interface OcppCsmsProps extends Partial<CsmsOptions> {
  /**
   * Where both stacks deploy.
   * @default - environment-agnostic (the CLI's account and region at deploy time)
   */
  readonly env?: Environment;
  /**
   * An SNS topic of your own for the alarms.
   * @default - a new topic in the stateless stack (output AlarmTopicArn)
   */
  readonly alarmTopic?: ITopic;
  /**
   * Tags added to every resource, besides `Application` = `ocpp-csms` and `Stage`.
   * @default - none
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Cost allocation tags on every resource (activate them once in the Billing console). */
export const COST_TAGS = { application: 'Application', stage: 'Stage' } as const;
export const APPLICATION_TAG_VALUE = 'ocpp-csms';

/** Stack names of a deployment: `{id}-Stateful` / `{id}-Stateless`, with `-{stage}` after the id. */
export function stackNamesOf(id: string, stage: string | undefined): { stateful: string; stateless: string } {
  const prefix = stage ? `${id}-${stage}` : id;
  return { stateful: `${prefix}-Stateful`, stateless: `${prefix}-Stateless` };
}

/**
 * The whole CSMS as one construct: a stateful stack (table, event bus and archive, all retained)
 * and a stateless stack (CloudFront + WebSocket API for the stations, HTTP API, functions, alarms,
 * dashboard) that can be destroyed and redeployed at will. Give it an App or a Stage as scope:
 *
 *   new OcppCsms(app, 'Csms', { stage: 'dev', alarmEmail: 'ops@example.com' });
 *
 * Several stages in one account and region do not collide: the stage is part of the stack names,
 * the bus name, the API names, the metrics' service dimension, the dashboard and alarm names.
 */
export class OcppCsms extends Construct {
  public readonly options: CsmsOptions;
  public readonly stateful: StatefulStack;
  public readonly stateless: StatelessStack;

  constructor(scope: Construct, id: string, props: OcppCsmsProps = {}) {
    super(scope, id);
    const { env, alarmTopic, tags, ...given } = props;
    this.options = resolveOptions(given);
    const { stage } = this.options;
    const names = stackNamesOf(id, stage);
    const stackProps = env ? { env } : {};

    this.stateful = new StatefulStack(this, 'Stateful', {
      ...stackProps,
      stackName: names.stateful,
      description: 'CSMS (OCPP): DynamoDB table, EventBridge bus and archive',
      eventBusName: this.options.eventBusName,
      ...(this.options.existingTableName ? { existingTableName: this.options.existingTableName } : {}),
      ...(this.options.existingEventBusName
        ? { existingEventBusName: this.options.existingEventBusName }
        : {}),
      ...(this.options.webhooks ? { webhooks: this.options.webhooks } : {}),
    });
    this.stateless = new StatelessStack(this, 'Stateless', {
      ...stackProps,
      stackName: names.stateless,
      description: 'CSMS (OCPP): station gateway (CloudFront + WebSocket API), HTTP API, functions, alarms',
      table: this.stateful.csmsTable,
      eventBus: this.stateful.eventBus,
      options: this.options,
      webhooks: {
        targetRole: this.stateful.webhooks.targetRole,
        deadLetterQueue: this.stateful.webhooks.deadLetterQueue,
        archiveArn: this.stateful.archiveArn,
      },
      namePrefix: stage ? `${id}-${stage}` : id,
      stationCaKeyArn: this.stateful.stationCa.key.keyArn,
      ...(alarmTopic ? { alarmTopic } : {}),
    });

    Tags.of(this).add(COST_TAGS.application, APPLICATION_TAG_VALUE);
    Tags.of(this).add(COST_TAGS.stage, stage ?? 'default');
    for (const [key, value] of Object.entries(tags ?? {})) Tags.of(this).add(key, value);
  }
}
