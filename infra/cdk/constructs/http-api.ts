import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type HttpRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, FUNCTIONS, HTTP_ROUTES } from '../../topology.js';
import type { Throttle } from '../config.js';
import { CsmsFunction, type CsmsFunctionSettings } from './csms-function.js';
import { grantTableData } from './table.js';

export interface CsmsHttpApiProps {
  /** The CSMS table (API keys, stations, commands). */
  readonly table: ITable;
  /** The bus the api function publishes domain events to. */
  readonly eventBus: IEventBus;
  /**
   * Environment of the api function (see StationGateway.functionEnvironment).
   * @default - none besides NODE_OPTIONS and POWERTOOLS_SERVICE_NAME
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The secret the api function derives its pagination cursor key from (HKDF, so the key reveals
   * nothing about the secret): docs/adr/0007-cursor-signing.md.
   */
  readonly cursorSecret: ISecret;
  /**
   * Retention of the api function's logs and of the access log.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Logging, metrics and tracing of the api function.
   * @default - see CsmsFunctionSettings
   */
  readonly functionSettings?: CsmsFunctionSettings;
  /**
   * Reserved concurrency of the api function.
   * @default - none reserved
   */
  readonly reservedConcurrency?: number;
  /**
   * Throttling of the stage (requests per second, burst).
   * @default - the account's limits only
   */
  readonly throttle?: Throttle;
  /**
   * Name of the API.
   * @default `{stackName}-http`
   */
  readonly apiName?: string;
}

/**
 * The HTTP API for operators and partners (provisioning, queries, remote commands): API Gateway
 * HTTP API, payload format 2.0, every route of topology HTTP_ROUTES to the api function.
 */
export class CsmsHttpApi extends Construct {
  public readonly api: HttpApi;
  public readonly stage: HttpStage;
  public readonly handler: CsmsFunction;
  public readonly routes: readonly HttpRoute[];
  public readonly accessLogs: LogGroup;
  /** Base URL of the API, ending in a slash. */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: CsmsHttpApiProps) {
    super(scope, id);

    this.handler = new CsmsFunction(this, 'Handler', {
      spec: FUNCTIONS.api,
      environment: {
        ...props.environment,
        // A CloudFormation dynamic reference: resolved at deploy time, never written to the template.
        [ENV.cursorSecret]: props.cursorSecret.secretValue.unsafeUnwrap(),
      },
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
      ...(props.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrency }
        : {}),
    });
    grantTableData(props.table, this.handler.function, 'readWrite');
    props.eventBus.grantPutEventsTo(this.handler.function);

    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName ?? `${Stack.of(this).stackName}-http`,
      description: 'CSMS: HTTP API for operators and partners',
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY, // like the function logs: the stack is disposable
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs) },
      ...(props.throttle ? { throttle: props.throttle } : {}),
    });

    const integration = new HttpLambdaIntegration('HandlerIntegration', this.handler.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    this.routes = HTTP_ROUTES.flatMap((route) =>
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration }),
    );
    for (const route of this.routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The api function authenticates every request itself (bearer API key checked against the ' +
          'scrypt hashes in the table) so that the local host, which has no API Gateway, enforces ' +
          'the same rules; /health is public on purpose.',
      });
    }
    this.url = this.stage.url;
  }
}
