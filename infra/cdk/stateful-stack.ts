import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CsmsEvents } from './constructs/events.js';
import { CsmsTable } from './constructs/table.js';
import type { PartnerWebhook } from './constructs/webhooks.js';

export interface StatefulStackProps extends StackProps {
  /**
   * Name of the custom event bus.
   * @default 'csms'
   */
  readonly eventBusName?: string;
  /**
   * Partner webhooks fixed at deploy time (see CsmsEventsProps.webhooks).
   * @default - none
   */
  readonly webhooks?: readonly PartnerWebhook[];
}

/** What outlives a redeploy: the table, the event bus and its archive. */
export class StatefulStack extends Stack {
  public readonly table: CsmsTable;
  public readonly events: CsmsEvents;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    this.table = new CsmsTable(this, 'Table');
    this.events = new CsmsEvents(this, 'Events', {
      ...(props.eventBusName !== undefined ? { busName: props.eventBusName } : {}),
      ...(props.webhooks ? { webhooks: props.webhooks } : {}),
    });

    new CfnOutput(this, 'TableName', {
      description: 'The CSMS DynamoDB table',
      value: this.table.table.tableName,
    });
    new CfnOutput(this, 'EventBusName', {
      description: 'The EventBridge bus of CSMS domain events',
      value: this.events.bus.eventBusName,
    });
  }
}
