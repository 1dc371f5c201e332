import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { CsmsEvents } from './constructs/events.js';
import { CsmsTable, importCsmsTable } from './constructs/table.js';
import { StationCa } from './constructs/station-ca.js';
import { archiveNameOf, CsmsWebhooks, type PartnerWebhook } from './constructs/webhooks.js';

export interface StatefulStackProps extends StackProps {
  /**
   * Name of the custom event bus.
   * @default 'csms'
   */
  readonly eventBusName?: string;
  /**
   * Adopt this existing table (retained by an earlier deployment) instead of creating one.
   * @default - a new table, retained on delete, with deletion protection
   */
  readonly existingTableName?: string;
  /**
   * Adopt this existing event bus (and so its archive) instead of creating bus and archive.
   * @default - a new bus and archive, both retained on delete
   */
  readonly existingEventBusName?: string;
  /**
   * Partner webhooks fixed at deploy time (see CsmsEventsProps.webhooks).
   * @default - none
   */
  readonly webhooks?: readonly PartnerWebhook[];
}

/** What outlives a redeploy: the table, the event bus and its archive, the station CA key. */
export class StatefulStack extends Stack {
  /** The table construct; undefined when an existing table was adopted. */
  public readonly table?: CsmsTable;
  /** The bus and archive; undefined when an existing bus was adopted. */
  public readonly events?: CsmsEvents;
  /** The table the functions use, created or adopted. */
  public readonly csmsTable: ITable;
  /** The bus the functions publish to, created or adopted. */
  public readonly eventBus: IEventBus;
  /** The bus's archive (replays and webhook redrives read it). */
  public readonly archiveArn: string;
  /** The partner webhooks' infrastructure (target role, dead-letter queue, declared webhooks). */
  public readonly webhooks: CsmsWebhooks;
  /** The station CA's KMS key (retained: issued certificates chain to it). */
  public readonly stationCa: StationCa;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    if (props.existingTableName !== undefined) {
      this.csmsTable = importCsmsTable(this, 'AdoptedTable', props.existingTableName);
    } else {
      this.table = new CsmsTable(this, 'Table');
      this.csmsTable = this.table.table;
    }
    if (props.existingEventBusName !== undefined) {
      const busName = props.existingEventBusName;
      this.eventBus = EventBus.fromEventBusName(this, 'AdoptedBus', busName);
      // The adopted bus keeps its archive (named after the bus); the webhook infrastructure has no
      // state of its own worth keeping and is made anew.
      this.archiveArn = this.formatArn({
        service: 'events',
        resource: 'archive',
        resourceName: archiveNameOf(busName),
      });
      this.webhooks = new CsmsWebhooks(this, 'Webhooks', {
        bus: this.eventBus,
        busName,
        ...(props.webhooks ? { webhooks: props.webhooks } : {}),
      });
    } else {
      this.events = new CsmsEvents(this, 'Events', {
        ...(props.eventBusName !== undefined ? { busName: props.eventBusName } : {}),
        ...(props.webhooks ? { webhooks: props.webhooks } : {}),
      });
      this.eventBus = this.events.bus;
      this.archiveArn = this.events.archive.archiveArn;
      this.webhooks = this.events.webhooks;
    }

    this.stationCa = new StationCa(this, 'StationCa');

    new CfnOutput(this, 'TableName', {
      description: 'The CSMS DynamoDB table (give it as existingTableName to adopt it after a destroy)',
      value: this.csmsTable.tableName,
    });
    new CfnOutput(this, 'EventBusName', {
      description: 'The EventBridge bus of CSMS domain events (existingEventBusName to adopt it)',
      value: this.eventBus.eventBusName,
    });
  }
}
