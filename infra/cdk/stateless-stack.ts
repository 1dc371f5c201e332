import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { CsmsOptions } from './config.js';
import { CallDeadlineQueue, CommandSweep } from './constructs/command-sweep.js';
import { FirmwareRollouts } from './constructs/firmware-rollouts.js';
import { CsmsHttpApi } from './constructs/http-api.js';
import { StationGateway } from './constructs/station-gateway.js';

export interface StatelessStackProps extends StackProps {
  /** The table of the stateful stack. */
  readonly table: ITable;
  /** The event bus of the stateful stack. */
  readonly eventBus: IEventBus;
  /** Deployment options (see config.ts for each default). */
  readonly options: CsmsOptions;
}

/** Everything that can be destroyed and redeployed: functions, APIs, CloudFront. */
export class StatelessStack extends Stack {
  public readonly stationGateway: StationGateway;
  public readonly httpApi: CsmsHttpApi;
  public readonly commandSweep: CommandSweep;
  public readonly firmwareRollouts: FirmwareRollouts;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, eventBus, options } = props;
    // Call deadlines (topology DEADLINE_QUEUE): every function that sends CALLs schedules them.
    const deadlines = new CallDeadlineQueue(this, 'CallDeadlines');

    this.stationGateway = new StationGateway(this, 'StationGateway', {
      table,
      eventBus,
      admitUnknownStations: options.admitUnknownStations,
      heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
      configureApiGatewayLogsRole: options.configureApiGatewayLogsRole,
      deadlineQueue: deadlines.queue,
      ...(options.customDomain ? { customDomain: options.customDomain } : {}),
      ...(options.webAclArn ? { webAclArn: options.webAclArn } : {}),
    });

    this.httpApi = new CsmsHttpApi(this, 'HttpApi', {
      table,
      eventBus,
      environment: this.stationGateway.functionEnvironment,
      // No secret of its own (no monthly cost): the cursor key is derived from the origin secret.
      cursorSecret: this.stationGateway.originSecret,
    });
    // Remote commands: the api function posts CALLs to station connections.
    this.stationGateway.grantManageConnections(this.httpApi.handler.function);
    deadlines.queue.grantSendMessages(this.httpApi.handler.function);

    this.commandSweep = new CommandSweep(this, 'CommandSweep', {
      table,
      eventBus,
      stationGateway: this.stationGateway,
      deadlineQueue: deadlines.queue,
    });

    this.firmwareRollouts = new FirmwareRollouts(this, 'FirmwareRollouts', {
      table,
      eventBus,
      stationGateway: this.stationGateway,
      deadlineQueue: deadlines.queue,
    });
    this.firmwareRollouts.allowControl(this.httpApi.handler.function);

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
  }
}
