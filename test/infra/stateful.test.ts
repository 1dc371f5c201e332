// The stateful stack: the one table (constructs/table.ts) and the event bus + archive (constructs/events.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { STACK_NAMES } from '../../infra/cdk/csms-app.js';
import { EVENT_BUS, TABLE } from '../../infra/topology.js';
import { synthesizeDefault } from './synth.js';

const { stateful, statefulTemplate: template } = synthesizeDefault();

describe('stateful stack', () => {
  test('is named for the deployment and holds only state', () => {
    assert.equal(stateful.stackName, STACK_NAMES.stateful);
    const types = new Set(
      Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map((r) => r.Type),
    );
    // The webhook target role and dead-letter queue are state too: rules created at run time
    // (POST /v1/webhooks) name them, so they must outlive a redeploy of the stateless stack. The
    // station CA's KMS key too: every certificate a station holds chains to it.
    assert.deepEqual([...types].sort(), [
      'AWS::DynamoDB::Table',
      'AWS::EventSchemas::Registry',
      'AWS::EventSchemas::Schema',
      'AWS::Events::Archive',
      'AWS::Events::EventBus',
      'AWS::IAM::Policy',
      'AWS::IAM::Role',
      'AWS::KMS::Key',
      'AWS::SQS::Queue',
      'AWS::SQS::QueuePolicy',
    ]);
  });
});

describe('table (constructs/table.ts)', () => {
  test('keys, on-demand billing, TTL, point-in-time recovery, AWS-managed encryption', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      // SSEEnabled without a key: the AWS managed key aws/dynamodb.
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      ProvisionedThroughput: Match.absent(),
    });
  });

  test('gsi1: keys only, string keys gsi1pk / gsi1sk', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
    assert.equal(TABLE.indexes.length, 1);
  });

  test('survives the stack: retained on delete and on replacement, with deletion protection', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  test('outputs its name', () => {
    template.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('^Table') } });
  });
});

describe('events (constructs/events.ts)', () => {
  test('one custom bus named csms', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'csms' });
    template.hasOutput('EventBusName', { Value: { Ref: Match.stringLikeRegexp('^EventsBus') } });
  });

  test('bus and archive survive the stack (retained on delete and on replacement)', () => {
    for (const type of ['AWS::Events::EventBus', 'AWS::Events::Archive']) {
      template.hasResource(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('archive of the CSMS events, 30 days', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsBus'), 'Arn'] },
      EventPattern: { source: [EVENT_BUS.source] },
      RetentionDays: 30,
    });
  });
});
