/**
 * Site load management in the template (issue 15 item 2): the sites function with the topology's
 * memory and timeout, the rules on the CSMS bus that run it (transaction started / ended, command
 * completed) with retries and a dead-letter queue, its minute schedule (time-of-use windows), and
 * least privilege: table items, PutEvents, PostToConnection, the deadline queue; nothing else.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { EVENT_RULES, FUNCTIONS } from '../../infra/topology.js';
import { logicalIdOf, resourcesOfType, synthesizeDefault } from './synth.js';

describe('site load management in the template', () => {
  const { statelessTemplate: template } = synthesizeDefault();
  const fnId = logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS.sites.description });
  const fn = resourcesOfType(template, 'AWS::Lambda::Function')[fnId]!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];

  test('the sites function: topology memory and timeout, the CSMS table and bus in its environment', () => {
    assert.equal(fn.Properties.MemorySize, FUNCTIONS.sites.memoryMb);
    assert.equal(fn.Properties.Timeout, FUNCTIONS.sites.timeoutSeconds);
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    assert.ok(Object.keys(env).some((k) => k === 'CSMS_TABLE_NAME'));
    assert.ok(Object.keys(env).some((k) => k === 'CSMS_EVENT_BUS_NAME'));
  });

  test('the site-recompute rule: its events to the sites function, 2 retries, then a dead-letter queue', () => {
    const rule = EVENT_RULES.find((r) => r.function === 'sites');
    assert.ok(rule);
    assert.deepEqual([...rule.detailTypes].sort(), [
      'command.completed.v1',
      'transaction.ended.v1',
      'transaction.started.v1',
    ]);
    template.hasResourceProperties('AWS::Events::Rule', {
      Description: rule.description,
      EventPattern: { source: ['csms'], 'detail-type': [...rule.detailTypes] },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [fnId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  test('a minute schedule runs it (time-of-use windows), without retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } }),
      ],
    });
  });

  test('least privilege: table items, PutEvents, ManageConnections, the deadline queue, tracing; no wildcard action', () => {
    const policies = Object.values(resourcesOfType(template, 'AWS::IAM::Policy')).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
    );
    assert.ok(policies.length > 0);
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
        (s) => (Array.isArray(s.Action) ? s.Action : [s.Action]),
      ),
    );
    const allowed = [
      /^dynamodb:(BatchGetItem|BatchWriteItem|ConditionCheckItem|DeleteItem|DescribeTable|GetItem|GetRecords|GetShardIterator|PutItem|Query|Scan|UpdateItem|DescribeStream|ListStreams)$/,
      /^events:PutEvents$/,
      /^execute-api:ManageConnections$/,
      /^sqs:(SendMessage|GetQueueAttributes|GetQueueUrl)$/,
      /^xray:(PutTraceSegments|PutTelemetryRecords)$/,
      /^logs:(CreateLogStream|PutLogEvents)$/, // its own log group
      /^kms:/, // none today; a customer-managed key would add decrypt only
    ];
    for (const action of actions) {
      assert.ok(
        allowed.some((a) => a.test(action)),
        `unexpected action ${action}`,
      );
      assert.notEqual(action, '*');
    }
    assert.ok(actions.includes('events:PutEvents'));
    assert.ok(actions.includes('execute-api:ManageConnections'));
    assert.ok(actions.includes('dynamodb:UpdateItem'));
    assert.ok(!actions.some((a) => /CreateTable|DeleteTable|UpdateTable/.test(a)));
  });
});
