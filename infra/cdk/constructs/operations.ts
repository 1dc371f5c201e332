import { Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Topic, type ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS, TABLE, WEBSOCKET_STAGE } from '../../topology.js';
import type { CsmsFunction } from './csms-function.js';
import type { CsmsHttpApi } from './http-api.js';
import type { StationGateway } from './station-gateway.js';

/** Thresholds of the rate alarms. */
export const ALARM_THRESHOLDS = {
  /** Percentage of station CALLs answered with a CALLERROR, over 15 minutes. */
  callErrorPercent: 5,
  /** ...once at least this many frames were handled in those 15 minutes. */
  callErrorMinimumMessages: 50,
  /** Percentage of remote commands that timed out, over 15 minutes. */
  commandTimeoutPercent: 20,
  /** ...once at least this many commands finished in those 15 minutes. */
  commandTimeoutMinimumCommands: 10,
} as const;

export interface CsmsOperationsProps {
  /** Name prefix of the dashboard and the alarms, e.g. `Csms` or `Csms-dev`. */
  readonly namePrefix: string;
  /** The `service` dimension of the CSMS's own metrics (POWERTOOLS_SERVICE_NAME). */
  readonly serviceName: string;
  readonly table: ITable;
  readonly stationGateway: StationGateway;
  readonly httpApi: CsmsHttpApi;
  /** Every function, by name. */
  readonly functions: Readonly<Record<string, CsmsFunction>>;
  /** Dead-letter queues whose depth is alarmed on. */
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  /**
   * Where alarms go.
   * @default - a new SNS topic
   */
  readonly alarmTopic?: ITopic;
  /**
   * E-mail address subscribed to the alarm topic.
   * @default - none
   */
  readonly alarmEmail?: string;
}

/**
 * Alarms (function errors and throttles, API Gateway 5xx / integration errors, DynamoDB throttles,
 * dead-letter queue depth, CALLERROR rate, command timeout rate) into one SNS topic, and a
 * CloudWatch dashboard of the station traffic.
 */
