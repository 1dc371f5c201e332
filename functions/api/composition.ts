/**
 * Composition root of the api function: adapters built once per cold start from the validated
 * configuration: the table, and the command path (which also posts to stations' connections).
 */
import { config } from '../../shared/aws/config.js';
import { eventBridgeClient } from '../../shared/aws/clients.js';
import { dynamoDocumentClient, kmsClient } from '../../shared/aws/clients.js';
import { lazyStationCa } from '../../shared/pki/select.js';
import { logger } from '../../shared/aws/observability.js';
import { EventBridgePublisher } from '../../shared/events/publisher.js';
import { commandPath, connectionsSender } from '../ocpp/command-path.js';
import { createStore } from '../../shared/store/index.js';
import { StepFunctionsExecutions } from '../rollout/executions.js';
import { CursorSigner } from './cursors.js';
import { WebhookControlPlane } from '../../shared/webhooks/control-plane.js';
import type { ApiDeps } from './http.js';
import { requestRecompute } from '../sites/service.js';
import { minimumAmps } from '../sites/sessions.js';

let deps: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  if (!deps) {
    const table = { db: dynamoDocumentClient(), tableName: config().tableName };
    const store = createStore(table);
    const {
      cursorSecret,
      eventBusName,
      webhooks,
      webhookLimit,
      webhookAllowLoopbackHttp,
      rolloutStateMachineArn,
    } = config();
    const events = new EventBridgePublisher(eventBridgeClient(), eventBusName);
    const clock = () => new Date();
    if (!cursorSecret)
      throw new Error('Invalid configuration: CSMS_CURSOR_SECRET is required by the api function');
    deps = {
      store,
      commands: commandPath(),
      connections: {
        async close(connectionId) {
          await connectionsSender()?.close(connectionId); // already gone: fine
        },
      },
      log: logger,
      clock: () => new Date(),
      ca: lazyStationCa(config(), { table, kms: kmsClient, clock: () => new Date() }),
      cursors: CursorSigner.fromSecret(cursorSecret),
      webhooks: webhooks && {
        controlPlane: new WebhookControlPlane(eventBridgeClient(), { busName: eventBusName, ...webhooks }),
        events: new EventBridgePublisher(eventBridgeClient(), eventBusName),
        limit: webhookLimit,
        allowLoopbackHttp: webhookAllowLoopbackHttp,
      },
      rollouts: rolloutStateMachineArn
        ? {
            events: new EventBridgePublisher(eventBridgeClient(), eventBusName),
            executions: new StepFunctionsExecutions(rolloutStateMachineArn),
          }
        : undefined,
      sites: {
        recompute: (siteId) =>
          requestRecompute(siteId, { store, table, commands: commandPath(), events, clock, log: logger }),
        minimumAmps: (stationId, protocol) => minimumAmps(store, table, stationId, protocol, 1),
      },
    };
  }
  return deps;
}
