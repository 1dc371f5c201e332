import { CfnOutput, CfnWaitConditionHandle, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { CsmsEvents } from './constructs/events.js';
import { CsmsTable, importCsmsTable } from './constructs/table.js';

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
}

/** What outlives a redeploy: the table, the event bus and its archive. */
export class StatefulStack extends Stack {
  /** The table construct; undefined when an existing table was adopted. */
  public readonly table?: CsmsTable;
  /** The bus and archive; undefined when an existing bus was adopted. */
  public readonly events?: CsmsEvents;
  /** The table the functions use, created or adopted. */
  public readonly csmsTable: ITable;
  /** The bus the functions publish to, created or adopted. */
  public readonly eventBus: IEventBus;

  constructor(scope: Construct, id: string, props: StatefulStackProps = {}) {
    super(scope, id, props);
    if (props.existingTableName !== undefined) {
      this.csmsTable = importCsmsTable(this, 'AdoptedTable', props.existingTableName);
    } else {
      this.table = new CsmsTable(this, 'Table');
      this.csmsTable = this.table.table;
    }
    if (props.existingEventBusName !== undefined) {
      this.eventBus = EventBus.fromEventBusName(this, 'AdoptedBus', props.existingEventBusName);
    } else {
      this.events = new CsmsEvents(this, 'Events', {
        ...(props.eventBusName !== undefined ? { busName: props.eventBusName } : {}),
      });
      this.eventBus = this.events.bus;
    }

    if (!this.table && !this.events) {
      // Both adopted: a template needs at least one resource, and this one is free and inert.
      new CfnWaitConditionHandle(this, 'Adopted');
    }

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
