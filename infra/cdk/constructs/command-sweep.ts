import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FUNCTIONS, SCHEDULES } from '../../topology.js';
import { CsmsFunction, type CsmsFunctionSettings } from './csms-function.js';
import type { StationGateway } from './station-gateway.js';
import { grantTableData } from './table.js';

export interface CommandSweepProps {
  /** The CSMS table (commands, their queues and the due index). */
  readonly table: ITable;
  /** The bus command.completed.v1 goes to. */
  readonly eventBus: IEventBus;
  /** The station gateway: its @connections API (the sweep sends queued CALLs) and function environment. */
  readonly stationGateway: StationGateway;
  /**
   * Retention of the sweep function's logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Logging, metrics and tracing of the sweep function.
   * @default - see CsmsFunctionSettings
   */
  readonly functionSettings?: CsmsFunctionSettings;
}

/**
 * The scheduled sweep of remote commands (shared/calls): a function run by an EventBridge
 * schedule (topology SCHEDULES) that times out CALLs stations never answered and commands queued
 * past their deadline, and sends the next queued CALL of each station it frees.
 */
export class CommandSweep extends Construct {
  public readonly handler: CsmsFunction;
  public readonly rule: Rule;
  /** Schedule events EventBridge could not deliver to the function (an alarm watches its depth). */
  public readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: CommandSweepProps) {
    super(scope, id);
    const schedule = SCHEDULES.find((s) => s.function === 'sweep');
    if (!schedule) throw new Error('topology SCHEDULES has no entry for the sweep function');

    this.handler = new CsmsFunction(this, 'Handler', {
      spec: FUNCTIONS.sweep,
      environment: props.stationGateway.functionEnvironment,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
      // One sweep at a time: two would race for the same due commands (the store's conditional
      // writes keep that correct, but it doubles the reads for nothing), and a slow sweep must not
      // pile up behind the next tick. Lambda itself retries a failed run no more than EventBridge
      // does: the next tick is the retry.
      reservedConcurrentExecutions: 1,
      retryAttempts: 0,
    });
    grantTableData(props.table, this.handler.function, 'readWrite');
    props.eventBus.grantPutEventsTo(this.handler.function);
    props.stationGateway.grantManageConnections(this.handler.function);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: that of the schedule rule target (EventBridge puts ' +
        'the events it could not deliver to the sweep here); cdk-nag only recognises queues that ' +
        'another SQS queue names as its DLQ. An alarm watches its depth.',
    });
    this.rule = new Rule(this, 'Schedule', {
      description: `Runs the command sweep every ${schedule.everyMinutes} minute(s)`,
      schedule: Schedule.rate(Duration.minutes(schedule.everyMinutes)),
      // A sweep that fails is simply run again at the next tick: no retries piling up.
      targets: [
        new LambdaFunction(this.handler.function, {
          retryAttempts: 0,
          deadLetterQueue: this.deadLetterQueue,
        }),
      ],
    });
  }
}
