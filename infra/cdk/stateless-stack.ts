import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { CsmsOptions } from './config.js';
import { CallDeadlineQueue, CommandSweep } from './constructs/command-sweep.js';
import type { CsmsFunctionSettings } from './constructs/csms-function.js';
import { Dashboard } from './constructs/dashboard.js';
import { FirmwareRollouts } from './constructs/firmware-rollouts.js';
import { CsmsHttpApi } from './constructs/http-api.js';
import { CsmsOperations } from './constructs/operations.js';
import { SiteLoadManagement } from './constructs/site-load.js';
import { StationGateway } from './constructs/station-gateway.js';
import { grantStationCaSigning } from './constructs/station-ca.js';
import {
  grantWebhookManagement,
  WebhookDeadLetterConsumer,
  webhookEnvironment,
} from './constructs/webhooks.js';

export interface StatelessStackProps extends StackProps {
  /** The table of the stateful stack. */
  readonly table: ITable;
  /** The event bus of the stateful stack. */
  readonly eventBus: IEventBus;
  /** Deployment options (see config.ts for each default). */
  readonly options: CsmsOptions;
  /**
   * Prefix of the dashboard and alarm names.
   * @default the stack name
   */
  readonly namePrefix?: string;
  /**
   * SNS topic the alarms go to.
   * @default - a new topic (output AlarmTopicArn)
   */
  readonly alarmTopic?: ITopic;
  /** The stateful stack's webhook infrastructure (CsmsWebhooks) and the bus archive. */
  readonly webhooks: {
    readonly targetRole: IRole;
    readonly deadLetterQueue: IQueue;
    readonly archiveArn: string;
  };
  /**
   * The station CA's KMS key (stateful stack): SignCertificate and GET /v1/certificates/ca use it.
   * @default - no station CA: SignCertificate is answered Rejected
   */
  readonly stationCaKeyArn?: string;
}

/** POWERTOOLS_SERVICE_NAME of a stage: the `service` dimension of its metrics. */
export function serviceNameOf(stage: string | undefined): string {
  return stage ? `csms-${stage}` : 'csms';
}

