/**
 * The command path built from the validated configuration, once per process (the api, message,
 * connect, disconnect and sweep functions each hold one). Callers that already hold a store and
 * an event sink pass them in.
 */
import { config } from '../aws/config.js';
import { connectionsClient, dynamoDocumentClient, eventBridgeClient, sqsClient } from '../aws/clients.js';
import { METRICS } from '../../infra/topology.js';
import { count, logger, type Log } from '../aws/observability.js';
import { EventBridgePublisher, type EventSink } from '../events/publisher.js';
import { createStore, type Store } from '../store/index.js';
import { SqsDeadlineTimer } from './deadlines.js';
import { ConnectionsSender } from './sender.js';
import { CommandPath } from './service.js';

let instance: CommandPath | undefined;

export function commandPath(
  deps: { store?: Store; events?: EventSink; log?: Log; clock?: () => Date } = {},
): CommandPath {
  if (!instance) {
    const c = config();
    instance = new CommandPath({
      store: deps.store ?? createStore({ db: dynamoDocumentClient(), tableName: c.tableName }),
      events: deps.events ?? new EventBridgePublisher(eventBridgeClient(), c.eventBusName),
      sender: c.connectionsUrl ? new ConnectionsSender(connectionsClient(c.connectionsUrl)) : undefined,
      config: c,
      deadlines: c.deadlineQueueUrl ? new SqsDeadlineTimer(sqsClient(), c.deadlineQueueUrl) : undefined,
      log: deps.log ?? logger,
      clock: deps.clock ?? (() => new Date()),
      onFinished: (status) => count(METRICS.commands[status]),
    });
  }
  return instance;
}
