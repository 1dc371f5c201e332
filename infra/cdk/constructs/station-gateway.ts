import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  LogGroupLogDestination,
  WebSocketApi,
  WebSocketStage,
  type WebSocketRoute,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  ENV,
  FUNCTIONS,
  STATION_ID_PARAM,
  WEBSOCKET_ROUTES,
  WEBSOCKET_STAGE,
  type FunctionName,
} from '../../topology.js';
import type { ConcurrencyFunction, CustomDomain, StationClientCertificates, Throttle } from '../config.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { ApiGatewayLogsRole } from './api-gateway-logs-role.js';
import { CsmsFunction, type CsmsFunctionSettings } from './csms-function.js';
import { StationFrontDoor } from './station-front-door.js';
import { CONFIG_DEFAULTS, type MeterEventMode } from '../../../shared/aws/config.js';
import { grantTableData } from './table.js';

/** The functions behind the WebSocket API. */
export type StationFunctionName = Exclude<
  FunctionName,
  'api' | 'calls' | 'sweep' | 'webhookDeadLetters' | 'rollout' | 'sites'
>;

/**
 * No route has a route response (two-way communication): every frame to a station goes through
 * @connections, so a station's CALLRESULT / CALLERROR gets no frame back at all. See
 * docs/adr/0009-station-replies-through-connections.md.
 */

export interface StationGatewayProps {
  /** The CSMS table; every station function reads and writes it. */
  readonly table: ITable;
  /** The bus the functions publish domain events to. */
  readonly eventBus: IEventBus;
  /**
   * Admit stations that are not provisioned yet.
   * @default false
   */
  readonly admitUnknownStations?: boolean;
  /**
   * HeartbeatInterval given to stations, in seconds (10 to 590: API Gateway closes idle connections at 600).
   * @default 540
   */
  readonly heartbeatIntervalSeconds?: number;
  /**
   * What is published per meter sample (docs/events.md, "Meter values").
   * @default 'periodic'
   */
  readonly meterEvents?: MeterEventMode;
  /**
   * `periodic` meter events: minutes between two updates of one transaction.
   * @default 15
   */
  readonly meterEventMinutes?: number;
  /**
   * Seconds a station has to answer a CALL of the CSMS (remote commands) before it times out.
   * @default 60
   */
  readonly callTimeoutSeconds?: number;
  /**
   * Seconds a remote command may wait for an offline or busy station before it times out.
   * @default 86400
   */
  readonly queueTtlSeconds?: number;
  /**
   * Custom domain for the station endpoint.
   * @default - the CloudFront distribution's own domain name
   */
  readonly customDomain?: CustomDomain;
  /**
   * WAFv2 web ACL (CLOUDFRONT scope) for the station endpoint.
   * @default - none
   */
  readonly webAclArn?: string;
  /**
   * Create the account-wide API Gateway CloudWatch Logs role that WebSocket access logs need.
   * @default true
   */
  readonly configureApiGatewayLogsRole?: boolean;
  /**
   * The call-deadline queue (topology DEADLINE_QUEUE): every function that sends CALLs schedules
   * their deadlines on it. Without it only the minute sweep times calls out.
   */
  readonly deadlineQueue?: IQueue;
  /**
   * Retention of the function logs and of the WebSocket access log.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Logging, metrics and tracing of the functions.
   * @default - see CsmsFunctionSettings
   */
  readonly functionSettings?: CsmsFunctionSettings;
  /**
   * Reserved concurrency of the station functions, by name.
   * @default - none reserved
   */
  readonly reservedConcurrency?: Readonly<Partial<Record<ConcurrencyFunction, number>>>;
  /**
   * Throttling of every route of the WebSocket stage (messages per second, burst).
   * @default - the account's limits only
   */
  readonly throttle?: Throttle;
  /**
   * Security profile 3: viewer mTLS at the front door and the authorizer's trust anchors
   * (docs/adr/0015-station-client-certificates.md).
   * @default - none: no client certificates, profile-3 stations are refused
   */
  readonly clientCertificates?: StationClientCertificates;
}

