import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEADLINE_QUEUE, EVENT_RULES, FUNCTIONS, SCHEDULES } from '../../topology.js';
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
  /** The call-deadline queue (CallDeadlineQueue): the sweep function consumes it. */
  readonly deadlineQueue: IQueue;
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
 * The call-deadline queue (topology DEADLINE_QUEUE): a message per CALL sent, delayed until its
 * deadline. Standard queue, SQS-managed encryption, TLS only. No dead-letter queue: the consumer
 * never fails a message (a deadline it could not handle is the minute sweep's).
 */
export class CallDeadlineQueue extends Construct {
  public readonly queue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // The event source mapping's recommendation: six times the consumer's timeout.
      visibilityTimeout: Duration.seconds(6 * FUNCTIONS[DEADLINE_QUEUE.function].timeoutSeconds),
      // A deadline not handled within an hour of being scheduled is long past: the sweep's.
      retentionPeriod: Duration.hours(1),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'The consumer never fails a deadline message (errors are logged); the minute sweep times out whatever a lost message would have.',
    });
  }
}

/**
 * The command path's background functions (shared/calls):
 * - `calls` (`callsHandler`), run by the call-deadline queue (a CALL times out at its deadline, the
 *   next one goes out) and by the topology EVENT_RULES (a station that booted or connected gets its
 *   queued commands at once); it scales with the fleet;
 * - `sweep` (`handler`), run by an EventBridge schedule (topology SCHEDULES, the safety net: CALLs
 *   never answered, commands queued past their deadline), one at a time.
 */
export class CommandSweep extends Construct {
  public readonly handler: CsmsFunction;
  public readonly callsHandler: CsmsFunction;
  public readonly rule: Rule;
  /** topology EVENT_RULES targeting this function. */
  public readonly eventRules: Rule[];
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
    props.deadlineQueue.grantSendMessages(this.handler.function);

    this.callsHandler = new CsmsFunction(this, 'CallsHandler', {
      spec: FUNCTIONS[DEADLINE_QUEUE.function],
      environment: props.stationGateway.functionEnvironment,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
    });
    grantTableData(props.table, this.callsHandler.function, 'readWrite');
    props.eventBus.grantPutEventsTo(this.callsHandler.function);
    props.stationGateway.grantManageConnections(this.callsHandler.function);
    props.deadlineQueue.grantSendMessages(this.callsHandler.function);
    this.callsHandler.function.addEventSource(
      new SqsEventSource(props.deadlineQueue, { batchSize: DEADLINE_QUEUE.batchSize }),
    );
    this.eventRules = EVENT_RULES.filter((r) => r.function === 'calls').map(
      (rule) =>
        new Rule(this, `Rule-${rule.name}`, {
          description: rule.description,
          eventBus: props.eventBus,
          eventPattern: { source: [rule.source], detailType: [...rule.detailTypes] },
          // A missed pump is only a delay: the station's next message or the sweep sends it.
          targets: [new LambdaFunction(this.callsHandler.function, { retryAttempts: 2 })],
        }),
    );

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
