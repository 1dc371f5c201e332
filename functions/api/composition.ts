/**
 * Composition root of the api function: adapters built once per cold start from the validated
 * configuration: the table, and the command path (which also posts to stations' connections).
 */
import { DeleteConnectionCommand, GoneException } from '@aws-sdk/client-apigatewaymanagementapi';
import { config } from '../../shared/aws/config.js';
import { connectionsClient, dynamoDocumentClient, eventBridgeClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { commandPath } from '../../shared/calls/composition.js';
import { EventBridgePublisher } from '../../shared/events/publisher.js';
import { createStore } from '../../shared/store/index.js';
import { StepFunctionsExecutions } from '../rollout/executions.js';
import { CursorSigner } from './cursors.js';
import { WebhookControlPlane } from '../../shared/webhooks/control-plane.js';
import type { ApiDeps } from './http.js';

let deps: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  if (!deps) {
    const store = createStore({ db: dynamoDocumentClient(), tableName: config().tableName });
    const {
      connectionsUrl,
      cursorSecret,
      eventBusName,
      webhooks,
      webhookLimit,
      webhookAllowLoopbackHttp,
      rolloutStateMachineArn,
    } = config();
    if (!cursorSecret)
      throw new Error('Invalid configuration: CSMS_CURSOR_SECRET is required by the api function');
    deps = {
      store,
      commands: commandPath({ store, log: logger }),
      connections: {
        async close(connectionId) {
          if (!connectionsUrl) return;
          try {
            await connectionsClient(connectionsUrl).send(
              new DeleteConnectionCommand({ ConnectionId: connectionId }),
            );
          } catch (error) {
            if (!(error instanceof GoneException)) throw error; // already gone: fine
          }
        },
      },
      log: logger,
      clock: () => new Date(),
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
    };
  }
  return deps;
}
