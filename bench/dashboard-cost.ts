/**
 * The dashboard's cost per open hour on AWS, computed (not measured) from its polling schedule
 * (web/src/live.ts) and list prices; rendered into BENCHMARKS.md by report.ts.
 */
export const POLL_SECONDS = 2; // web/src/live.ts POLL_MS (test/unit/dashboard-cost.test.ts keeps them equal)
const CONFIG_POLL_SECONDS = 10; // the station view's configuration / device model

const PRICE = {
  cloudFrontRequest: 0.01 / 10_000,
  httpApiRequest: 1 / 1_000_000,
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecond: 0.0000133334,
  rru: 0.125 / 1_000_000,
};
/** Assumed per request: the api function's warm duration and memory, DynamoDB read units. */
const LAMBDA_SECONDS = 0.02;
const LAMBDA_GB = 0.5;
const RRU_PER_REQUEST = 1;

/**
 * The Fleet view reads the whole fleet through the cursor (web/src/live.ts useAllPages) on every
 * poll: per page of 100 stations one keys-only index Query (~1 RRU), a BatchGet of the station
 * items (0.5 RRU each, eventually consistent, under 4 KB) and one connector Query per station
 * (0.5 RRU): ~1 RRU per station. A full page takes longer than a small read (assumed 60 ms).
 */
const STATIONS_PER_PAGE = 100;
const RRU_PER_STATION = 1;
const LAMBDA_SECONDS_FULL_PAGE = 0.06;

interface ViewCost {
  readonly name: string;
  /** Requests per hour. */
  readonly perHour: number;
  /** DynamoDB read units per hour. */
  readonly rru: number;
  /** Lambda seconds per hour. */
  readonly seconds: number;
}

function simple(name: string, perHour: number): ViewCost {
  return { name, perHour, rru: perHour * RRU_PER_REQUEST, seconds: perHour * LAMBDA_SECONDS };
}

/** Fleet of `stations`: every station page and the active transactions (one page) per poll. */
function fleet(stations: number): ViewCost {
  const polls = 3600 / POLL_SECONDS;
  const pages = Math.max(1, Math.ceil(stations / STATIONS_PER_PAGE));
  return {
    name: `Fleet of ${stations.toLocaleString('en-US')} stations (${pages} page${pages === 1 ? '' : 's'} + active transactions)`,
    perHour: polls * (pages + 1),
    rru: polls * (pages + stations * RRU_PER_STATION + RRU_PER_REQUEST),
    seconds: polls * (pages * LAMBDA_SECONDS_FULL_PAGE + LAMBDA_SECONDS),
  };
}

const VIEWS: readonly ViewCost[] = [
  fleet(100),
  fleet(1000),
  fleet(5000),
  simple(
    'Station (station, transactions, commands, messages, configuration)',
    (4 * 3600) / POLL_SECONDS + 3600 / CONFIG_POLL_SECONDS,
  ),
  simple('Sessions, Id tokens, Webhooks (one list)', 3600 / POLL_SECONDS),
  simple('Rollouts (list + the rollout shown)', (2 * 3600) / POLL_SECONDS),
];

const usd = (v: number) => `$${v.toFixed(4)}`;

export function dashboardCostSection(): string[] {
  const rows = VIEWS.map(({ name, perHour, rru, seconds }) => {
    const cf = perHour * PRICE.cloudFrontRequest;
    const api = perHour * PRICE.httpApiRequest;
    const lambda = perHour * PRICE.lambdaRequest + seconds * LAMBDA_GB * PRICE.lambdaGbSecond;
    const ddb = rru * PRICE.rru;
    const total = cf + api + lambda + ddb;
    return `| ${name} | ${perHour.toLocaleString('en-US')} | ${usd(cf)} | ${usd(api)} | ${usd(lambda)} | ${usd(ddb)} | **${usd(total)}** |`;
  });
  return [
    '## 6. The dashboard: cost per open dashboard-hour on AWS',
    '',
    "Computed from the dashboard's polling schedule (web/src/live.ts: every 2 s, the configuration every 10 s) and the",
    'prices above, not measured on AWS (bench/dashboard-cost.ts). Every poll is one request through CloudFront (`/v1/*`,',
    'uncached) to the HTTP API and the api function (assumed 20 ms warm at 512 MB, ~1 RRU); an unchanged resource answers',
    'a bodiless 304 (the function still runs: the ETag is computed from the body), so data transfer is negligible. The',
    'Fleet view reads the whole fleet through the cursor on every poll (its counts, search and filters cover every',
    'station): one request per 100 stations, ~1 RRU per station (a BatchGet of the station items and a connector Query',
    'each), assumed 60 ms per full page.',
    '',
    '| view open | requests per hour | CloudFront | HTTP API | Lambda | DynamoDB reads | **per hour** |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'So about **$0.01 to $0.03 per open dashboard-hour** up to 100 stations (open 8 hours a day, 22 days a month: $2 to',
    '$6 a month); nothing while the tab is hidden (polling pauses). The Fleet view grows with the fleet, ~$0.28 an open',
    'hour at 1,000 stations and ~$1.37 at 5,000, almost all DynamoDB reads: live whole-fleet counts at that size want a',
    'counter item kept by the connect, status and transaction writes (not built; docs/adr/0010). Watching a station adds',
    'its message log: +1 WRU per message the station sends and 12 watch writes an hour; an unwatched station pays at most',
    'one 0.5 RRU read per 15 s of traffic for the check, at most $0.001 per station-month at the profile above',
    '(docs/adr/0011-station-message-log.md). Cognito: the first 10,000 monthly active users of the default plan cost',
    'nothing.',
    '',
  ];
}