/** Everything that can be destroyed and redeployed: functions, APIs, CloudFront, alarms, dashboard. */
export class StatelessStack extends Stack {
  public readonly stationGateway: StationGateway;
  public readonly httpApi: CsmsHttpApi;
  public readonly commandSweep: CommandSweep;
  public readonly operations: CsmsOperations;
  public readonly webhookDeadLetters: WebhookDeadLetterConsumer;
  public readonly dashboard: Dashboard;
  public readonly firmwareRollouts: FirmwareRollouts;
  public readonly siteLoad: SiteLoadManagement;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, eventBus, options } = props;
    // Call deadlines (topology DEADLINE_QUEUE): every function that sends CALLs schedules them.
    const deadlines = new CallDeadlineQueue(this, 'CallDeadlines');
    const serviceName = serviceNameOf(options.stage);
    const functionSettings: CsmsFunctionSettings = {
      logLevel: options.logLevel,
      serviceName,
      tracing: options.tracing,
      logRetention: options.logRetentionDays,
    };
    const logRetention = options.logRetentionDays as RetentionDays;

    this.stationGateway = new StationGateway(this, 'StationGateway', {
      table,
      eventBus,
      admitUnknownStations: options.admitUnknownStations,
      heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
      ...(options.meterEvents ? { meterEvents: options.meterEvents } : {}),
      ...(options.meterEventMinutes ? { meterEventMinutes: options.meterEventMinutes } : {}),
      configureApiGatewayLogsRole: options.configureApiGatewayLogsRole,
      deadlineQueue: deadlines.queue,
      functionSettings,
      logRetention,
      ...(options.customDomain ? { customDomain: options.customDomain } : {}),
      ...(options.webAclArn ? { webAclArn: options.webAclArn } : {}),
      ...(options.reservedConcurrency ? { reservedConcurrency: options.reservedConcurrency } : {}),
      ...(options.stationThrottle ? { throttle: options.stationThrottle } : {}),
      ...(options.stationClientCertificates ? { clientCertificates: options.stationClientCertificates } : {}),
    });

    this.httpApi = new CsmsHttpApi(this, 'HttpApi', {
      table,
      eventBus,
      environment: this.stationGateway.functionEnvironment,
      // No secret of its own (no monthly cost): the cursor key is derived from the origin secret.
      cursorSecret: this.stationGateway.originSecret,
      functionSettings,
      logRetention,
      ...(options.reservedConcurrency?.api !== undefined
        ? { reservedConcurrency: options.reservedConcurrency.api }
        : {}),
      ...(options.httpThrottle ? { throttle: options.httpThrottle } : {}),
    });
    // Remote commands: the api function posts CALLs to station connections.
    this.stationGateway.grantManageConnections(this.httpApi.handler.function);
    deadlines.queue.grantSendMessages(this.httpApi.handler.function);

    // Partner webhooks: the api function manages rules and API destinations under its prefix.
    const webhooks = { ...props.webhooks, busName: options.eventBusName, limit: options.webhookLimit };
    for (const [name, value] of Object.entries(webhookEnvironment(webhooks))) {
      this.httpApi.handler.function.addEnvironment(name, value);
    }
    grantWebhookManagement(this.httpApi.handler.function, webhooks);
    this.webhookDeadLetters = new WebhookDeadLetterConsumer(this, 'WebhookDeadLetters', {
      ...webhooks,
      table,
      environment: this.stationGateway.functionEnvironment,
      functionSettings,
      logRetention,
    });

    // The station CA (constructs/station-ca.ts): the message function signs CSRs, the api function
    // serves the CA certificate (and creates it on first use).
    if (props.stationCaKeyArn !== undefined) {
      grantStationCaSigning(this.stationGateway.functions.message.function, props.stationCaKeyArn);
      grantStationCaSigning(this.httpApi.handler.function, props.stationCaKeyArn);
    }

    this.commandSweep = new CommandSweep(this, 'CommandSweep', {
      table,
      eventBus,
      stationGateway: this.stationGateway,
      deadlineQueue: deadlines.queue,
      functionSettings,
      logRetention,
    });

    this.firmwareRollouts = new FirmwareRollouts(this, 'FirmwareRollouts', {
      table,
      eventBus,
      stationGateway: this.stationGateway,
      deadlineQueue: deadlines.queue,
      functionSettings,
      logRetention,
    });
    this.firmwareRollouts.allowControl(this.httpApi.handler.function);

    // Site load management: recomputes shares on transaction events, sends TxProfiles.
    this.siteLoad = new SiteLoadManagement(this, 'SiteLoad', {
      table,
      eventBus,
      stationGateway: this.stationGateway,
      deadlineQueue: deadlines.queue,
      functionSettings,
      logRetention,
    });

    this.operations = new CsmsOperations(this, 'Operations', {
      namePrefix: props.namePrefix ?? this.stackName,
      serviceName,
      table,
      stationGateway: this.stationGateway,
      httpApi: this.httpApi,
      functions: {
        ...this.stationGateway.functions,
        api: this.httpApi.handler,
        calls: this.commandSweep.callsHandler,
        sweep: this.commandSweep.handler,
        webhookDeadLetters: this.webhookDeadLetters.handler,
        rollout: this.firmwareRollouts.handler,
        sites: this.siteLoad.handler,
      },
      deadLetterQueues: { Sweep: this.commandSweep.deadLetterQueue, SiteLoad: this.siteLoad.deadLetterQueue },
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
      ...(options.alarmEmail ? { alarmEmail: options.alarmEmail } : {}),
    });

    // The operator dashboard: web app on S3 + CloudFront, Cognito login (constructs/dashboard.ts).
    this.dashboard = new Dashboard(this, 'Dashboard', { httpApi: this.httpApi });

    new CfnOutput(this, 'StationUrl', {
      description: 'OCPP endpoint of the charging stations: replace {stationId} with the identity',
      value: `${this.stationGateway.frontDoor.stationUrlPrefix}{stationId}`,
    });
    new CfnOutput(this, 'StationDistributionDomainName', {
      description: 'CloudFront domain name (the target of the custom domain record, if any)',
      value: this.stationGateway.frontDoor.distribution.distributionDomainName,
    });
    new CfnOutput(this, 'HttpApiUrl', {
      description: 'HTTP API for operators and partners',
      value: this.httpApi.url,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic of the CSMS alarms: subscribe to it (or pass alarmEmail)',
      value: this.operations.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of the station traffic',
      value: this.operations.dashboard.dashboardName,
    });
  }
}
