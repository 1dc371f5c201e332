/** All stores over one table; built once per cold start by the composition roots. */
import { ApiKeyStore } from './api-keys.js';
import { ConnectorStore } from './connectors.js';
import { DeviceModelStore } from './device-model.js';
import { IdTokenStore } from './id-tokens.js';
import { MeterValueStore } from './meter-values.js';
import { SecurityEventStore } from './security-events.js';
import { StationStore } from './stations.js';
import { TransactionStore } from './transactions.js';
import type { TableRef } from './table.js';

export interface Store {
  readonly stations: StationStore;
  readonly connectors: ConnectorStore;
  readonly transactions: TransactionStore;
  readonly idTokens: IdTokenStore;
  readonly securityEvents: SecurityEventStore;
  readonly apiKeys: ApiKeyStore;
  readonly meterValues: MeterValueStore;
  readonly deviceModel: DeviceModelStore;
}

export function createStore(table: TableRef): Store {
  return {
    stations: new StationStore(table),
    connectors: new ConnectorStore(table),
    transactions: new TransactionStore(table),
    idTokens: new IdTokenStore(table),
    securityEvents: new SecurityEventStore(table),
    apiKeys: new ApiKeyStore(table),
    meterValues: new MeterValueStore(table),
    deviceModel: new DeviceModelStore(table),
  };
}

export type { TableRef } from './table.js';
