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
import { CALLS } from './calls.js';
import { stationFunctionDeps } from './composition.js';

let instance: CommandPath | undefined;

export function commandPath(): CommandPath {
  if (!instance) {
    const { config: c, store, events, log, clock } = stationFunctionDeps();
    instance = new CommandPath({
      store,
      events,
      calls: CALLS,
      sender: c.connectionsUrl ? new ConnectionsSender(connectionsClient(c.connectionsUrl)) : undefined,
      config: c,
      deadlines: c.deadlineQueueUrl ? new SqsDeadlineTimer(sqsClient(), c.deadlineQueueUrl) : undefined,
      log,
      clock,
    });
  }
  return instance;
}
