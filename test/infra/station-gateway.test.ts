// The station gateway (constructs/station-gateway.ts, station-front-door.ts, csms-function.ts):
// WebSocket API, its functions and grants, and the CloudFront front door.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { stationPathRewriteCode } from '../../infra/cdk/constructs/station-path-rewrite.js';
import { STACK_NAMES } from '../../infra/cdk/csms-app.js';
import {
  ENV,
  FUNCTIONS,
  ORIGIN_SECRET_HEADER,
  STATION_ID_PARAM,
  WEBSOCKET_ROUTES,
  WEBSOCKET_STAGE,
  type FunctionName,
} from '../../infra/topology.js';
import { logicalIdOf, resourcesOfType, synthesizeDefault } from './synth.js';

const { stateless, statelessTemplate: template } = synthesizeDefault();
const STATION_FUNCTIONS = ['authorizer', 'connect', 'message', 'disconnect'] as const;

const functionId = (name: FunctionName): string =>
  logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS[name].description });
const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET' });
const secretId = logicalIdOf(template, 'AWS::SecretsManager::Secret');
const secretReference = {
  'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: secretId }, ':SecretString:::}}']],
};
const connectionsArn = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':execute-api:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':',
      { Ref: apiId },
      `/${WEBSOCKET_STAGE}/*/@connections/*`,
    ],
  ],
};

/** The statements of the execution role's policy of the function. */
function statementsOf(name: FunctionName): Record<string, unknown>[] {
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId(name)]!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((policy) =>
    (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
  );
  return policies.flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
  );
}

describe('stateless stack', () => {
  test('is named for the deployment', () => {
    assert.equal(stateless.stackName, STACK_NAMES.stateless);
  });
});

describe('WebSocket API', () => {
  test('one WebSocket API with exactly the topology routes', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 2); // and the HTTP API
    const routeKeys = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'))
      .filter((route) => (route.Properties.ApiId as { Ref: string }).Ref === apiId)
      .map((route) => route.Properties.RouteKey)
      .sort();
    assert.deepEqual(routeKeys, Object.keys(WEBSOCKET_ROUTES).sort());
  });

  test('each route integrates its function (Lambda proxy)', () => {
    for (const [routeKey, name] of Object.entries(WEBSOCKET_ROUTES)) {
      const route = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).find(
        (r) => r.Properties.RouteKey === routeKey,
      )!;
      const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integrationId = target['Fn::Join'][1][1].Ref;
      const integration = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration')[integrationId]!;
      assert.equal(integration.Properties.IntegrationType, 'AWS_PROXY', routeKey);
      assert.match(
        JSON.stringify(integration.Properties.IntegrationUri),
        new RegExp(`"${functionId(name)}"`),
      );
    }
  });

  test('$connect runs the REQUEST authorizer, whose identity source is the station id in the query string', () => {
    const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer');
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      ApiId: { Ref: apiId },
      AuthorizerType: 'REQUEST',
      IdentitySource: [`route.request.querystring.${STATION_ID_PARAM}`],
      AuthorizerUri: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionId('authorizer'), 'Arn'] }])],
      }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: authorizerId },
    });
    // Not the Authorization header: unknown stations may be admitted without one.
    assert.doesNotMatch(JSON.stringify(template.findResources('AWS::ApiGatewayV2::Authorizer')), /header/i);
  });

  test('no route has a route response: station replies go through @connections (ADR 0009)', () => {
    // A two-way $default route may send a frame for an empty integration body; a one-way route
    // sends nothing (apigateway-websocket-api-integration-responses.html), so a station's
    // CALLRESULT / CALLERROR never gets a frame back.
    template.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', 0);
    for (const route of Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'))) {
      assert.equal(route.Properties.RouteResponseSelectionExpression, undefined);
    }
    const messageFunction = resourcesOfType(template, 'AWS::Lambda::Function')[
      logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS.message.description })
    ]!;
    const roleId = (messageFunction.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    // ...so the message function may post to connections.
    const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    );
    assert.match(JSON.stringify(policies), /execute-api:ManageConnections/);
  });

  test('stage: topology name, auto-deployed, access log, after the account logging role', () => {
    const accountId = logicalIdOf(template, 'AWS::ApiGateway::Account');
    template.hasResource('AWS::ApiGatewayV2::Stage', {
      Properties: {
        ApiId: { Ref: apiId },
        StageName: WEBSOCKET_STAGE,
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      },
      DependsOn: Match.arrayWith([accountId]),
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: Match.objectLike({
        Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
      }),
      ManagedPolicyArns: [Match.objectLike({ 'Fn::Join': Match.anyValue() })],
    });
  });
});

