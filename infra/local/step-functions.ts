/**
 * The local Step Functions endpoint: StartExecution, DescribeExecution and StopExecution (AWS
 * JSON 1.0, what the SDK's SFN client speaks; the functions reach it through AWS_ENDPOINT_URL_SFN)
 * for the firmware rollout state machine. It runs the same ASL definition the CDK deploys
 * (functions/rollout/definition.ts) with aws-local-stepfunctions, its Task states mapped to the
 * rollout task function. Executions live in memory: a restart loses them, and recoverRollouts()
 * starts a new execution for every rollout stored as running (it continues from stored progress).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { rolloutDefinitionJson, TASK_STATES } from '../../functions/rollout/definition.js';
import { executionArn } from '../../functions/rollout/executions.js';
import { newExecutionName } from '../../functions/rollout/service.js';
import type { Store } from '../../shared/store/index.js';
import { closeServer } from './dynamodb.js';
import { ACCOUNT, REGION } from './event-bus.js';
import { readBody } from './gateway.js';

export const ROLLOUT_STATE_MACHINE_NAME = 'csms-firmware-rollouts';
const TASK_FUNCTION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:csms-rollout`;

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: Status;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
  /** States entered (the unit Step Functions Standard bills). */
  transitions: number;
  abort(): void;
}

export interface LocalStepFunctions {
  readonly port: number;
  readonly endpoint: string;
  readonly stateMachineArn: string;
  /** States entered by every execution so far (the benchmark's cost measure). */
  readonly transitions: number;
  /** Executions still running. */
  readonly running: number;
  /** StartExecution of the rollout state machine, in process (recovery at start). */
  startExecution(input: { rolloutId: string; execution: string }): void;
  /** Stops every execution (their rollouts stay stored as running: recoverRollouts) and the server. */
  close(): Promise<void>;
}

