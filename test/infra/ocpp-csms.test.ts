// The embeddable construct (infra/cdk/ocpp-csms.ts): stages side by side, cost allocation tags,
// alarms into SNS, the dashboard, tracing, adopting retained data. Synths skip bundling.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { APPLICATION_TAG_VALUE, COST_TAGS, OcppCsms } from '../../infra/cdk/ocpp-csms.js';
import { ALARM_THRESHOLDS } from '../../infra/cdk/constructs/operations.js';
import { FEATURE_FLAGS } from '../../infra/cdk/csms-app.js';
import { ENV, FUNCTIONS, METRICS } from '../../infra/topology.js';
import { cdkJsonContext, csmsFunctions, resourcesOfType } from './synth.js';

function newApp(): App {
  return new App({
    context: { ...FEATURE_FLAGS, ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] },
  });
}

/** Physical names a template fixes itself (literal strings), by resource type and property. */
const NAMED: Record<string, string[]> = {
  'AWS::Events::EventBus': ['Name'],
  'AWS::ApiGatewayV2::Api': ['Name'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudFront::OriginRequestPolicy': ['OriginRequestPolicyConfig.Name'],
  'AWS::CloudFront::CachePolicy': ['CachePolicyConfig.Name'],
  'AWS::CloudFront::Function': ['Name'],
  'AWS::DynamoDB::Table': ['TableName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::EventSchemas::Registry': ['RegistryName'],
};

function physicalNames(stack: Stack): string[] {
  const template = Template.fromStack(stack);
  const names: string[] = [];
  for (const [type, paths] of Object.entries(NAMED)) {
    for (const resource of Object.values(resourcesOfType(template, type))) {
      for (const path of paths) {
        let value: unknown = resource.Properties;
        for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
        // A name made of a Ref (e.g. /aws/lambda/{Ref: fn}) is as unique as the resource it names.
        if (value !== undefined && !JSON.stringify(value).includes('"Ref"')) {
          names.push(`${type} ${stack.resolve(JSON.stringify(value))}`);
        }
      }
    }
  }
  return names;
}

describe('OcppCsms: two stages in one account and region', () => {
  const app = newApp();
  const env = { account: '123456789012', region: 'eu-west-1' };
  const dev = new OcppCsms(app, 'Csms', { env, stage: 'dev', configureApiGatewayLogsRole: false });
  const prod = new OcppCsms(app, 'Csms2', { env, stage: 'prod' });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const assembly = app.synth();

  test('stack names carry the stage', () => {
    assert.deepEqual(
      [dev.stateful.stackName, dev.stateless.stackName, prod.stateful.stackName, prod.stateless.stackName],
      ['Csms-dev-Stateful', 'Csms-dev-Stateless', 'Csms2-prod-Stateful', 'Csms2-prod-Stateless'],
    );
    assert.equal(assembly.stacks.length, 4);
  });

  test('no physical name is used twice: buses, APIs, dashboards, alarms, policies, functions', () => {
    const names = [dev.stateful, dev.stateless, prod.stateful, prod.stateless].flatMap(physicalNames);
    assert.ok(names.some((n) => n.includes('"csms-dev"')));
    assert.ok(names.some((n) => n.includes('"csms-prod"')));
    const duplicates = names.filter((name, i) => names.indexOf(name) !== i);
    assert.deepEqual(duplicates, []);
  });

  test("each stage's metrics, alarms and functions use its own service dimension", () => {
    for (const [csms, service] of [
      [dev, 'csms-dev'],
      [prod, 'csms-prod'],
    ] as const) {
      const template = Template.fromStack(csms.stateless);
      for (const fn of Object.values(csmsFunctions(template))) {
        const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
        assert.equal(variables.POWERTOOLS_SERVICE_NAME, service);
      }
      assert.match(
        JSON.stringify(template.findResources('AWS::CloudWatch::Alarm')),
        new RegExp(`"${service}"`),
      );
    }
  });

  test('only one stage sets the account-wide API Gateway logging role', () => {
    Template.fromStack(dev.stateless).resourceCountIs('AWS::ApiGateway::Account', 0);
    Template.fromStack(prod.stateless).resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  test('cdk-nag is clean for both stages', () => {
    assert.deepEqual(new AwsSolutionsChecks().validateScope(app).violations, []);
  });
});

describe('OcppCsms: defaults', () => {
  const app = newApp();
  const csms = new OcppCsms(app, 'Csms');
  app.synth();
  const stateful = Template.fromStack(csms.stateful);
  const stateless = Template.fromStack(csms.stateless);

  test('cost allocation tags on every resource that takes tags', () => {
    let tagged = 0;
    for (const template of [stateful, stateless]) {
      for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, Resource>)) {
        const tags = resource.Properties?.Tags;
        if (tags === undefined) continue;
        tagged++;
        const map = Array.isArray(tags)
          ? Object.fromEntries((tags as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]))
          : (tags as Record<string, string>);
        assert.equal(map[COST_TAGS.application], APPLICATION_TAG_VALUE, `${id} (${resource.Type})`);
        assert.equal(map[COST_TAGS.stage], 'default', `${id} (${resource.Type})`);
      }
    }
    // The resources that cost money all take tags; each must have been seen.
    const types = new Set(
      [stateful, stateless].flatMap((t) =>
        Object.values(t.toJSON().Resources as Record<string, Resource>)
          .filter((r) => r.Properties?.Tags !== undefined)
          .map((r) => r.Type),
      ),
    );
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::Events::EventBus',
      'AWS::Lambda::Function',
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::CloudFront::Distribution',
      'AWS::Logs::LogGroup',
      'AWS::SNS::Topic',
      'AWS::SQS::Queue',
      'AWS::SecretsManager::Secret',
      'AWS::CloudWatch::Alarm',
    ]) {
      assert.ok(types.has(type), `${type} is tagged`);
    }
    assert.ok(tagged > 20);
  });

  test('alarms: errors and throttles of every function into the SNS topic', () => {
    const topicId = Object.keys(stateless.findResources('AWS::SNS::Topic'))[0]!;
    const functionIds = Object.keys(csmsFunctions(stateless));
    assert.equal(functionIds.length, Object.keys(FUNCTIONS).length);
    for (const id of functionIds) {
      for (const metricName of ['Errors', 'Throttles']) {
        stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
          AlarmActions: [{ Ref: topicId }],
          OKActions: [{ Ref: topicId }],
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          Threshold: 1,
        });
      }
    }
  });

  test('alarms: WebSocket integration/execution errors, HTTP API 5xx, DynamoDB throttles incl. the index', () => {
    const alarms = JSON.stringify(stateless.findResources('AWS::CloudWatch::Alarm'));
    for (const name of [
      'IntegrationError',
      'ExecutionError',
      '5xx',
      'ReadThrottleEvents',
      'WriteThrottleEvents',
    ]) {
      assert.ok(alarms.includes(`"MetricName":"${name}"`), name);
    }
    assert.ok(alarms.includes('"GlobalSecondaryIndexName","Value":"gsi1"'));
  });

  test('alarms: CALLERROR rate and command timeout rate, from the Powertools metrics the functions emit', () => {
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: ALARM_THRESHOLDS.callErrorPercent,
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: METRICS.namespace,
              MetricName: METRICS.callErrors,
              Dimensions: [{ Name: 'service', Value: 'csms' }],
            },
          }),
        }),
      ]),
    });
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: ALARM_THRESHOLDS.commandTimeoutPercent,
      Metrics: Match.arrayWith([
        Match.objectLike({
          Id: 'timeout',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: METRICS.commands.timeout }),
          }),
        }),
      ]),
    });
  });

  test('dashboard: stations connected, messages per minute, command outcomes, p99 handler duration', () => {
    const dashboards = Object.values(resourcesOfType(stateless, 'AWS::CloudWatch::Dashboard'));
    assert.equal(dashboards.length, 1);
    const body = JSON.stringify(csms.stateless.resolve(dashboards[0]!.Properties.DashboardBody));
    for (const expected of [
      'Stations connected',
      METRICS.stationsConnected,
      'Messages per minute',
      'MessageCount',
      'Remote command outcomes',
      METRICS.commands.timeout,
      'p99',
    ]) {
      assert.ok(body.includes(expected), expected);
    }
  });

  test('tracing is off by default, every function logs JSON at WARN (application and system: no START / END / REPORT lines) and emits metrics in namespace Csms', () => {
    for (const fn of Object.values(csmsFunctions(stateless))) {
      assert.equal(fn.Properties.TracingConfig, undefined);
      // Issue 14: Lambda's advanced logging controls.
      assert.deepEqual(fn.Properties.LoggingConfig, {
        LogFormat: 'JSON',
        ApplicationLogLevel: 'WARN',
        SystemLogLevel: 'WARN',
        LogGroup: (fn.Properties.LoggingConfig as { LogGroup: unknown }).LogGroup,
      });
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      assert.equal(variables.POWERTOOLS_TRACE_ENABLED, 'false');
      assert.equal(variables.POWERTOOLS_LOG_LEVEL, 'WARN');
      assert.equal(variables.POWERTOOLS_METRICS_NAMESPACE, METRICS.namespace);
    }
  });
});

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

