import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { EVENT_BUS } from '../../topology.js';

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
}

/** The custom EventBridge bus every domain event goes to, and an archive of them for replay. */
export class CsmsEvents extends Construct {
  public readonly bus: EventBus;
  public readonly archive: Archive;

  constructor(scope: Construct, id: string, props: CsmsEventsProps = {}) {
    super(scope, id);
    this.bus = new EventBus(this, 'Bus', {
      eventBusName: props.busName ?? 'csms',
      description: 'CSMS domain events (stations, transactions, commands)',
    });
    this.archive = new Archive(this, 'Archive', {
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
  }
}
