import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { CsmsOptions } from './config.js';
import { CommandSweep } from './constructs/command-sweep.js';
import { Dashboard } from './constructs/dashboard.js';
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
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { table, eventBus, options } = props;

    this.stationGateway = new StationGateway(this, 'StationGateway', {
      table,
      eventBus,
      admitUnknownStations: options.admitUnknownStations,
      heartbeatIntervalSeconds: options.heartbeatIntervalSeconds,
      configureApiGatewayLogsRole: options.configureApiGatewayLogsRole,
      ...(options.customDomain ? { customDomain: options.customDomain } : {}),
      ...(options.webAclArn ? { webAclArn: options.webAclArn } : {}),
    });

    this.httpApi = new CsmsHttpApi(this, 'HttpApi', {
      table,
      eventBus,
      environment: this.stationGateway.functionEnvironment,
    });
    // Remote commands: the api function posts CALLs to station connections.
    this.stationGateway.grantManageConnections(this.httpApi.handler.function);

    this.commandSweep = new CommandSweep(this, 'CommandSweep', {
      table,
      eventBus,
      stationGateway: this.stationGateway,
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
  }
}
