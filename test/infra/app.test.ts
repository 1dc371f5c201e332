// App options (infra/cdk/config.ts, csms-app.ts): context parsing and what each option changes.
// These synths skip bundling (placeholder assets): they only look at configuration.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CsmsOptionsError, DEFAULT_OPTIONS, optionsFromContext } from '../../infra/cdk/config.js';
import { STACK_NAMES } from '../../infra/cdk/csms-app.js';
import { ENV, FUNCTIONS } from '../../infra/topology.js';
import { buildApp, csmsFunctions, synthesize } from './synth.js';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/0f2c7e4a-1111-2222-3333-444455556666';
const WEB_ACL_ARN =
  'arn:aws:wafv2:us-east-1:123456789012:global/webacl/csms/0f2c7e4a-1111-2222-3333-444455556666';

const fromContext = (context: Record<string, unknown>) => optionsFromContext((key) => context[key]);

describe('options from context', () => {
  test('defaults: unknown stations refused, heartbeat 540 s, no custom domain, bus csms, no stage', () => {
    assert.deepEqual(fromContext({}), DEFAULT_OPTIONS);
    assert.deepEqual(DEFAULT_OPTIONS, {
      admitUnknownStations: false,
      heartbeatIntervalSeconds: 540,
      configureApiGatewayLogsRole: true,
      eventBusName: 'csms',
      logLevel: 'WARN',
      tracing: false,
      logRetentionDays: 30,
    });
  });

  test('operations and data options from context', () => {
    const options = fromContext({
      stage: 'dev',
      alarmEmail: 'ops@example.com',
      logLevel: 'debug',
      tracing: 'true',
      logRetentionDays: '90',
      existingTableName: 'Csms-Stateful-TableCD117FA1-1ABC',
      existingEventBusName: 'csms',
      reservedConcurrency: '{"message": 50}',
      stationThrottle: { rateLimit: 500, burstLimit: 1000 },
      domainName: 'ocpp.example.com',
      certificateArn: CERTIFICATE_ARN,
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      hostedZoneName: 'example.com',
    });
    assert.equal(options.stage, 'dev');
    assert.equal(options.eventBusName, 'csms-dev', 'a stage gets its own bus name');
    assert.equal(options.logLevel, 'DEBUG');
    assert.equal(options.tracing, true);
    assert.equal(options.logRetentionDays, 90);
    assert.equal(options.existingTableName, 'Csms-Stateful-TableCD117FA1-1ABC');
    assert.deepEqual(options.reservedConcurrency, { message: 50 });
    assert.deepEqual(options.stationThrottle, { rateLimit: 500, burstLimit: 1000 });
    assert.deepEqual(options.customDomain?.hostedZone, {
      hostedZoneId: 'Z0123456789ABCDEFGHIJ',
      zoneName: 'example.com',
    });
  });

  test('command-line strings and cdk.json JSON values', () => {
    assert.equal(fromContext({ admitUnknownStations: 'true' }).admitUnknownStations, true);
    assert.equal(fromContext({ admitUnknownStations: true }).admitUnknownStations, true);
    assert.equal(fromContext({ admitUnknownStations: 'false' }).admitUnknownStations, false);
    assert.equal(fromContext({ heartbeatIntervalSeconds: '240' }).heartbeatIntervalSeconds, 240);
    assert.equal(fromContext({ heartbeatIntervalSeconds: 120 }).heartbeatIntervalSeconds, 120);
    assert.equal(fromContext({ configureApiGatewayLogsRole: 'false' }).configureApiGatewayLogsRole, false);
    assert.deepEqual(
      fromContext({ domainName: 'ocpp.example.com', certificateArn: CERTIFICATE_ARN }).customDomain,
      {
        domainName: 'ocpp.example.com',
        certificateArn: CERTIFICATE_ARN,
      },
    );
  });

  test('refuses what would not deploy or not work', () => {
    const invalid: Record<string, unknown>[] = [
      { admitUnknownStations: 'yes' },
      { heartbeatIntervalSeconds: 'often' },
      { heartbeatIntervalSeconds: 0 },
      { heartbeatIntervalSeconds: 12.5 },
      { heartbeatIntervalSeconds: 595 }, // API Gateway closes idle connections at 10 minutes
      { heartbeatIntervalSeconds: 5 }, // shared/aws/config.ts refuses it at cold start
      { domainName: 'ocpp.example.com' }, // without a certificate
      { certificateArn: CERTIFICATE_ARN }, // without a domain
      { domainName: 'ocpp.example.com', certificateArn: CERTIFICATE_ARN.replace('us-east-1', 'eu-west-1') },
      { domainName: 'not a domain', certificateArn: CERTIFICATE_ARN },
      { webAclArn: WEB_ACL_ARN.replace('global', 'regional') },
      { eventBusName: 'default' },
      { stage: 'dev_1' }, // not a stack-name character
      { stage: '1dev' },
      { alarmEmail: 'ops' },
      { logLevel: 'LOUD' },
      { logRetentionDays: 31 }, // not a CloudWatch Logs retention value
      { reservedConcurrency: '{"sweep": 2}' }, // the sweep's is fixed at 1
      { reservedConcurrency: '{"message": 0}' },
      { reservedConcurrency: '[1]' },
      { stationThrottle: '{"rateLimit": 10}' },
      { hostedZoneId: 'Z0123456789ABCDEFGHIJ', hostedZoneName: 'example.com' }, // without a domain
      {
        domainName: 'ocpp.example.com',
        certificateArn: CERTIFICATE_ARN,
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'example.org', // not the domain's zone
      },
    ];
    for (const context of invalid) {
      assert.throws(() => fromContext(context), CsmsOptionsError, JSON.stringify(context));
    }
  });
});

