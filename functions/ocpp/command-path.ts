/**
 * Composition root of the command path: built once per process from the station functions'
 * adapters (the same store, event sink, log and clock), the @connections sender, the deadline
 * queue and the call tables. The api, message, connect, disconnect and sweep functions share it.
 * Nothing is defaulted: tests build their own CommandPath with the deps they want.
 */
import { connectionsClient, sqsClient } from '../../shared/aws/clients.js';
import { SqsDeadlineTimer } from '../../shared/calls/deadlines.js';
import { ConnectionsSender } from '../../shared/calls/sender.js';
import { CommandPath } from '../../shared/calls/service.js';
import { count } from '../../shared/aws/observability.js';
import { METRICS } from '../../shared/contract.js';
import { CALLS } from './calls.js';
import { stationFunctionDeps } from './composition.js';

let instance: CommandPath | undefined;
let sender: ConnectionsSender | undefined;

/** The @connections sender of this process; undefined when there is no endpoint configured. */
export function connectionsSender(): ConnectionsSender | undefined {
  const url = stationFunctionDeps().config.connectionsUrl;
  if (url && !sender) sender = new ConnectionsSender(connectionsClient(url));
  return sender;
}

export function commandPath(): CommandPath {
  if (!instance) {
    const { config: c, store, events, log, clock } = stationFunctionDeps();
    instance = new CommandPath({
      store,
      events,
      calls: CALLS,
      sender: connectionsSender(),
      config: c,
      deadlines: c.deadlineQueueUrl ? new SqsDeadlineTimer(sqsClient(), c.deadlineQueueUrl) : undefined,
      log,
      clock,
      onFinished: (status) => count(METRICS.commands[status]),
    });
  }
  return instance;
}
