import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { rolloutDefinition } from '../../../functions/rollout/definition.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { ENV, FUNCTIONS } from '../../topology.js';
import { CsmsFunction, type CsmsFunctionSettings } from './csms-function.js';
import type { StationGateway } from './station-gateway.js';
import { grantTableData } from './table.js';

export interface FirmwareRolloutsProps {
  /** The CSMS table: rollouts, stations' boot data, commands. */
  readonly table: ITable;
  /** The bus rollout.*.v1 and command.completed.v1 go to. */
  readonly eventBus: IEventBus;
  /** Its function environment and @connections API: the tasks send firmware commands. */
  readonly stationGateway: StationGateway;
  /** The call-deadline queue: the command path schedules a deadline per CALL sent. */
  readonly deadlineQueue: IQueue;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /**
   * Logging, metrics and tracing of the task function.
   * @default - see CsmsFunctionSettings
   */
  readonly functionSettings?: CsmsFunctionSettings;
}

/**
 * Firmware rollouts (docs/adr/0012-firmware-rollouts.md): the Standard state machine of
 * functions/rollout/definition.ts, the same JSON the local host runs, with the rollout task
 * function (topology FUNCTIONS.rollout) as the resource of every Task state.
 */
export class FirmwareRollouts extends Construct {
  public readonly handler: CsmsFunction;
  public readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: FirmwareRolloutsProps) {
    super(scope, id);
    this.handler = new CsmsFunction(this, 'Task', {
      spec: FUNCTIONS.rollout,
      environment: props.stationGateway.functionEnvironment,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      ...(props.functionSettings ? { settings: props.functionSettings } : {}),
    });
    const fn = this.handler.function;
    grantTableData(props.table, fn, 'readWrite');
    props.eventBus.grantPutEventsTo(fn);
    props.stationGateway.grantManageConnections(fn);
    props.deadlineQueue.grantSendMessages(fn);

    const logs = new LogGroup(this, 'ExecutionLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      comment: 'Firmware rollouts: canary, batches, health gate (functions/rollout/definition.ts)',
      definitionBody: DefinitionBody.fromString(JSON.stringify(rolloutDefinition())),
      definitionSubstitutions: { RolloutTaskFunctionArn: fn.functionArn },
      // Execution data holds only ids (rolloutId, execution name, the next action).
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
    });
    // A definition from a string gives CDK no task to infer permissions from.
    fn.grantInvoke(this.stateMachine);
    const role = this.stateMachine.role;
    acknowledgeWildcardResource(
      role,
      `${fn.functionArn}:*`,
      'grantInvoke adds the versions and aliases of the one rollout task function; nothing else is invocable.',
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'Step Functions log delivery (logs:CreateLogDelivery, ...) and X-Ray tracing (xray:PutTraceSegments, ...) ' +
        'accept no resource but *: what CDK grants for the logs and tracingEnabled settings.',
    );
  }

  /** The api function starts executions (create, resume) and stops them (abort). */
  allowControl(api: IFunction & { addEnvironment(key: string, value: string): unknown }): void {
    this.stateMachine.grantStartExecution(api);
    this.stateMachine.grantExecution(api, 'states:StopExecution', 'states:DescribeExecution');
    api.addEnvironment(ENV.rolloutStateMachineArn, this.stateMachine.stateMachineArn);
    const stack = Stack.of(this);
    const name = stack.splitArn(
      this.stateMachine.stateMachineArn,
      ArnFormat.COLON_RESOURCE_NAME,
    ).resourceName;
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      resourceName: `${name}:*`,
    });
    if (api.role) {
      acknowledgeWildcardResource(
        api.role,
        executions,
        'Execution names are made per run (create, resume); the wildcard covers only the executions of ' +
          'this one state machine, for StopExecution (abort) and DescribeExecution.',
      );
    }
  }
}
