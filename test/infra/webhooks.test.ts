// Partner webhooks in the CDK app (constructs/webhooks.ts, constructs/event-schemas.ts): declared
// webhooks, the run-time subscriptions' role and dead-letter queue, the schema registry and the
// api function's IAM limits. The app is synthesized with cdk-nag, which must stay clean.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../infra/cdk/constructs/csms-function.js';
import { ENV } from '../../infra/topology.js';
import { EVENTS, type EventType } from '../../shared/events/catalog.js';
import { registrySchemas, schemaName } from '../../shared/events/schema-registry.js';
import { matchesPattern } from '../../shared/webhooks/pattern.js';
import { resourcesOfType, synthesize } from './synth.js';

const { statefulTemplate, statelessTemplate } = synthesize({
  skipBundling: true,
  context: {
    webhooks: JSON.stringify([
      {
        name: 'billing',
        url: 'https://billing.example.com/csms',
        eventTypes: ['transaction.ended.v1'],
        auth: { type: 'apiKey', header: 'x-api-key', secretName: 'partners/billing', secretField: 'key' },
      },
      {
        name: 'roaming',
        url: 'https://hub.example.net/events',
        stationIds: ['CP-1', 'CP-2'],
        auth: {
          type: 'oauth',
          tokenUrl: 'https://hub.example.net/token',
          clientId: 'csms',
          secretName: 'partners/hub',
        },
      },
    ]),
  },
});

const envelope = (type: string, detail: Record<string, unknown>) => ({
  version: '0',
  id: 'e',
  'detail-type': type,
  source: 'csms',
  account: '1',
  time: '2025-01-01T00:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail,
});

describe('declared webhooks (context webhooks)', () => {
  test('each has a rule on the CSMS bus, an API destination, a connection, a DLQ and a retry policy', () => {
    statefulTemplate.resourceCountIs('AWS::Events::Connection', 2);
    statefulTemplate.resourceCountIs('AWS::Events::ApiDestination', 2);
    statefulTemplate.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: 'https://billing.example.com/csms',
      HttpMethod: 'POST',
    });
    statefulTemplate.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: {
          ApiKeyName: 'x-api-key',
          // A dynamic reference resolved by CloudFormation: the secret is not in the template.
          ApiKeyValue: '{{resolve:secretsmanager:partners/billing:SecretString:key::}}',
        },
      },
    });
    statefulTemplate.hasResourceProperties('AWS::Events::Connection', {
      AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: {
        OAuthParameters: Match.objectLike({ AuthorizationEndpoint: 'https://hub.example.net/token' }),
      },
    });
    const rules = Object.values(resourcesOfType(statefulTemplate, 'AWS::Events::Rule')).filter((r) =>
      JSON.stringify(r.Properties.Description ?? '').includes('declared in CDK'),
    );
    assert.equal(rules.length, 2);
    for (const rule of rules) {
      const targets = rule.Properties.Targets as Record<string, any>[];
      assert.equal(targets.length, 1);
      const [target] = targets;
      assert.ok(target?.DeadLetterConfig?.Arn, 'a dead-letter queue');
      assert.deepEqual(target?.RetryPolicy, { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 });
      assert.ok(target?.RoleArn, 'the webhook target role');
      assert.ok(rule.Properties.EventBusName, 'on the CSMS bus, not the default bus');
    }
    // Each declared webhook has its own queue, besides the run-time subscriptions' one.
    statefulTemplate.resourceCountIs('AWS::SQS::Queue', 3);
  });

  test('the rule patterns the CDK emits select what the webhook asked for (the local matcher)', () => {
    const patterns = Object.values(resourcesOfType(statefulTemplate, 'AWS::Events::Rule'))
      .filter((r) => JSON.stringify(r.Properties.Description ?? '').includes('declared in CDK'))
      .map((r) => ({
        description: String(r.Properties.Description),
        pattern: r.Properties.EventPattern as Record<string, unknown>,
      }));
    const billing = patterns.find((p) => p.description.includes('billing'))?.pattern;
    const roaming = patterns.find((p) => p.description.includes('roaming'))?.pattern;
    assert.ok(billing && roaming);
    assert.equal(matchesPattern(billing, envelope('transaction.ended.v1', { stationId: 'X' })), true);
    assert.equal(matchesPattern(billing, envelope('transaction.started.v1', { stationId: 'X' })), false);
    assert.equal(matchesPattern(roaming, envelope('station.booted.v1', { stationId: 'CP-2' })), true);
    assert.equal(matchesPattern(roaming, envelope('station.booted.v1', { stationId: 'CP-3' })), false);
    assert.equal(
      matchesPattern(roaming, { ...envelope('station.booted.v1', { stationId: 'CP-1' }), source: 'other' }),
      false,
    );
    const archive = Object.values(resourcesOfType(statefulTemplate, 'AWS::Events::Archive'))[0];
    const archivePattern = archive?.Properties.EventPattern as Record<string, unknown>;
    assert.equal(matchesPattern(archivePattern, envelope('station.booted.v1', {})), true);
    assert.equal(matchesPattern(archivePattern, { ...envelope('x', {}), source: 'aws.events' }), false);
  });
});

