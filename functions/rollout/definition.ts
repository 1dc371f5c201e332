/**
 * The rollout state machine in Amazon States Language, JSONPath only (no JSONata, no
 * .waitForTaskToken), written once: the CDK construct (infra/cdk/constructs/firmware-rollouts.ts)
 * deploys it with the task function's ARN substituted for TASK_RESOURCE, and the local host
 * (infra/local/step-functions.ts) runs the same JSON with aws-local-stepfunctions.
 *
 *   NextWave ─▶ AfterNext ─poll─▶ WaitForWave ─▶ PollWave ─▶ AfterPoll ─poll─▶ WaitForWave
 *      ▲            └─end─▶ Done                                 ├─next─▶ NextWave
 *      └──────────────────────────────────────────────────────────┘ └─end─▶ Done
 *
 * Transitions: 2 per wave (NextWave, AfterNext) + 3 per poll (Wait, PollWave, AfterPoll), whatever
 * the number of stations in the wave: one poll reads the whole wave. A paused rollout ends its
 * execution (no transitions while paused); resume starts a new one from the stored progress.
 */

/** Placeholder for the task function's ARN (CDK definitionSubstitutions syntax). */
export const TASK_RESOURCE = '${RolloutTaskFunctionArn}';
export const TASK_STATES = ['NextWave', 'PollWave', 'MarkFailed'] as const;

const RETRY = [
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
  },
  { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 },
];

const CATCH = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' }];

function task(name: 'next' | 'poll', next: string) {
  return {
    Type: 'Task',
    Resource: TASK_RESOURCE,
    Parameters: { task: name, 'rolloutId.$': '$.rolloutId', 'execution.$': '$.execution' },
    TimeoutSeconds: 300,
    Retry: RETRY,
    Catch: CATCH,
    Next: next,
  };
}

/** The definition as a JSON value (resource placeholders unresolved). */
export function rolloutDefinition(): Record<string, unknown> {
  return {
    Comment: 'Firmware rollout: waves (canary, then batches), one poll per wave, a health gate after each',
    StartAt: 'NextWave',
    States: {
      NextWave: task('next', 'AfterNext'),
      AfterNext: {
        Type: 'Choice',
        Choices: [{ Variable: '$.action', StringEquals: 'poll', Next: 'WaitForWave' }],
        Default: 'Done',
      },
      WaitForWave: { Type: 'Wait', SecondsPath: '$.pollSeconds', Next: 'PollWave' },
      PollWave: task('poll', 'AfterPoll'),
      AfterPoll: {
        Type: 'Choice',
        Choices: [
          { Variable: '$.action', StringEquals: 'poll', Next: 'WaitForWave' },
          { Variable: '$.action', StringEquals: 'next', Next: 'NextWave' },
        ],
        Default: 'Done',
      },
      MarkFailed: {
        Type: 'Task',
        Resource: TASK_RESOURCE,
        Parameters: {
          task: 'fail',
          'rolloutId.$': '$.rolloutId',
          'execution.$': '$.execution',
          'error.$': '$.error',
        },
        Retry: RETRY,
        Next: 'Failed',
      },
      Failed: { Type: 'Fail', Error: 'RolloutFailed', Cause: 'A task failed past its retries' },
      Done: { Type: 'Succeed' },
    },
  };
}

/** The definition with the task resource substituted (what runs). */
export function rolloutDefinitionJson(taskResourceArn: string): string {
  return JSON.stringify(rolloutDefinition()).split(TASK_RESOURCE).join(taskResourceArn);
}
