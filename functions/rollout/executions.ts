/**
 * Starting and stopping the rollout state machine (Step Functions Standard on AWS, the local host's
 * Step Functions endpoint on `npm start`): one SDK client from shared/aws/clients.ts, the endpoint
 * from the standard AWS_ENDPOINT_URL_SFN variable.
 */
import { StartExecutionCommand, StopExecutionCommand, ExecutionDoesNotExist } from '@aws-sdk/client-sfn';
import { sfnClient } from '../../shared/aws/clients.js';

/** What the state machine gets as input. */
export interface RolloutExecutionInput {
  readonly rolloutId: string;
  /** The execution's own name: a task of an execution the rollout no longer names stops. */
  readonly execution: string;
}

export interface RolloutExecutions {
  start(input: RolloutExecutionInput): Promise<void>;
  /** Stops the execution if it still runs (already ended: fine). */
  stop(execution: string): Promise<void>;
}

/** `arn:...:stateMachine:NAME` → `arn:...:execution:NAME:EXECUTION` */
export function executionArn(stateMachineArn: string, execution: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${execution}`;
}

export class StepFunctionsExecutions implements RolloutExecutions {
  constructor(private readonly stateMachineArn: string) {}

  async start(input: RolloutExecutionInput): Promise<void> {
    await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: this.stateMachineArn,
        name: input.execution,
        input: JSON.stringify(input),
      }),
    );
  }

  async stop(execution: string): Promise<void> {
    try {
      await sfnClient().send(
        new StopExecutionCommand({
          executionArn: executionArn(this.stateMachineArn, execution),
          cause: 'rollout aborted',
        }),
      );
    } catch (error) {
      if (!(error instanceof ExecutionDoesNotExist)) throw error;
    }
  }
}
