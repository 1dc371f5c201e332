// The scheduled sweep of remote commands (constructs/command-sweep.ts): its function, its
// schedule (topology SCHEDULES), its grants.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import {
  DEADLINE_QUEUE,
  ENV,
  EVENT_RULES,
  FUNCTIONS,
  SCHEDULES,
  WEBSOCKET_STAGE,
} from '../../infra/topology.js';
import { logicalIdOf, resourcesOfType, synthesizeDefault } from './synth.js';

const { statelessTemplate: template } = synthesizeDefault();
const functionId = logicalIdOf(template, 'AWS::Lambda::Function', {
  Description: FUNCTIONS.sweep.description,
});

describe('command sweep', () => {
  test('one EventBridge schedule per topology SCHEDULES entry, targeting its function, no retries', () => {
    const rules = Object.values(resourcesOfType(template, 'AWS::Events::Rule'));
    assert.equal(rules.length, SCHEDULES.length + EVENT_RULES.length);
    for (const schedule of SCHEDULES) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', {
        Description: FUNCTIONS[schedule.function].description,
      });
      const minutes = schedule.everyMinutes;
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: `rate(${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`,
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [id, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 0 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
    }
  });

  test('one rule on the CSMS bus per topology EVENT_RULES entry, its events to its function (issue 7 #4)', () => {
    for (const rule of EVENT_RULES) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', {
        Description: FUNCTIONS[rule.function].description,
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        Description: rule.description,
        EventBusName: Match.anyValue(),
        EventPattern: { source: [rule.source], 'detail-type': [...rule.detailTypes] },
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [id, 'Arn'] } })],
      });
    }
  });

  test('the call-deadline queue: encrypted, TLS only, consumed by its function in batches (issue 7 #20)', () => {
    // The other queue is the sweep schedule's dead-letter queue.
    const queues = Object.entries(resourcesOfType(template, 'AWS::SQS::Queue')).filter(([id]) =>
      id.startsWith('CallDeadlines'),
    );
    assert.equal(queues.length, 1);
    const [queueId, queue] = queues[0]!;
    assert.equal(queue.Properties.SqsManagedSseEnabled, true);
    assert.ok(
      (queue.Properties.VisibilityTimeout as number) >= FUNCTIONS[DEADLINE_QUEUE.function].timeoutSeconds,
    );
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    const consumer = logicalIdOf(template, 'AWS::Lambda::Function', {
      Description: FUNCTIONS[DEADLINE_QUEUE.function].description,
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      FunctionName: { Ref: consumer },
      BatchSize: DEADLINE_QUEUE.batchSize,
    });
    // Every function that sends CALLs knows the queue and may send to it.
    for (const name of ['connect', 'message', 'disconnect', 'api', 'sweep'] as const) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: FUNCTIONS[name].description,
        Environment: {
          Variables: Match.objectLike({ [ENV.deadlineQueueUrl]: { Ref: queueId } }),
        },
      });
      const fn = resourcesOfType(template, 'AWS::Lambda::Function')[
        logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS[name].description })
      ]!;
      const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
      const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
        .filter((policy) =>
          (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
        )
        .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
      assert.ok(JSON.stringify(statements).includes('"sqs:SendMessage"'), `${name} may send deadlines`);
    }
  });

  test('sweep function: one at a time (reserved concurrency 1), no Lambda retries, a watched DLQ for the schedule', () => {
    const id = logicalIdOf(template, 'AWS::Lambda::Function', { Description: FUNCTIONS.sweep.description });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: FUNCTIONS.sweep.description,
      ReservedConcurrentExecutions: 1,
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: id },
      MaximumRetryAttempts: 0,
      Qualifier: '$LATEST',
    });
    const [queueId] = Object.keys(resourcesOfType(template, 'AWS::SQS::Queue')).filter((q) =>
      q.startsWith('CommandSweepDeadLetters'),
    );
    assert.ok(queueId);
    template.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
    });
  });

  test('sweep function: topology memory and timeout, the command settings in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: FUNCTIONS.sweep.description,
      MemorySize: FUNCTIONS.sweep.memoryMb,
      Timeout: FUNCTIONS.sweep.timeoutSeconds,
      Environment: {
        Variables: Match.objectLike({
          [ENV.tableName]: Match.anyValue(),
          [ENV.eventBusName]: Match.anyValue(),
          [ENV.connectionsUrl]: Match.anyValue(),
          [ENV.callTimeoutSeconds]: '60',
          [ENV.queueTtlSeconds]: '86400',
          [ENV.originSecret]: Match.absent(),
        }),
      },
    });
  });

  test('the sweep may read and write the table, publish events and post to station connections', () => {
    const fn = resourcesOfType(template, 'AWS::Lambda::Function')[functionId]!;
    const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: unknown[] }).Statement);
    const text = JSON.stringify(statements);
    assert.ok(text.includes('"execute-api:ManageConnections"'));
    assert.ok(text.includes(`/${WEBSOCKET_STAGE}/*/@connections/*`));
    assert.ok(text.includes('"events:PutEvents"'));
    assert.ok(text.includes('"dynamodb:Query"') && text.includes('"dynamodb:UpdateItem"'));
    assert.ok(!text.includes('"dynamodb:Scan"'), 'Query only');
  });

  test('every station function gets the command settings too', () => {
    for (const name of ['connect', 'message', 'disconnect', 'api'] as const) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: FUNCTIONS[name].description,
        Environment: {
          Variables: Match.objectLike({
            [ENV.callTimeoutSeconds]: Match.anyValue(),
            [ENV.queueTtlSeconds]: Match.anyValue(),
          }),
        },
      });
    }
  });
});
