/**
 * Composition root of the api function: adapters built once per cold start from the validated
 * configuration (the api function needs only the table).
 */
import { config } from '../../shared/aws/config.js';
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { createStore } from '../../shared/store/index.js';
import type { ApiDeps } from './http.js';

let deps: ApiDeps | undefined;

export function apiDeps(): ApiDeps {
  deps ??= {
    store: createStore({ db: dynamoDocumentClient(), tableName: config().tableName }),
    log: logger,
    clock: () => new Date(),
  };
  return deps;
}
