// The HTTP API for operators and partners (constructs/http-api.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { ENV, FUNCTIONS, HTTP_ROUTES, WEBSOCKET_STAGE } from '../../infra/topology.js';
import { logicalIdOf, resourcesOfType, synthesizeDefault } from './synth.js';

const { statelessTemplate: template } = synthesizeDefault();
const apiId = logicalIdOf(template, 'AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
const functionId = logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS.api.description });

describe('HTTP API', () => {
  test('one route per topology HTTP_ROUTES entry, no authorizer at API Gateway (the function checks API keys)', () => {
    const routes = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route')).filter(
      (route) => (route.Properties.ApiId as { Ref: string }).Ref === apiId,
    );
    assert.deepEqual(
      routes.map((route) => route.Properties.RouteKey).sort(),
      HTTP_ROUTES.map((route) => `${route.method} ${route.path}`).sort(),
    );
    for (const route of routes) assert.equal(route.Properties.AuthorizationType, 'NONE');
  });

  test('every route goes to the api function, Lambda proxy, payload format 2.0', () => {
    const integrations = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Integration')).filter(
      (integration) => (integration.Properties.ApiId as { Ref: string }).Ref === apiId,
    );
    assert.equal(integrations.length, 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [functionId, 'Arn'] },
    });
  });

  test('$default stage, auto-deployed, with an access log', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
    });
  });

  test('api function: topology memory and timeout, nodejs22.x arm64, same environment as the station functions', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: FUNCTIONS.api.description,
      MemorySize: FUNCTIONS.api.memoryMb,
      Timeout: FUNCTIONS.api.timeoutSeconds,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: Match.objectLike({
          [ENV.tableName]: Match.anyValue(),
          [ENV.eventBusName]: Match.anyValue(),
          [ENV.connectionsUrl]: Match.anyValue(),
          [ENV.admitUnknownStations]: 'false',
          [ENV.heartbeatIntervalSeconds]: '540',
          [ENV.meterEvents]: 'periodic',
          [ENV.meterEventMinutes]: '15',
          [ENV.originSecret]: Match.absent(),
        }),
      },
    });
  });

  test('api function: the cursor secret is a Secrets Manager dynamic reference, never a literal', () => {
    const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId]!;
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    assert.match(JSON.stringify(variables[ENV.cursorSecret]), /\{\{resolve:secretsmanager:/);
  });

  test('api function may post to station connections (remote commands)', () => {
    const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId]!;
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
    const text = JSON.stringify(statements);
    assert.ok(text.includes('"execute-api:ManageConnections"'));
    assert.ok(text.includes(`/${WEBSOCKET_STAGE}/*/@connections/*`));
    assert.ok(text.includes('"events:PutEvents"') && text.includes('"dynamodb:Query"'));
  });

  test('outputs its URL', () => {
    template.hasOutput('HttpApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: apiId },
            '.execute-api.',
            { Ref: 'AWS::Region' },
            '.',
            { Ref: 'AWS::URLSuffix' },
            '/',
          ],
        ],
      },
    });
  });
});
