/**
 * The event catalog as EventBridge schema registry documents (OpenAPI 3, the format of the
 * schemas EventBridge discovers itself, so its code bindings work): one schema per event type,
 * the envelope as `AWSEvent` and the `detail` generated from the zod catalog. The CDK app
 * deploys them (infra/cdk/constructs/event-schemas.ts); test/infra/webhooks.test.ts keeps the
 * deployed content equal to the catalog and to docs/events.schema.json.
 */
import { z } from 'zod';
import { EVENT_BUS } from '../contract.js';
import { EVENTS, type EventType } from './catalog.js';

/** `csms@station.booted.v1`: registry schema names allow [a-zA-Z0-9-_.@]. */
export function schemaName(type: EventType): string {
  return `${EVENT_BUS.source}@${type}`;
}

/** `StationBootedV1` */
function detailName(type: EventType): string {
  return type
    .split(/[.-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function detailSchema(type: EventType): Record<string, unknown> {
  const { $schema: _schema, ...schema } = z.toJSONSchema(EVENTS[type], { target: 'openapi-3.0' }) as Record<
    string,
    unknown
  >;
  return schema;
}

/** The OpenAPI 3 document of one event type, as the registry stores it. */
export function registrySchema(type: EventType): Record<string, unknown> {
  const detail = detailName(type);
  return {
    openapi: '3.0.0',
    info: { version: '1.0.0', title: type },
    paths: {},
    components: {
      schemas: {
        AWSEvent: {
          type: 'object',
          required: [
            'detail-type',
            'resources',
            'detail',
            'id',
            'source',
            'time',
            'region',
            'version',
            'account',
          ],
          'x-amazon-events-detail-type': type,
          'x-amazon-events-source': EVENT_BUS.source,
          properties: {
            detail: { $ref: `#/components/schemas/${detail}` },
            account: { type: 'string' },
            'detail-type': { type: 'string' },
            id: {
              type: 'string',
              description: 'Event id: the same on every delivery attempt; dedupe by it.',
            },
            region: { type: 'string' },
            resources: { type: 'array', items: { type: 'string' } },
            source: { type: 'string' },
            time: { type: 'string', format: 'date-time' },
            version: { type: 'string' },
          },
        },
        [detail]: detailSchema(type),
      },
    },
  };
}

/** Every event type's registry document, by type. */
export function registrySchemas(): Record<EventType, Record<string, unknown>> {
  return Object.fromEntries(
    (Object.keys(EVENTS) as EventType[]).map((type) => [type, registrySchema(type)]),
  ) as Record<EventType, Record<string, unknown>>;
}
