/**
 * AWS list prices, us-east-1, as of the date in BENCHMARKS.md (free tiers ignored: they are per
 * account, not per station). Each price states its unit; BENCHMARKS.md prints this table.
 */

export interface Price {
  readonly key: string;
  readonly service: string;
  readonly what: string;
  /** Dollars per `per` units of `unit`. */
  readonly usd: number;
  readonly per: number;
  readonly unit: string;
  readonly note?: string;
}

export const PRICES = {
  apigwMessages: {
    key: 'apigwMessages',
    service: 'API Gateway (WebSocket)',
    what: 'messages, sent or received',
    usd: 1.0,
    per: 1e6,
    unit: 'messages (32 KB units)',
    note: 'first billion per month; then $0.80',
  },
  apigwConnectionMinutes: {
    key: 'apigwConnectionMinutes',
    service: 'API Gateway (WebSocket)',
    what: 'connection time',
    usd: 0.25,
    per: 1e6,
    unit: 'connection-minutes',
  },
  lambdaRequests: {
    key: 'lambdaRequests',
    service: 'Lambda',
    what: 'requests',
    usd: 0.2,
    per: 1e6,
    unit: 'invocations',
  },
  lambdaArmGbSeconds: {
    key: 'lambdaArmGbSeconds',
    service: 'Lambda (arm64)',
    what: 'duration',
    usd: 0.0000133334,
    per: 1,
    unit: 'GB-second (billed per 1 ms)',
    note: 'first 7.5 billion GB-s per month',
  },
  dynamoWrite: {
    key: 'dynamoWrite',
    service: 'DynamoDB (on-demand)',
    what: 'write request units',
    usd: 0.625,
    per: 1e6,
    unit: 'WRU (1 KB each)',
    note: 'price since the November 2024 cut',
  },
  dynamoRead: {
    key: 'dynamoRead',
    service: 'DynamoDB (on-demand)',
    what: 'read request units',
    usd: 0.125,
    per: 1e6,
    unit: 'RRU (4 KB strongly consistent; eventually consistent = 0.5)',
    note: 'price since the November 2024 cut',
  },
  dynamoStorage: {
    key: 'dynamoStorage',
    service: 'DynamoDB',
    what: 'storage (Standard table class)',
    usd: 0.25,
    per: 1,
    unit: 'GB-month',
  },
  eventsCustom: {
    key: 'eventsCustom',
    service: 'EventBridge',
    what: 'custom events published',
    usd: 1.0,
    per: 1e6,
    unit: 'events (64 KB chunks)',
  },
  eventsApiDestinations: {
    key: 'eventsApiDestinations',
    service: 'EventBridge',
    what: 'API destination invocations',
    usd: 0.2,
    per: 1e6,
    unit: 'invocations',
  },
  eventsArchiveProcessing: {
    key: 'eventsArchiveProcessing',
    service: 'EventBridge',
    what: 'archive: events processed into it',
    usd: 0.1,
    per: 1,
    unit: 'GB',
  },
  eventsArchiveStorage: {
    key: 'eventsArchiveStorage',
    service: 'EventBridge',
    what: 'archive storage',
    usd: 0.023,
    per: 1,
    unit: 'GB-month',
  },
  stepFunctions: {
    key: 'stepFunctions',
    service: 'Step Functions (Standard)',
    what: 'state transitions',
    usd: 25,
    per: 1e6,
    unit: 'state transitions',
  },
  logsIngestion: {
    key: 'logsIngestion',
    service: 'CloudWatch Logs',
    what: 'ingestion (Standard class; Lambda logs: first tier)',
    usd: 0.5,
    per: 1,
    unit: 'GB',
  },
  cloudfrontRequests: {
    key: 'cloudfrontRequests',
    service: 'CloudFront',
    what: 'HTTPS requests (North America / Europe)',
    usd: 0.01,
    per: 1e4,
    unit: 'requests',
    note: 'a WebSocket connection is one request (its upgrade)',
  },
  cloudfrontFunctions: {
    key: 'cloudfrontFunctions',
    service: 'CloudFront Functions',
    what: 'invocations (viewer request: the path rewrite)',
    usd: 0.1,
    per: 1e6,
    unit: 'invocations',
  },
  cloudfrontTransferOut: {
    key: 'cloudfrontTransferOut',
    service: 'CloudFront',
    what: 'data transfer out to the internet (North America, first 10 TB)',
    usd: 0.085,
    per: 1,
    unit: 'GB',
  },
  cloudfrontTransferOrigin: {
    key: 'cloudfrontTransferOrigin',
    service: 'CloudFront',
    what: 'data transfer to the origin (North America)',
    usd: 0.02,
    per: 1,
    unit: 'GB',
  },
} as const satisfies Record<string, Price>;

export type PriceKey = keyof typeof PRICES;

/** Dollars for `quantity` units of `key`. */
export function cost(key: PriceKey, quantity: number): number {
  const p: Price = PRICES[key];
  return (quantity / p.per) * p.usd;
}

export const GB = 1024 ** 3;