describe('station functions', () => {
  test('nodejs22.x on arm64, memory and timeout from topology, ESM bundle', () => {
    for (const name of STATION_FUNCTIONS) {
      const { memoryMb, timeoutSeconds, description } = FUNCTIONS[name];
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: description,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: memoryMb,
        Timeout: timeoutSeconds,
        Handler: 'index.handler',
      });
    }
  });

  test('environment: table, bus, connections URL, options; the origin secret for the authorizer only', () => {
    for (const name of STATION_FUNCTIONS) {
      const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId(name)]!;
      const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      // Issue 14: no --enable-source-maps on the cold path (infra/bundling.ts).
      assert.equal(variables.NODE_OPTIONS, undefined);
      assert.equal(variables.POWERTOOLS_SERVICE_NAME, 'csms');
      assert.match(JSON.stringify(variables[ENV.tableName]), /Fn::ImportValue.*Table/);
      assert.match(JSON.stringify(variables[ENV.eventBusName]), /Fn::ImportValue.*EventsBus/);
      assert.deepEqual(variables[ENV.connectionsUrl], {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: apiId },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            `/${WEBSOCKET_STAGE}`,
          ],
        ],
      });
      assert.equal(variables[ENV.admitUnknownStations], 'false');
      assert.equal(variables[ENV.heartbeatIntervalSeconds], '540');
      // Issue 14: what is published per meter sample, the default.
      assert.equal(variables[ENV.meterEvents], 'periodic');
      assert.equal(variables[ENV.meterEventMinutes], '15');
      if (name === 'authorizer') assert.deepEqual(variables[ENV.originSecret], secretReference);
      else assert.equal(variables[ENV.originSecret], undefined, name);
    }
  });

  test('each function logs to its own log group, kept one month', () => {
    for (const name of STATION_FUNCTIONS) {
      const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId(name)]!;
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      assert.equal(
        resourcesOfType(template, 'AWS::Logs::LogGroup')[logGroupId]!.Properties.RetentionInDays,
        30,
      );
    }
  });

  test('grants: table items (no Scan, no index wildcard), PutEvents, ManageConnections for message and connect only', () => {
    for (const name of STATION_FUNCTIONS) {
      const statements = statementsOf(name);
      const text = JSON.stringify(statements);
      assert.ok(text.includes('"dynamodb:PutItem"') && text.includes('"dynamodb:Query"'), name);
      assert.ok(text.includes('/index/gsi1'), name);
      assert.ok(!text.includes('dynamodb:Scan') && !text.includes('index/*'), name);
      assert.ok(text.includes('"events:PutEvents"'), name);
      const manage = statements.filter((s) => s.Action === 'execute-api:ManageConnections');
      // connect closes the connection a newer one replaces (issue 7: the newest connection wins).
      if (name === 'message' || name === 'connect')
        assert.deepEqual(manage, [
          { Action: 'execute-api:ManageConnections', Effect: 'Allow', Resource: connectionsArn },
        ]);
      else assert.deepEqual(manage, [], name);
    }
  });

  test('execution roles carry no managed policy (log writes are granted on the function log group)', () => {
    for (const name of STATION_FUNCTIONS) {
      const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId(name)]!;
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      assert.equal(
        resourcesOfType(template, 'AWS::IAM::Role')[roleId]!.Properties.ManagedPolicyArns,
        undefined,
      );
    }
  });
});

