/**
 * Composition root of the station-facing functions: adapters built once per cold start from the
 * validated configuration. Nothing here defaults to a real client implicitly; each entry point
 * calls these once at module scope.
 */
import { config, type Config } from '../../shared/aws/config.js';
import { dynamoDocumentClient, eventBridgeClient, kmsClient } from '../../shared/aws/clients.js';
import { logger } from '../../shared/aws/observability.js';
import { EventBridgePublisher, type EventSink } from '../../shared/events/publisher.js';
import { createStore, type Store } from '../../shared/store/index.js';
import {
  OcspContractCertificates,
  type ContractCertificates,
} from '../../shared/pki/contract-certificates.js';
import { SiteAndStationLimits, type EvseLimitSource } from './evse-limits.js';
import type { StationCa } from '../../shared/pki/authority.js';
import { lazyStationCa } from '../../shared/pki/select.js';
import type { ClientCertificateTrust } from './client-certificate.js';
import { clientCertificateTrust } from './client-certificate-trust.js';

export interface StationFunctionDeps {
  readonly config: Config;
  readonly store: Store;
  readonly events: EventSink;
  readonly log: typeof logger;
  readonly clock: () => Date;
  /** How much an EVSE may draw, for EV-needs schedules (K15-K17): site allocation plugs in here. */
  readonly evseLimits: EvseLimitSource;
  /** ISO 15118 contract certificates and OCSP (M01, M02, M06): a real PKI plugs in here. */
  readonly contractCertificates: ContractCertificates;
  /** The station CA (built on first use); undefined when none is configured. */
  readonly ca: StationCa | undefined;
  /** Trust in station client certificates (profile 3); absent: ./client-certificate-trust.ts from config. */
  readonly clientCertificates?: ClientCertificateTrust;
}

let deps: StationFunctionDeps | undefined;

export function stationFunctionDeps(): StationFunctionDeps {
  if (!deps) {
    const c = config();
    const table = { db: dynamoDocumentClient(), tableName: c.tableName };
    const store = createStore(table);
    const clock = () => new Date();
    const ca = lazyStationCa(c, { table, kms: kmsClient, clock });
    const ownCa = async (): Promise<readonly string[]> => {
      // The KMS CA keeps its certificate in the table; the authorizer, which has no CA settings or
      // KMS rights, reads it there too.
      if (c.stationCa === undefined || c.stationCa.kind === 'kms') {
        const pem = await store.issuedCertificates.caCertificatePem();
        return pem ? [pem] : [];
      }
      return ca ? ca.caCertificatesPem() : [];
    };
    deps = {
      config: c,
      store,
      clientCertificates: clientCertificateTrust(c, store, ownCa),
      events: new EventBridgePublisher(eventBridgeClient(), c.eventBusName),
      log: logger,
      clock,
      evseLimits: new SiteAndStationLimits(store),
      contractCertificates: new OcspContractCertificates(),
      ca,
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