export class CsmsOperations extends Construct {
  public readonly alarmTopic: ITopic;
  public readonly alarms: readonly Alarm[];
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: CsmsOperationsProps) {
    super(scope, id);
    const { namePrefix, serviceName } = props;

    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      const topic = new Topic(this, 'AlarmTopic', {
        displayName: `${namePrefix} alarms`,
        enforceSSL: true,
      });
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'CloudWatch alarms cannot publish to a topic encrypted with the AWS managed key aws/sns ' +
          '(its key policy cannot be changed), and a customer managed key costs 1 USD a month for ' +
          'alarm notices that carry no secret: metric names, thresholds and states only.',
      });
      this.alarmTopic = topic;
    }
    if (props.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    }

    const own = (metricName: string): Metric =>
      new Metric({
        namespace: METRICS.namespace,
        metricName,
        dimensionsMap: { service: serviceName },
        statistic: 'Sum',
        period: Duration.minutes(1),
      });
    const apiGateway = (apiId: string, metricName: string, stage?: string): Metric =>
      new Metric({
        namespace: 'AWS/ApiGateway',
        metricName,
        dimensionsMap: stage ? { ApiId: apiId, Stage: stage } : { ApiId: apiId },
        statistic: 'Sum',
        period: Duration.minutes(1),
      });
    const wsApiId = props.stationGateway.api.apiId;
    const five = Duration.minutes(5);

    const alarms: Alarm[] = [];
    const alarm = (
      id: string,
      description: string,
      metric: IMetric,
      threshold = 1,
      evaluationPeriods = 1,
    ) => {
      const created = new Alarm(this, id, {
        alarmName: `${namePrefix}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(new SnsAction(this.alarmTopic));
      created.addOkAction(new SnsAction(this.alarmTopic));
      alarms.push(created);
      return created;
    };

    for (const [name, fn] of Object.entries(props.functions)) {
      const label = name.charAt(0).toUpperCase() + name.slice(1);
      alarm(
        `${label}Errors`,
        `The ${name} function failed (uncaught error or timeout) in the last 5 minutes`,
        fn.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      );
      alarm(
        `${label}Throttles`,
        `The ${name} function was throttled (concurrency limit) in the last 5 minutes`,
        fn.function.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
      );
    }

    // WebSocket API: IntegrationError = the integration (a function) failed; ExecutionError = API
    // Gateway itself could not call it. Both reach the station as "Internal server error".
    alarm(
      'StationApiErrors',
      'The station WebSocket API failed to run an integration (IntegrationError + ExecutionError) in 5 minutes',
      new MathExpression({
        expression: 'integration + execution',
        usingMetrics: {
          integration: apiGateway(wsApiId, 'IntegrationError', WEBSOCKET_STAGE).with({ period: five }),
          execution: apiGateway(wsApiId, 'ExecutionError', WEBSOCKET_STAGE).with({ period: five }),
        },
        period: Duration.minutes(5),
        label: 'WebSocket integration + execution errors',
      }),
    );
    alarm(
      'HttpApi5xx',
      'The HTTP API answered 5xx in the last 5 minutes',
      apiGateway(props.httpApi.api.apiId, '5xx').with({ period: Duration.minutes(5) }),
    );

    const tableMetric = (metricName: string, index?: string): Metric =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: index
          ? { TableName: props.table.tableName, GlobalSecondaryIndexName: index }
          : { TableName: props.table.tableName },
        statistic: 'Sum',
        period: Duration.minutes(5),
      });
    const throttleMetrics: Record<string, IMetric> = {
      reads: tableMetric('ReadThrottleEvents'),
      writes: tableMetric('WriteThrottleEvents'),
    };
    for (const [i, index] of TABLE.indexes.entries()) {
      // An index whose partition is hot (the CMDDUE partition of gsi1, docs/scale.md) throttles
      // the writes to the table that feed it.
      throttleMetrics[`index${i}`] = tableMetric('WriteThrottleEvents', index.name);
    }
    alarm(
      'TableThrottles',
      'DynamoDB throttled reads or writes of the CSMS table or its index in the last 5 minutes',
      new MathExpression({
        expression: Object.keys(throttleMetrics).join(' + '),
        usingMetrics: throttleMetrics,
        period: Duration.minutes(5),
        label: 'Throttle events',
      }),
    );

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}DeadLetters`,
        `Messages are waiting in the ${name} dead-letter queue`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      );
    }

    const fifteen = Duration.minutes(15);
    alarm(
      'CallErrorRate',
      `More than ${ALARM_THRESHOLDS.callErrorPercent}% of the station frames were answered with a ` +
        `CALLERROR in 15 minutes (with at least ${ALARM_THRESHOLDS.callErrorMinimumMessages} frames)`,
      new MathExpression({
        expression:
          `IF(errors + handled >= ${ALARM_THRESHOLDS.callErrorMinimumMessages}, ` +
          '100 * errors / (errors + handled), 0)',
        usingMetrics: {
          errors: own(METRICS.callErrors).with({ period: fifteen }),
          handled: own(METRICS.messagesHandled).with({ period: fifteen }),
        },
        period: fifteen,
        label: 'CALLERROR %',
      }),
      ALARM_THRESHOLDS.callErrorPercent,
    );
    const commandMetrics = Object.fromEntries(
      Object.entries(METRICS.commands).map(([status, name]) => [status, own(name).with({ period: fifteen })]),
    );
    const allCommands = Object.keys(METRICS.commands).join(' + ');
    alarm(
      'CommandTimeoutRate',
      `More than ${ALARM_THRESHOLDS.commandTimeoutPercent}% of the remote commands timed out in 15 ` +
        `minutes (with at least ${ALARM_THRESHOLDS.commandTimeoutMinimumCommands} commands)`,
      new MathExpression({
        expression:
          `IF((${allCommands}) >= ${ALARM_THRESHOLDS.commandTimeoutMinimumCommands}, ` +
          `100 * timeout / (${allCommands}), 0)`,
        usingMetrics: commandMetrics,
        period: fifteen,
        label: 'Command timeout %',
      }),
      ALARM_THRESHOLDS.commandTimeoutPercent,
    );
    this.alarms = alarms;

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${namePrefix}-${Stack.of(this).region}`.replace(/[^A-Za-z0-9_-]/g, '-'),
      defaultInterval: Duration.hours(3),
    });
    const connected = own(METRICS.stationsConnected);
    const disconnected = own(METRICS.stationsDisconnected);
    this.dashboard.addWidgets(
      new GraphWidget({
        title:
          'Stations connected (net change over the shown interval) and connects / disconnects per minute',
        width: 12,
        left: [
          new MathExpression({
            expression: 'RUNNING_SUM(FILL(up, 0) - FILL(down, 0))',
            usingMetrics: { up: connected, down: disconnected },
            label: 'Net connections since the start of the interval',
            period: Duration.minutes(1),
          }),
        ],
        right: [connected.with({ label: 'Connects' }), disconnected.with({ label: 'Disconnects' })],
      }),
      new GraphWidget({
        title: 'Messages per minute',
        width: 12,
        left: [
          apiGateway(wsApiId, 'MessageCount', WEBSOCKET_STAGE).with({
            label: 'WebSocket messages (in + out)',
          }),
          own(METRICS.messagesHandled).with({ label: 'Station frames handled' }),
          own(METRICS.callErrors).with({ label: 'CALLERRORs sent' }),
        ],
      }),
      new GraphWidget({
        title: 'Remote command outcomes per minute',
        width: 12,
        stacked: true,
        left: Object.entries(METRICS.commands).map(([status, name]) => own(name).with({ label: status })),
      }),
      new GraphWidget({
        title: 'Handler duration p99 (ms)',
        width: 12,
        left: Object.entries(props.functions).map(([name, fn]) =>
          fn.function.metricDuration({ statistic: 'p99', period: Duration.minutes(1), label: name }),
        ),
      }),
      new SingleValueWidget({
        title: 'Refused connections and HTTP API 5xx, last minute',
        width: 24,
        metrics: [
          own(METRICS.connectionsRefused).with({ label: 'Connections refused (1 min)' }),
          apiGateway(props.httpApi.api.apiId, '5xx').with({ label: 'HTTP API 5xx (1 min)' }),
        ],
      }),
    );
  }
}
