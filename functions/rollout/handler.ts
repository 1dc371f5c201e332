/** The rollout task function: every Task state of the rollout state machine (./definition.ts). */
import { config } from '../../shared/aws/config.js';
import { dynamoDocumentClient, eventBridgeClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { commandPath } from '../ocpp/command-path.js';
import { EventBridgePublisher } from '../../shared/events/publisher.js';
import { createStore } from '../../shared/store/index.js';
import { StepFunctionsExecutions, type RolloutExecutions } from './executions.js';
import type { RolloutDeps } from './service.js';
import { runTask, type TaskInput, type TaskOutput } from './tasks.js';

let deps: RolloutDeps | undefined;

/** Tasks never start or stop executions; a missing state machine ARN is only an error if they try. */
const noExecutions: RolloutExecutions = {
  start: () => Promise.reject(new Error('no rollout state machine configured')),
  stop: () => Promise.resolve(),
};

function rolloutDeps(): RolloutDeps {
  if (!deps) {
    const c = config();
    const store = createStore({ db: dynamoDocumentClient(), tableName: c.tableName });
    const events = new EventBridgePublisher(eventBridgeClient(), c.eventBusName);
    deps = {
      store,
      events,
      // The process's one command path (its own store and sink: the same table and bus).
      commands: commandPath(),
      executions: c.rolloutStateMachineArn
        ? new StepFunctionsExecutions(c.rolloutStateMachineArn)
        : noExecutions,
      clock: () => new Date(),
    };
  }
  return deps;
}

export async function handler(event: TaskInput): Promise<TaskOutput> {
  logger.appendKeys({ rolloutId: event.rolloutId, task: event.task });
  return runTask(event, rolloutDeps());
}