describe('CloudFront front door', () => {
  const distribution = () =>
    Object.values(resourcesOfType(template, 'AWS::CloudFront::Distribution'))[0]!.Properties
      .DistributionConfig as Record<string, unknown>;

  test('a viewer-request CloudFront Function (cloudfront-js-2.0) with the tested rewrite code', () => {
    const functionArn = { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::CloudFront::Function'), 'FunctionARN'] };
    template.hasResourceProperties('AWS::CloudFront::Function', {
      AutoPublish: true,
      FunctionCode: stationPathRewriteCode(),
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [{ EventType: 'viewer-request', FunctionARN: functionArn }],
        }),
      }),
    });
  });

  test('origin: the WebSocket API over HTTPS (TLS 1.2) with the secret header as a dynamic reference', () => {
    assert.deepEqual((distribution().Origins as unknown[]).length, 1);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [
          Match.objectLike({
            DomainName: {
              'Fn::Join': [
                '',
                [{ Ref: apiId }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }],
              ],
            },
            OriginPath: Match.absent(),
            CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
            OriginCustomHeaders: [{ HeaderName: ORIGIN_SECRET_HEADER, HeaderValue: secretReference }],
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ ExcludePunctuation: true, PasswordLength: 64 }),
    });
  });

  test('viewer: HTTPS only, every method, nothing compressed', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
          Compress: false,
        }),
      }),
    });
  });

  test('policies: handshake headers and query string forwarded, Authorization through the cache key', () => {
    const behavior = distribution().DefaultCacheBehavior as Record<string, { Ref: string }>;
    const cachePolicy = resourcesOfType(template, 'AWS::CloudFront::CachePolicy')[
      behavior.CachePolicyId!.Ref
    ]!;
    const cacheConfig = cachePolicy.Properties.CachePolicyConfig as Record<string, unknown>;
    // Not all 0 (CACHING_DISABLED): CloudFront then refuses to name any header in the policy.
    assert.deepEqual([cacheConfig.MinTTL, cacheConfig.DefaultTTL, cacheConfig.MaxTTL], [0, 0, 1]);
    const key = cacheConfig.ParametersInCacheKeyAndForwardedToOrigin as Record<string, unknown>;
    assert.deepEqual(key.HeadersConfig, { HeaderBehavior: 'whitelist', Headers: ['Authorization'] });
    assert.deepEqual(key.QueryStringsConfig, { QueryStringBehavior: 'all' });
    assert.deepEqual(key.CookiesConfig, { CookieBehavior: 'none' });
    const originRequestPolicy = resourcesOfType(template, 'AWS::CloudFront::OriginRequestPolicy')[
      behavior.OriginRequestPolicyId!.Ref
    ]!;
    const config = originRequestPolicy.Properties.OriginRequestPolicyConfig as Record<string, unknown>;
    assert.deepEqual(config.HeadersConfig, {
      HeaderBehavior: 'whitelist',
      Headers: [
        'Sec-WebSocket-Key',
        'Sec-WebSocket-Version',
        'Sec-WebSocket-Protocol',
        'Sec-WebSocket-Extensions',
        // The station's own address for security events: API Gateway sees CloudFront's.
        'CloudFront-Viewer-Address',
        // TLS or not: security profile 2 needs TLS (always https behind CloudFront).
        'CloudFront-Forwarded-Proto',
      ],
    });
    assert.deepEqual(config.QueryStringsConfig, { QueryStringBehavior: 'all' });
    // CloudFront refuses Authorization in an origin request policy, and Host must stay the API's.
    assert.doesNotMatch(JSON.stringify(config), /authorization|"host"/i);
  });

  test('refused connections are not cached: a station may retry at once', () => {
    const errors = distribution().CustomErrorResponses as { ErrorCode: number; ErrorCachingMinTTL: number }[];
    assert.ok(errors.some((e) => e.ErrorCode === 403));
    assert.ok(errors.every((e) => e.ErrorCachingMinTTL === 0));
  });

  test('no custom domain by default', () => {
    const config = distribution();
    assert.equal(config.Aliases, undefined);
    assert.equal(config.ViewerCertificate, undefined);
    assert.equal(config.WebACLId, undefined);
  });

  test('the secret never appears in clear', () => {
    const text = JSON.stringify(template.toJSON());
    const resolves = text.match(/\{\{resolve:secretsmanager:/g) ?? [];
    // The origin header, the authorizer environment, the api function's cursor secret (ADR 0007).
    assert.equal(resolves.length, 3);
    assert.ok(!/"SecretString"\s*:/.test(text), 'no SecretString property with a literal value');
  });

  /** The stations' distribution (the stack also has the dashboard's). */
  function stationDistributionId(): string {
    const ids = Object.entries(resourcesOfType(template, 'AWS::CloudFront::Distribution'))
      .filter(
        ([, d]) =>
          (d.Properties.DistributionConfig as { Comment?: string }).Comment !== 'CSMS operator dashboard',
      )
      .map(([id]) => id);
    assert.equal(ids.length, 1);
    return ids[0]!;
  }

  test('outputs the station URL', () => {
    template.hasOutput('StationUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['wss://', { 'Fn::GetAtt': [stationDistributionId(), 'DomainName'] }, '/ocpp/{stationId}'],
        ],
      },
    });
  });
});
