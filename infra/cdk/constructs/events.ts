import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_BUS } from '../../topology.js';
import { CsmsEventSchemas } from './event-schemas.js';
import { archiveNameOf, CsmsWebhooks, type PartnerWebhook } from './webhooks.js';

export interface CsmsEventsProps {
  /**
   * Name of the custom event bus.
   * @default 'csms'
   */
  readonly busName?: string;
  /**
   * How long the archive keeps the CSMS's events for replay.
   * @default Duration.days(30)
   */
  readonly archiveRetention?: Duration;
  /**
   * Partners whose webhooks are fixed at deploy time: each gets an EventBridge rule on the bus,
   * an API destination and connection (its secret a SecretValue, kept in Secrets Manager), a
   * retry policy and its own dead-letter queue. Partners can also be subscribed at run time
   * through the HTTP API (POST /v1/webhooks).
   * @default - none
   */
  readonly webhooks?: readonly PartnerWebhook[];
  /**
   * Name of the EventBridge schema registry holding every event type's schema.
   * @default 'csms-events' for the bus `csms`, else `{busName}-events`
   */
  readonly schemaRegistryName?: string;
}

/**
 * The custom EventBridge bus every domain event goes to, an archive of them for replay, the
 * schema registry of the event catalog and the partner webhooks' infrastructure.
 */
export class CsmsEvents extends Construct {
  public readonly bus: EventBus;
  public readonly archive: Archive;
  public readonly schemas: CsmsEventSchemas;
  public readonly webhooks: CsmsWebhooks;

  constructor(scope: Construct, id: string, props: CsmsEventsProps = {}) {
    super(scope, id);
    const busName = props.busName ?? 'csms';
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: busName,
      description: 'CSMS domain events (stations, transactions, commands)',
    });
    this.archive = new Archive(this, 'Archive', {
      // Named after the bus, so that a deployment adopting the bus (existingEventBusName) finds it.
      archiveName: archiveNameOf(busName),
      sourceEventBus: this.bus,
      description: `Events with source ${EVENT_BUS.source}, kept for replay`,
      eventPattern: { source: [EVENT_BUS.source] },
      retention: props.archiveRetention ?? Duration.days(30),
    });
    // Both outlive the stack: the archive is the history that replays rebuild consumers from, and
    // rules other teams attached to the bus must not lose their source. A later deployment adopts
    // the bus by name (existingEventBusName), its archive still attached.
    this.bus.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.archive.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.schemas = new CsmsEventSchemas(this, 'Schemas', {
      // One registry per bus, so that stages in one account and region do not collide.
      registryName: props.schemaRegistryName ?? (busName === 'csms' ? 'csms-events' : `${busName}-events`),
    });
    this.webhooks = new CsmsWebhooks(this, 'Webhooks', {
      bus: this.bus,
      busName,
      ...(props.webhooks ? { webhooks: props.webhooks } : {}),
    });
  }
}
