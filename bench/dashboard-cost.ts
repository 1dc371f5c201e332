/**
 * The dashboard's cost per open hour on AWS, computed (not measured) from its polling schedule
 * (web/src/live.ts) and list prices; rendered into BENCHMARKS.md by report.ts.
 */
const POLL_SECONDS = 2; // web/src/live.ts POLL_MS
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

const VIEWS: readonly { name: string; perHour: number }[] = [
  { name: 'Fleet (stations, active transactions)', perHour: (2 * 3600) / POLL_SECONDS },
  {
    name: 'Station (station, transactions, commands, messages, configuration)',
    perHour: (4 * 3600) / POLL_SECONDS + 3600 / CONFIG_POLL_SECONDS,
  },
  { name: 'Sessions, Id tokens (one list)', perHour: 3600 / POLL_SECONDS },
];

const usd = (v: number) => `$${v.toFixed(4)}`;

export function dashboardCostSection(): string[] {
  const rows = VIEWS.map(({ name, perHour }) => {
    const cf = perHour * PRICE.cloudFrontRequest;
    const api = perHour * PRICE.httpApiRequest;
    const lambda = perHour * (PRICE.lambdaRequest + LAMBDA_SECONDS * LAMBDA_GB * PRICE.lambdaGbSecond);
    const ddb = perHour * RRU_PER_REQUEST * PRICE.rru;
    const total = cf + api + lambda + ddb;
    return `| ${name} | ${perHour.toLocaleString('en-US')} | ${usd(cf)} | ${usd(api)} | ${usd(lambda)} | ${usd(ddb)} | **${usd(total)}** |`;
  });
  return [
    '## 6. The dashboard: cost per open dashboard-hour on AWS',
    '',
    "Computed from the dashboard's polling schedule (web/src/live.ts: every 2 s, the configuration every 10 s) and the",
    'prices above, not measured on AWS (bench/dashboard-cost.ts). Every poll is one request through CloudFront (`/v1/*`,',
    'uncached) to the HTTP API and the api function (assumed 20 ms warm at 512 MB, ~1 RRU); an unchanged resource answers',
    'a bodiless 304 (the function still runs: the ETag is computed from the body), so data transfer is negligible.',
    '',
    '| view open | requests per hour | CloudFront | HTTP API | Lambda | DynamoDB reads | **per hour** |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    'So about **$0.01 to $0.02 per open dashboard-hour** (open 8 hours a day, 22 days a month: $2 to $3 a month);',
    'nothing while the tab is hidden (polling pauses). Watching a station adds its message log: +1 WRU per message the',
    'station sends and 12 watch writes an hour; an unwatched station pays at most one 0.5 RRU read per 15 s of traffic for',
    'the check, at most $0.001 per station-month at the profile above (docs/adr/0011-station-message-log.md). Cognito:',
    'the first 10,000 monthly active users of the default plan cost nothing.',
    '',
  ];
}