describe('app', () => {
  test('two stacks, environment-agnostic unless CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION are set', () => {
    const saved = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
    try {
      delete process.env.CDK_DEFAULT_ACCOUNT;
      delete process.env.CDK_DEFAULT_REGION;
      const agnostic = buildApp({ skipBundling: true });
      assert.deepEqual(
        [agnostic.stateful.stackName, agnostic.stateless.stackName],
        [STACK_NAMES.stateful, STACK_NAMES.stateless],
      );
      assert.deepEqual(STACK_NAMES, { stateful: 'Csms-Stateful', stateless: 'Csms-Stateless' });
      assert.ok(
        Token.isUnresolved(agnostic.stateless.region) && Token.isUnresolved(agnostic.stateless.account),
      );

      process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
      process.env.CDK_DEFAULT_REGION = 'eu-west-1';
      const pinned = buildApp({ skipBundling: true });
      for (const stack of [pinned.stateful, pinned.stateless]) {
        assert.equal(stack.account, '123456789012');
        assert.equal(stack.region, 'eu-west-1');
      }
      // Findings render differently with a concrete account and region (as under `cdk synth`,
      // which always sets a region): the acknowledgments must still match.
      assert.deepEqual(new AwsSolutionsChecks().validateScope(pinned.app).violations, []);
    } finally {
      for (const [key, value] of [
        ['CDK_DEFAULT_ACCOUNT', saved.account],
        ['CDK_DEFAULT_REGION', saved.region],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  test('admitUnknownStations and heartbeatIntervalSeconds reach every function', () => {
    const { statelessTemplate } = synthesize({
      skipBundling: true,
      context: { admitUnknownStations: 'true', heartbeatIntervalSeconds: '240' },
    });
    const functions = Object.values(csmsFunctions(statelessTemplate)) as any[];
    assert.equal(functions.length, Object.keys(FUNCTIONS).length);
    for (const fn of functions) {
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      assert.equal(variables[ENV.admitUnknownStations], 'true');
      assert.equal(variables[ENV.heartbeatIntervalSeconds], '240');
    }
  });

  test('custom domain: alias, ACM certificate (SNI, TLS 1.2), station URL on the domain, still nag-clean', () => {
    const { app, statelessTemplate } = synthesize({
      skipBundling: true,
      context: { domainName: 'ocpp.example.com', certificateArn: CERTIFICATE_ARN },
    });
    statelessTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['ocpp.example.com'],
        ViewerCertificate: {
          AcmCertificateArn: CERTIFICATE_ARN,
          MinimumProtocolVersion: 'TLSv1.2_2021',
          SslSupportMethod: 'sni-only',
        },
      }),
    });
    statelessTemplate.hasOutput('StationUrl', { Value: 'wss://ocpp.example.com/ocpp/{stationId}' });
    // CFR4 is only acknowledged without a custom domain; with one it must hold by itself.
    assert.deepEqual(new AwsSolutionsChecks().validateScope(app).violations, []);
  });

  test('web ACL: attached, and CFR2 then holds without acknowledgment', () => {
    const { app, statelessTemplate } = synthesize({
      skipBundling: true,
      context: { webAclArn: WEB_ACL_ARN },
    });
    statelessTemplate.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: WEB_ACL_ARN }),
    });
    assert.deepEqual(new AwsSolutionsChecks().validateScope(app).violations, []);
  });

  test('the account-wide API Gateway logging role can be left to someone else', () => {
    const { statelessTemplate } = synthesize({
      skipBundling: true,
      context: { configureApiGatewayLogsRole: false },
    });
    statelessTemplate.resourceCountIs('AWS::ApiGateway::Account', 0);
    statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.anyValue(),
    });
  });

  test('the bus name is an option', () => {
    const { statefulTemplate } = synthesize({ skipBundling: true, context: { eventBusName: 'csms-test' } });
    statefulTemplate.hasResourceProperties('AWS::Events::EventBus', { Name: 'csms-test' });
  });
});
