/** Composition root of load management: the deps of a site recompute, built once per process. */
import { dynamoDocumentClient } from '../../shared/aws/clients.js';
import { commandPath } from '../ocpp/command-path.js';
import { stationFunctionDeps } from '../ocpp/composition.js';
import type { SiteDeps } from './service.js';

let deps: SiteDeps | undefined;

export function siteDeps(): SiteDeps {
  if (!deps) {
    const { config, store, events, log, clock } = stationFunctionDeps();
    const built: SiteDeps = {
      store,
      table: { db: dynamoDocumentClient(), tableName: config.tableName },
      commands: commandPath(),
      events,
      clock,
      log,
    };
    deps = built;
  }
  return deps;
}
