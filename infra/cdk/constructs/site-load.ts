import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENT_RULES, FUNCTIONS, SCHEDULES } from '../../topology.js';
import { CsmsFunction, type CsmsFunctionSettings } from './csms-function.js';
import type { StationGateway } from './station-gateway.js';
import { grantTableData } from './table.js';

export interface SiteLoadManagementProps {
  /** The CSMS table (sites, their leases and allocations; transactions; the command path). */
  readonly table: ITable;
  /** The bus whose transaction and command events run the recompute (and site.allocation-changed.v1 goes to). */
  readonly eventBus: IEventBus;
  /** Its @connections API (TxProfiles go out through the command path) and function environment. */
  readonly stationGateway: StationGateway;
  /** The call-deadline queue: every function that sends CALLs schedules their deadlines. */
  readonly deadlineQueue: IQueue;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default - see CsmsFunctionSettings */
  readonly functionSettings?: CsmsFunctionSettings;
}

/**
 * Site load management (functions/sites, docs/adr/0013-site-load-management.md): the `sites`
 * function, run by the topology EVENT_RULES that target it (transaction started / ended, command
 * completed) and by its topology SCHEDULES tick (time-of-use windows). Recomputes of one site are
 * serialized by a lease item in the table, not by the infrastructure: no queue to deploy.
 */
export class SiteLoadManagement extends Construct {
  public readonly handler: CsmsFunction;
  public readonly eventRules: Rule[];
  public readonly schedule: Rule;
  /** Events EventBridge could not deliver to the function after its retries (alarmed on). */
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: SiteLoadManagementProps) {
    super(scope, id);
    const schedule = SCHEDULES.find((s) => s.function === 'sites');
    if (!schedule) throw new Error('topology SCHEDULES has no entry for the sites function');

    this.handler = new CsmsFunction(this, 'Handler', {
      spec: FUNCTIONS.sites,
      environment: props.stationGateway.functionEnvironment,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
    });
    // Least privilege: the table's items (no admin), PutEvents on the one bus, PostToConnection on
    // the station API, SendMessage on the deadline queue. Nothing else.
    grantTableData(props.table, this.handler.function, 'readWrite');
    props.eventBus.grantPutEventsTo(this.handler.function);
    props.stationGateway.grantManageConnections(this.handler.function);
    props.deadlineQueue.grantSendMessages(this.handler.function);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: that of the site rules\u2019 targets (EventBridge puts the ' +
        'events it could not deliver to the sites function here); an alarm watches its depth.',
    });

    this.eventRules = EVENT_RULES.filter((r) => r.function === 'sites').map(
      (rule) =>
        new Rule(this, `Rule-${rule.name}`, {
          description: rule.description,
          eventBus: props.eventBus,
          eventPattern: { source: [rule.source], detailType: [...rule.detailTypes] },
          targets: [
            new LambdaFunction(this.handler.function, {
              retryAttempts: 2,
              deadLetterQueue: this.deadLetterQueue,
            }),
          ],
        }),
    );
    this.schedule = new Rule(this, 'Schedule', {
      description: `Recomputes sites whose time-of-use window began or ended, every ${schedule.everyMinutes} minute(s)`,
      schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
      // The next tick is the retry.
      targets: [new LambdaFunction(this.handler.function, { retryAttempts: 0 })],
    });
  }
}