class SfnError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startStepFunctions(options: {
  /** Runs the rollout task function with a Task state's input. */
  readonly invokeTask: (input: unknown) => Promise<unknown>;
  readonly onError: (error: unknown, execution: string) => void;
  readonly port?: number | undefined;
}): Promise<LocalStepFunctions> {
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${ROLLOUT_STATE_MACHINE_NAME}`;
  const machine = new StateMachine(
    JSON.parse(rolloutDefinitionJson(TASK_FUNCTION_ARN)) as StateMachineDefinition,
  );
  const handlers = Object.fromEntries(
    TASK_STATES.map((s) => [s, (input: unknown) => options.invokeTask(input) as Promise<never>]),
  );
  const executions = new Map<string, Execution>();
  let transitions = 0;

  const start = (req: Record<string, unknown>) => {
    if (req.stateMachineArn !== stateMachineArn) {
      throw new SfnError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${String(req.stateMachineArn)}'`,
      );
    }
    const name = typeof req.name === 'string' && req.name !== '' ? req.name : randomUUID();
    const arn = executionArn(stateMachineArn, name);
    if (executions.has(arn))
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    const input = typeof req.input === 'string' ? req.input : '{}';
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch {
      throw new SfnError('InvalidExecutionInput', 'input is not valid JSON');
    }
    const run = machine.run(parsed as never, {
      overrides: { taskResourceLocalHandlers: handlers },
      noThrowOnAbort: true,
    });
    const execution: Execution = {
      arn,
      name,
      input,
      startDate: new Date(),
      status: 'RUNNING',
      transitions: 0,
      abort: run.abort,
    };
    executions.set(arn, execution);
    void (async () => {
      for await (const event of run.eventLogs) {
        if (event.type === 'StateEntered') {
          execution.transitions++;
          transitions++;
        }
      }
    })().catch(() => undefined);
    run.result.then(
      (output) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'SUCCEEDED';
        execution.output = JSON.stringify(output);
        execution.stopDate = new Date();
      },
      (error: unknown) => {
        if (execution.status !== 'RUNNING') return;
        execution.status = 'FAILED';
        execution.error = (error as Error).name;
        execution.cause = (error as Error).message;
        execution.stopDate = new Date();
        options.onError(error, name);
      },
    );
    return { executionArn: arn, startDate: execution.startDate.getTime() / 1000 };
  };

  const find = (req: Record<string, unknown>): Execution => {
    const execution = executions.get(String(req.executionArn));
    if (!execution)
      throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(req.executionArn)}'`);
    return execution;
  };

  const describe = (req: Record<string, unknown>) => {
    const e = find(req);
    return {
      executionArn: e.arn,
      stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: e.startDate.getTime() / 1000,
      ...(e.stopDate ? { stopDate: e.stopDate.getTime() / 1000 } : {}),
      input: e.input,
      ...(e.output !== undefined ? { output: e.output } : {}),
      ...(e.error !== undefined ? { error: e.error, cause: e.cause } : {}),
    };
  };

  const stop = (req: Record<string, unknown>) => {
    const e = find(req);
    if (e.status === 'RUNNING') {
      e.status = 'ABORTED';
      e.stopDate = new Date();
      e.abort();
    }
    return { stopDate: (e.stopDate ?? new Date()).getTime() / 1000 };
  };

  const operations: Record<string, (req: Record<string, unknown>) => unknown> = {
    'AWSStepFunctions.StartExecution': start,
    'AWSStepFunctions.DescribeExecution': describe,
    'AWSStepFunctions.StopExecution': stop,
  };

  const server = createServer((req, res) => void handle(req, res, operations));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    port,
    endpoint: `http://127.0.0.1:${port}`,
    stateMachineArn,
    get transitions() {
      return transitions;
    },
    startExecution(input) {
      start({ stateMachineArn, name: input.execution, input: JSON.stringify(input) });
    },
    get running() {
      return [...executions.values()].filter((e) => e.status === 'RUNNING').length;
    },
    close() {
      for (const e of executions.values()) if (e.status === 'RUNNING') stop({ executionArn: e.arn });
      return (closed ??= closeServer(server));
    },
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  operations: Record<string, (req: Record<string, unknown>) => unknown>,
): Promise<void> {
  const send = (status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(text);
  };
  try {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/') {
      throw new SfnError('UnknownOperationException', 'Only POST / is served here', 404);
    }
    const body = await readBody(req, 1024 * 1024);
    const target = String(req.headers['x-amz-target']);
    const operation = operations[target];
    if (!operation) {
      throw new SfnError(
        'UnknownOperationException',
        `The local Step Functions endpoint does not serve ${target}`,
      );
    }
    let request: unknown;
    try {
      request = JSON.parse(body.toString('utf8'));
    } catch {
      throw new SfnError('SerializationException', 'Request body is not valid JSON');
    }
    send(200, operation((request ?? {}) as Record<string, unknown>));
  } catch (error) {
    if (error instanceof SfnError) send(error.status, { __type: error.type, message: error.message });
    else
      send(500, {
        __type: 'InternalFailure',
        message: error instanceof Error ? error.message : String(error),
      });
  }
}

/**
 * After a restart no execution is alive: every rollout stored as running gets a new execution,
 * which continues from its stored progress (a wave under way is polled again, never sent twice:
 * its commands carry an idempotency key). A rollout whose execution cannot start is failed.
 */
export async function recoverRollouts(
  store: Store,
  startExecution: (input: { rolloutId: string; execution: string }) => Promise<void>,
  onError: (error: unknown, rolloutId: string) => void,
): Promise<number> {
  let restarted = 0;
  for (const r of await store.rollouts.inState('running')) {
    const execution = newExecutionName(r.id);
    if (
      !(await store.rollouts.transition(r.id, ['running'], 'running', new Date(), { execution }, r.execution))
    ) {
      continue;
    }
    try {
      await startExecution({ rolloutId: r.id, execution });
      restarted++;
    } catch (error) {
      await store.rollouts.transition(
        r.id,
        ['running'],
        'failed',
        new Date(),
        { reason: 'could not restart' },
        execution,
      );
      onError(error, r.id);
    }
  }
  return restarted;
}