describe('OcppCsms: options', () => {
  test('tracing, log level, retention, reserved concurrency, throttling, alarm e-mail', () => {
    const app = newApp();
    const csms = new OcppCsms(app, 'Csms', {
      tracing: true,
      logLevel: 'DEBUG',
      meterEvents: 'every',
      meterEventMinutes: 5,
      logRetentionDays: 90,
      reservedConcurrency: { message: 100 },
      stationThrottle: { rateLimit: 200, burstLimit: 400 },
      httpThrottle: { rateLimit: 20, burstLimit: 40 },
      alarmEmail: 'ops@example.com',
    });
    app.synth();
    const template = Template.fromStack(csms.stateless);
    for (const fn of Object.values(csmsFunctions(template))) {
      assert.deepEqual(fn.Properties.TracingConfig, { Mode: 'Active' });
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      assert.equal(variables.POWERTOOLS_TRACE_ENABLED, 'true');
      assert.equal(variables.POWERTOOLS_LOG_LEVEL, 'DEBUG');
      // A stage's debug switch keeps everything, Lambda's platform lines included.
      assert.equal((fn.Properties.LoggingConfig as Record<string, unknown>).ApplicationLogLevel, 'DEBUG');
      assert.equal((fn.Properties.LoggingConfig as Record<string, unknown>).SystemLogLevel, 'DEBUG');
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: FUNCTIONS.message.description,
      ReservedConcurrentExecutions: 100,
      // Issue 14: what is published per meter sample (docs/events.md).
      Environment: {
        Variables: Match.objectLike({ [ENV.meterEvents]: 'every', [ENV.meterEventMinutes]: '5' }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    assert.equal(
      Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 30 } }))
        .length,
      0,
    );
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'ocpp',
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 }),
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
  });

  test('a topic of your own receives the alarms; none is created', () => {
    const app = newApp();
    const shared = new Stack(app, 'Shared');
    const topic = new Topic(shared, 'Ops');
    const csms = new OcppCsms(app, 'Csms', { alarmTopic: topic });
    app.synth();
    const template = Template.fromStack(csms.stateless);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    assert.match(JSON.stringify(template.findResources('AWS::CloudWatch::Alarm')), /Fn::ImportValue/);
  });

  test('custom domain with a hosted zone: alias A and AAAA records to the distribution', () => {
    const app = newApp();
    const csms = new OcppCsms(app, 'Csms', {
      customDomain: {
        domainName: 'ocpp.example.com',
        certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f2c7e4a-1111-2222-3333-444455556666',
        hostedZone: { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' },
      },
    });
    app.synth();
    const template = Template.fromStack(csms.stateless);
    for (const type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'ocpp.example.com.',
        Type: type,
        HostedZoneId: 'Z0123456789ABCDEFGHIJ',
        AliasTarget: Match.objectLike({ HostedZoneId: Match.anyValue() }),
      });
    }
    template.hasOutput('StationUrl', { Value: 'wss://ocpp.example.com/ocpp/{stationId}' });
  });

  test('adopting a retained table and bus: nothing stateful is created, the functions use them by name', () => {
    const app = newApp();
    const csms = new OcppCsms(app, 'Csms', {
      existingTableName: 'Csms-Stateful-TableCD117FA1-1ABCDEF',
      existingEventBusName: 'csms',
    });
    app.synth();
    const stateful = Template.fromStack(csms.stateful);
    for (const type of ['AWS::DynamoDB::Table', 'AWS::Events::EventBus', 'AWS::Events::Archive']) {
      stateful.resourceCountIs(type, 0);
    }
    stateful.hasOutput('TableName', { Value: 'Csms-Stateful-TableCD117FA1-1ABCDEF' });
    const stateless = Template.fromStack(csms.stateless);
    for (const fn of Object.values(csmsFunctions(stateless))) {
      const variables = (fn.Properties.Environment as { Variables: Record<string, string> }).Variables;
      assert.equal(variables.CSMS_TABLE_NAME, 'Csms-Stateful-TableCD117FA1-1ABCDEF');
      assert.equal(variables.CSMS_EVENT_BUS_NAME, 'csms');
    }
    // Grants name the table and its index, without wildcards.
    const policies = JSON.stringify(stateless.findResources('AWS::IAM::Policy'));
    assert.ok(policies.includes(':table/Csms-Stateful-TableCD117FA1-1ABCDEF/index/gsi1'));
    assert.deepEqual(new AwsSolutionsChecks().validateScope(app).violations, []);
  });
});