describe('run-time subscriptions (POST /v1/webhooks)', () => {
  test('a dead-letter queue that only the CSMS webhook rules may send to, drained by a function', () => {
    const policies = Object.values(resourcesOfType(statefulTemplate, 'AWS::SQS::QueuePolicy'));
    const runtime = policies.find((p) => JSON.stringify(p).includes('csms-wh-*'));
    assert.ok(runtime, 'a queue policy scoped to the webhook rules');
    assert.match(JSON.stringify(runtime), /rule\/csms\/csms-wh-\*/);
    statelessTemplate.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  test('the api function gets the ARNs, and IAM limited to the webhook prefix and the one role', () => {
    const functions = Object.values(resourcesOfType(statelessTemplate, 'AWS::Lambda::Function'));
    const api = functions.find((f) => JSON.stringify(f.Properties.Environment).includes(ENV.webhookRoleArn));
    assert.ok(api, 'the api function has the webhook variables');
    const variables = (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    for (const name of [ENV.webhookRoleArn, ENV.webhookDeadLetterQueueArn, ENV.eventArchiveArn]) {
      assert.ok(variables[name], name);
    }

    const statements = Object.values(resourcesOfType(statelessTemplate, 'AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Record<string, any>[] }).Statement,
    );
    const webhookStatements = statements.filter((s) => String(s.Sid ?? '').startsWith('Webhook'));
    assert.equal(webhookStatements.length, 5);
    for (const statement of webhookStatements) {
      const resources = ([] as unknown[]).concat(statement.Resource).map((r) => JSON.stringify(r));
      for (const resource of resources) {
        assert.ok(resource !== '"*"', `${statement.Sid}: no bare *`);
        if (resource.includes('*')) assert.match(resource, /csms-wh-\*/, `${statement.Sid}: ${resource}`);
      }
    }
    const passRole = webhookStatements.find((s) => s.Action === 'iam:PassRole');
    assert.deepEqual(passRole?.Condition, {
      StringEquals: { 'iam:PassedToService': 'events.amazonaws.com' },
    });
    assert.ok(!JSON.stringify(passRole?.Resource).includes('*'), 'PassRole names one role');
    // Nothing else anywhere grants EventBridge management or PassRole.
    const others = statements.filter((s) => !String(s.Sid ?? '').startsWith('Webhook'));
    for (const s of others) {
      const actions = ([] as string[]).concat(s.Action);
      assert.ok(
        !actions.some(
          (a) =>
            /^events:(Put|Delete|Create|Update)(Rule|Targets|Connection|ApiDestination)/.test(a) ||
            a === 'iam:PassRole',
        ),
        JSON.stringify(s),
      );
    }
  });

  test('the target role may invoke only the CSMS-named API destinations (and the declared ones)', () => {
    const roles = Object.entries(resourcesOfType(statefulTemplate, 'AWS::IAM::Role')).filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('events.amazonaws.com'),
    );
    assert.equal(roles.length, 1);
    const statements = Object.values(resourcesOfType(statefulTemplate, 'AWS::IAM::Policy')).flatMap(
      (p) => (p.Properties.PolicyDocument as { Statement: Record<string, any>[] }).Statement,
    );
    for (const s of statements) assert.equal(s.Action, 'events:InvokeApiDestination');
  });
});

describe('schema registry (constructs/event-schemas.ts)', () => {
  test('one OpenAPI 3 schema per event type, equal to the catalog and to docs/events.schema.json', () => {
    statefulTemplate.resourceCountIs('AWS::EventSchemas::Registry', 1);
    const schemas = Object.values(resourcesOfType(statefulTemplate, 'AWS::EventSchemas::Schema'));
    assert.equal(schemas.length, Object.keys(EVENTS).length);
    const expected = registrySchemas();
    const docs = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/events.schema.json'), 'utf8')) as {
      events: Record<string, { properties: Record<string, unknown>; required?: string[] }>;
    };
    for (const type of Object.keys(EVENTS) as EventType[]) {
      const schema = schemas.find((s) => s.Properties.SchemaName === schemaName(type));
      assert.ok(schema, type);
      assert.equal(schema.Properties.Type, 'OpenApi3');
      const content = JSON.parse(String(schema.Properties.Content)) as Record<string, any>;
      assert.deepEqual(JSON.parse(String(schema.Properties.Content)), expected[type]);
      const envelope = content.components.schemas.AWSEvent;
      assert.equal(envelope['x-amazon-events-detail-type'], type);
      const detailRef = String(envelope.properties.detail.$ref).split('/').pop() ?? '';
      const detail = content.components.schemas[detailRef];
      // The partner docs and the registry describe the same fields, required the same way.
      assert.deepEqual(
        Object.keys(detail.properties).sort(),
        Object.keys(docs.events[type]?.properties ?? {}).sort(),
        type,
      );
      assert.deepEqual(
        [...(detail.required ?? [])].sort(),
        [...(docs.events[type]?.required ?? [])].sort(),
        type,
      );
    }
  });
});
