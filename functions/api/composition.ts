/**
 * Composition root of the api function: adapters built once per cold start from the validated
 * configuration: the table, and the command path (which also posts to stations' connections).
 */
import { config } from '../../shared/aws/config.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { commandPath, connectionsSender } from '../ocpp/command-path.js';
import { createStore } from '../../shared/store/index.js';
import { CursorSigner } from './cursors.js';
import type { ApiDeps } from './http.js';

let deps: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  if (!deps) {
    const store = createStore({ db: dynamoDocumentClient(), tableName: config().tableName });
    const { cursorSecret } = config();
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
      cursors: CursorSigner.fromSecret(cursorSecret),
    };
  }
  return deps;
}