/**
 * The station-facing side of the CSMS: API Gateway WebSocket API (authorizer on $connect, one
 * function per route, no route responses: replies go through @connections), its stage and access log, and the CloudFront
 * front door that gives stations their OCPP URL `wss://{host}/ocpp/{stationId}`.
 */
export class StationGateway extends Construct {
  public readonly api: WebSocketApi;
  public readonly stage: WebSocketStage;
  public readonly authorizer: WebSocketLambdaAuthorizer;
  public readonly functions: Readonly<Record<StationFunctionName, CsmsFunction>>;
  public readonly routes: Readonly<Record<keyof typeof WEBSOCKET_ROUTES, WebSocketRoute>>;
  public readonly accessLogs: LogGroup;
  /** Shared between CloudFront (origin header) and the authorizer, which refuses requests without it. */
  public readonly originSecret: Secret;
  public readonly frontDoor: StationFrontDoor;
  /** Only when `configureApiGatewayLogsRole` is on. */
  public readonly apiGatewayLogsRole?: ApiGatewayLogsRole;
  /** `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`: the @connections API endpoint. */
  public readonly connectionsUrl: string;
  /**
   * Environment every CSMS function gets (table, bus, connections URL, options); the origin
   * secret is not in it: only the authorizer has that.
   */
  public readonly functionEnvironment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: StationGatewayProps) {
    super(scope, id);
    const stack = Stack.of(this);

    this.api = new WebSocketApi(this, 'Api', {
      apiName: `${stack.stackName}-stations`,
      description: 'CSMS: OCPP-J WebSocket endpoint of the charging stations (behind CloudFront)',
    });
    this.connectionsUrl = `https://${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}/${WEBSOCKET_STAGE}`;

    this.functionEnvironment = {
      [ENV.tableName]: props.table.tableName,
      [ENV.eventBusName]: props.eventBus.eventBusName,
      [ENV.connectionsUrl]: this.connectionsUrl,
      [ENV.admitUnknownStations]: String(props.admitUnknownStations ?? false),
      [ENV.heartbeatIntervalSeconds]: String(
        props.heartbeatIntervalSeconds ?? CONFIG_DEFAULTS.heartbeatIntervalSeconds,
      ),
      [ENV.callTimeoutSeconds]: String(props.callTimeoutSeconds ?? 60),
      [ENV.queueTtlSeconds]: String(props.queueTtlSeconds ?? 86_400),
      [ENV.meterEvents]: props.meterEvents ?? CONFIG_DEFAULTS.meterEvents,
      [ENV.meterEventMinutes]: String(props.meterEventMinutes ?? CONFIG_DEFAULTS.meterEventMinutes),
      ...(props.deadlineQueue ? { [ENV.deadlineQueueUrl]: props.deadlineQueue.queueUrl } : {}),
    };

    this.originSecret = new Secret(this, 'OriginSecret', {
      description: `Value of the header CloudFront adds to requests to the station WebSocket API`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    // A CloudFormation dynamic reference: resolved at deploy time, never written to the template.
    const originSecretValue = this.originSecret.secretValue.unsafeUnwrap();

    const makeFunction = (name: StationFunctionName, extra: Record<string, string> = {}): CsmsFunction => {
      const reserved = props.reservedConcurrency?.[name];
      const fn = new CsmsFunction(this, pascalCase(name), {
        spec: FUNCTIONS[name],
        environment: { ...this.functionEnvironment, ...extra },
        ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
        ...(props.functionSettings ? { settings: props.functionSettings } : {}),
        ...(reserved !== undefined ? { reservedConcurrentExecutions: reserved } : {}),
      });
      grantTableData(props.table, fn.function, 'readWrite');
      props.eventBus.grantPutEventsTo(fn.function);
      if (name !== 'authorizer') props.deadlineQueue?.grantSendMessages(fn.function);
      return fn;
    };
    this.functions = {
      // Read and write: the authorizer records security events (failed logins, unknown stations).
      authorizer: makeFunction('authorizer', {
        [ENV.originSecret]: originSecretValue,
        ...(props.clientCertificates ? { [ENV.clientCaPem]: props.clientCertificates.caPem } : {}),
      }),
      connect: makeFunction('connect'),
      message: makeFunction('message'),
      disconnect: makeFunction('disconnect'),
    };
    this.grantManageConnections(this.functions.message.function);
    // $connect closes the station's previous connection: the newest one wins (ADR 0006).
    this.grantManageConnections(this.functions.connect.function);

    // The identity source is the station id that the CloudFront function puts in the query string,
    // not the Authorization header: unknown stations may be admitted without one.
    this.authorizer = new WebSocketLambdaAuthorizer('StationAuthorizer', this.functions.authorizer.function, {
      identitySource: [`route.request.querystring.${STATION_ID_PARAM}`],
    });

    const routes: Partial<Record<keyof typeof WEBSOCKET_ROUTES, WebSocketRoute>> = {};
    for (const [routeKey, functionName] of Object.entries(WEBSOCKET_ROUTES) as [
      keyof typeof WEBSOCKET_ROUTES,
      StationFunctionName,
    ][]) {
      // Never 'Default': that id collides with the $default route's construct.
      const integration = new WebSocketLambdaIntegration(
        `${pascalCase(functionName)}Integration`,
        this.functions[functionName].function,
      );
      routes[routeKey] = this.api.addRoute(routeKey, {
        integration,
        ...(routeKey === '$connect' ? { authorizer: this.authorizer } : {}),
      });
    }
    this.routes = routes as Record<keyof typeof WEBSOCKET_ROUTES, WebSocketRoute>;
    for (const [routeKey, route] of Object.entries(this.routes)) {
      if (routeKey === '$connect') continue;
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'API Gateway only runs authorizers on $connect: messages and $disconnect belong to a ' +
          'connection that the $connect authorizer (origin secret, station identity, HTTP Basic) admitted.',
      });
    }

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY, // like the function logs: the stack is disposable
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: WEBSOCKET_STAGE,
      autoDeploy: true,
      description: 'Stations connect here through CloudFront, which rewrites /ocpp/{stationId}',
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs) },
      ...(props.throttle ? { throttle: props.throttle } : {}),
    });
    if (props.configureApiGatewayLogsRole ?? true) {
      this.apiGatewayLogsRole = new ApiGatewayLogsRole(this, 'ApiGatewayLogsRole');
      this.stage.node.addDependency(this.apiGatewayLogsRole.account);
    }

    this.frontDoor = new StationFrontDoor(this, 'FrontDoor', {
      originDomainName: `${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`,
      originSecret: originSecretValue,
      ...(props.customDomain ? { customDomain: props.customDomain } : {}),
      ...(props.webAclArn ? { webAclArn: props.webAclArn } : {}),
      ...(props.clientCertificates ? { trustStoreBundle: props.clientCertificates.trustStoreBundle } : {}),
    });

    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'CloudFormation resolves the secret into the CloudFront origin header and the authorizer ' +
        'environment at deploy time only, so a rotation would make them disagree until the next ' +
        'deploy and lock every station out. To change it, replace the secret resource and deploy ' +
        '(CloudFormation re-resolves a dynamic reference only when the template changes).',
    });
  }

  /** Lets `grantee` post to, read and close station connections (the @connections API). */
  public grantManageConnections(grantee: IGrantable): Grant {
    const resourceArn = Stack.of(this).formatArn({
      service: 'execute-api',
      resource: this.api.apiId,
      resourceName: `${WEBSOCKET_STAGE}/*/@connections/*`,
    });
    const grant = Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:ManageConnections'],
      resourceArns: [resourceArn],
    });
    const principal = grantee.grantPrincipal;
    if (principal instanceof Construct) {
      acknowledgeWildcardResource(
        principal,
        resourceArn,
        'Connection ids are only known at run time, so the resource ends in @connections/*; it is ' +
          `limited to this API and its ${WEBSOCKET_STAGE} stage. The method wildcard covers exactly ` +
          'POST (send a CALL), GET (connection status) and DELETE (close a connection).',
      );
    }
    return grant;
  }
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
