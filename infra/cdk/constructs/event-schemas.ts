import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Construct } from 'constructs';
import { EVENTS, type EventType } from '../../../shared/events/catalog.js';
import { registrySchema, schemaName } from '../../../shared/events/schema-registry.js';

export interface CsmsEventSchemasProps {
  /**
   * Name of the schema registry.
   * @default 'csms-events'
   */
  readonly registryName?: string;
}

/**
 * The event catalog where partners look for it: an EventBridge schema registry with one
 * OpenAPI 3 schema per event type (generated from shared/events/catalog.ts), from which the
 * EventBridge console and toolkits generate code bindings.
 */
export class CsmsEventSchemas extends Construct {
  public readonly registry: CfnRegistry;
  public readonly schemas: Readonly<Record<EventType, CfnSchema>>;

  constructor(scope: Construct, id: string, props: CsmsEventSchemasProps = {}) {
    super(scope, id);
    this.registry = new CfnRegistry(this, 'Registry', {
      registryName: props.registryName ?? 'csms-events',
      description: 'CSMS domain events (docs/events.md): one schema per event type and version',
    });
    const schemas = {} as Record<EventType, CfnSchema>;
    for (const type of Object.keys(EVENTS) as EventType[]) {
      const schema = new CfnSchema(this, type.replace(/[^A-Za-z0-9]/g, ''), {
        registryName: this.registry.attrRegistryName,
        schemaName: schemaName(type),
        type: 'OpenApi3',
        description: `detail-type ${type}`,
        content: JSON.stringify(registrySchema(type)),
      });
      schemas[type] = schema;
    }
    this.schemas = schemas;
  }
}
