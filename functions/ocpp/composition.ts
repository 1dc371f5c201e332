/**
 * Composition root of the station-facing functions: adapters built once per cold start from the
 * validated configuration. Nothing here defaults to a real client implicitly; each entry point
 * calls these once at module scope.
 */
import { config, type Config } from '../../shared/aws/config.js';
import { dynamoDocumentClient, eventBridgeClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { EventBridgePublisher, type EventSink } from '../../shared/events/publisher.js';
import { createStore, type Store } from '../../shared/store/index.js';
import type { ClientCertificateTrust } from './client-certificate.js';
import { clientCertificateTrust } from './client-certificate-trust.js';

export interface StationFunctionDeps {
  readonly config: Config;
  readonly store: Store;
  readonly events: EventSink;
  readonly log: typeof logger;
  readonly clock: () => Date;
  /** Trust in station client certificates (profile 3); absent: ./client-certificate-trust.ts from config. */
  readonly clientCertificates?: ClientCertificateTrust;
}

let deps: StationFunctionDeps | undefined;

export function stationFunctionDeps(): StationFunctionDeps {
  if (!deps) {
    const c = config();
    const store = createStore({ db: dynamoDocumentClient(), tableName: c.tableName });
    deps = {
      config: c,
      store,
      clientCertificates: clientCertificateTrust(c, store),
      events: new EventBridgePublisher(eventBridgeClient(), c.eventBusName),
      log: logger,
      clock: () => new Date(),
    };
  }
  return deps;
}

/** What the authorizer hands to every later route of the connection (API Gateway keeps it). */
export interface ConnectionContext {
  readonly stationId: string;
  /** The negotiated subprotocol, '' when none was acceptable. */
  readonly protocol: string;
  /** Registration status when the station connected, '' when it has never booted. */
  readonly registrationStatus: string;
}

export function readConnectionContext(authorizer: unknown): ConnectionContext | undefined {
  if (!authorizer || typeof authorizer !== 'object') return undefined;
  const a = authorizer as Record<string, unknown>;
  if (typeof a.stationId !== 'string' || a.stationId === '') return undefined;
  return {
    stationId: a.stationId,
    protocol: typeof a.protocol === 'string' ? a.protocol : '',
    registrationStatus: typeof a.registrationStatus === 'string' ? a.registrationStatus : '',
  };
}
