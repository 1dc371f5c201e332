/** All stores over one table; built once per cold start by the composition roots. */
import { AdmissionStore } from './admissions.js';
import { ApiKeyStore } from './api-keys.js';
import { AvailabilityStore } from './availability.js';
import { BootGateStore } from './boot-gate.js';
import { CertificateStore } from './certificates.js';
import { ChargingProfileStore } from './charging-profiles.js';
import { CommandStore } from './commands.js';
import { ConfigurationStore } from './configuration.js';
import { DisplayMessageStore } from './display-messages.js';
import { LocalListStore } from './local-list.js';
import { LoginFailureStore } from './login-failures.js';
import { ReservationStore } from './reservations.js';
import { RolloutStore } from './rollouts.js';
import { ConnectorStore } from './connectors.js';
import { DeviceModelStore } from './device-model.js';
import { IdTokenStore } from './id-tokens.js';
import { IssuedCertificateStore } from './issued-certificates.js';
import { MessageLogStore } from './message-log.js';
import { MeterValueStore } from './meter-values.js';
import { SecurityEventStore } from './security-events.js';
import { SmartChargingStore } from './smart-charging.js';
import { SiteStore } from './sites.js';
import { StationStore } from './stations.js';
import { TransactionStore } from './transactions.js';
import { WebhookStore } from './webhooks.js';
import type { TableRef } from './table.js';

export interface Store {
  readonly stations: StationStore;
  readonly admissions: AdmissionStore;
  readonly connectors: ConnectorStore;
  readonly transactions: TransactionStore;
  readonly idTokens: IdTokenStore;
  readonly securityEvents: SecurityEventStore;
  readonly apiKeys: ApiKeyStore;
  readonly meterValues: MeterValueStore;
  readonly deviceModel: DeviceModelStore;
  readonly commands: CommandStore;
  readonly bootGate: BootGateStore;
  readonly configuration: ConfigurationStore;
  readonly availability: AvailabilityStore;
  readonly localList: LocalListStore;
  readonly chargingProfiles: ChargingProfileStore;
  readonly reservations: ReservationStore;
  readonly certificates: CertificateStore;
  readonly displayMessages: DisplayMessageStore;
  readonly webhooks: WebhookStore;
  /** The last messages of watched stations (the dashboard). */
  readonly messageLog: MessageLogStore;
  readonly rollouts: RolloutStore;
  /** External limits, EV charging needs, priority charging (2.x K11-K17, K21-K22). */
  readonly smartCharging: SmartChargingStore;
  /** Load management: sites, their station claims and allocations. */
  readonly sites: SiteStore;
  /** Certificates the station CA issued (shared/pki), with their status. */
  readonly issuedCertificates: IssuedCertificateStore;
  /** Failed logins per identity and the throttle they lead to (issue 11). */
  readonly loginFailures: LoginFailureStore;
}

export function createStore(table: TableRef): Store {
  return {
    stations: new StationStore(table),
    admissions: new AdmissionStore(table),
    connectors: new ConnectorStore(table),
    transactions: new TransactionStore(table),
    idTokens: new IdTokenStore(table),
    securityEvents: new SecurityEventStore(table),
    apiKeys: new ApiKeyStore(table),
    meterValues: new MeterValueStore(table),
    deviceModel: new DeviceModelStore(table),
    commands: new CommandStore(table),
    bootGate: new BootGateStore(table),
    configuration: new ConfigurationStore(table),
    availability: new AvailabilityStore(table),
    localList: new LocalListStore(table),
    chargingProfiles: new ChargingProfileStore(table),
    reservations: new ReservationStore(table),
    certificates: new CertificateStore(table),
    displayMessages: new DisplayMessageStore(table),
    webhooks: new WebhookStore(table),
    messageLog: new MessageLogStore(table),
    rollouts: new RolloutStore(table),
    smartCharging: new SmartChargingStore(table),
    sites: new SiteStore(table),
    issuedCertificates: new IssuedCertificateStore(table),
    loginFailures: new LoginFailureStore(table),
  };
}

export type { TableRef } from './table.js';
