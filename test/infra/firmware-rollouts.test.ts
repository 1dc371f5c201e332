/**
 * The firmware rollout state machine: its one ASL definition passes asl-validator, uses JSONPath
 * only (what aws-local-stepfunctions runs), and the CDK template deploys it as a Standard state
 * machine whose Task states call the rollout task function, with the api function allowed to
 * start and stop its executions and nothing more.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { Match } from 'aws-cdk-lib/assertions';
import { rolloutDefinition, rolloutDefinitionJson, TASK_STATES } from '../../functions/rollout/definition.js';
import { ENV, FUNCTIONS } from '../../infra/topology.js';
import { resourcesOfType, synthesizeDefault } from './synth.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => { isValid: boolean; errors: unknown[] };

const LAMBDA_ARN = 'arn:aws:lambda:eu-west-1:123456789012:function:csms-rollout';

describe('rollout state machine definition', () => {
  test('passes asl-validator (paths and ARNs checked)', () => {
    const result = aslValidator(JSON.parse(rolloutDefinitionJson(LAMBDA_ARN)), {
      checkPaths: true,
      checkArn: true,
    });
    assert.deepEqual(result.errors, []);
    assert.equal(result.isValid, true);
  });

  test('JSONPath only: no JSONata, no .waitForTaskToken, every Task state calls the task function', () => {
    const text = JSON.stringify(rolloutDefinition());
    assert.doesNotMatch(text, /JSONata/i);
    assert.doesNotMatch(text, /waitForTaskToken/);
    const states = rolloutDefinition().States as Record<string, { Type: string; Resource?: string }>;
    const tasks = Object.entries(states).filter(([, s]) => s.Type === 'Task');
    assert.deepEqual(tasks.map(([name]) => name).sort(), [...TASK_STATES].sort());
    for (const [, s] of tasks) assert.equal(s.Resource, '${RolloutTaskFunctionArn}');
  });
});

describe('rollout state machine in the template', () => {
  const { statelessTemplate: template } = synthesizeDefault();
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');
  const byDescription = (description: string) =>
    Object.entries(functions).find(([, f]) => f.Properties.Description === description)![0];
  const taskFunction = byDescription(FUNCTIONS.rollout.description);
  const apiFunction = byDescription(FUNCTIONS.api.description);

  test('a Standard state machine with the definition, the task function substituted, logging and tracing', () => {
    const machines = resourcesOfType(template, 'AWS::StepFunctions::StateMachine');
    assert.equal(Object.keys(machines).length, 1);
    const [, machine] = Object.entries(machines)[0]!;
    assert.equal(machine.Properties.StateMachineType, 'STANDARD');
    assert.deepEqual(JSON.parse(machine.Properties.DefinitionString as string), rolloutDefinition());
    assert.deepEqual(machine.Properties.DefinitionSubstitutions, {
      RolloutTaskFunctionArn: { 'Fn::GetAtt': [taskFunction, 'Arn'] },
    });
    assert.deepEqual(machine.Properties.TracingConfiguration, { Enabled: true });
    assert.equal((machine.Properties.LoggingConfiguration as { Level: string }).Level, 'ALL');
  });

  test('the state machine role may invoke the task function; the api may start, stop and describe executions', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [taskFunction, 'Arn'] }]),
          }),
        ]),
      },
    });
    const machineRef = Object.keys(resourcesOfType(template, 'AWS::StepFunctions::StateMachine'))[0]!;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'states:StartExecution', Resource: { Ref: machineRef } }),
          // Actions sorted: the minimizePolicies feature flag (cdk.json) orders them.
          Match.objectLike({ Action: ['states:DescribeExecution', 'states:StopExecution'] }),
        ]),
      },
    });
    const api = functions[apiFunction]!;
    const variables = (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    assert.deepEqual(variables[ENV.rolloutStateMachineArn], { Ref: machineRef });
  });
});
