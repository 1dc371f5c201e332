/**
 * Cold start of each Lambda function: bundle it as the CDK construct does (esbuild, minified ESM
 * for node22, @aws-sdk external: the runtime provides it), then start fresh `node` processes that
 * import the bundle and handle one event against the running local services (real I/O), and
 * time process start → bundle imported → first event handled.
 */
import { fork } from 'node:child_process';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import { build } from 'esbuild';
import {
  FUNCTIONS,
  ORIGIN_SECRET_HEADER,
  STATION_ID_PARAM,
  WEBSOCKET_STAGE,
  type FunctionName,
} from '../../infra/topology.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Inside node_modules so that the bundles resolve @aws-sdk/* from the project, as Lambda's runtime would. */
export const OUT_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'csms-bench');
const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/** The bundling options of infra/cdk/constructs/csms-function.ts (NodejsFunction's esbuild call). */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __csmsCreateRequire } from 'node:module'; " +
  'const require = __csmsCreateRequire(import.meta.url);';

export interface BundleSize {
  readonly fn: FunctionName;
  /** index.mjs, minified, SDK external: what is deployed. */
  readonly codeBytes: number;
  readonly mapBytes: number;
  /** Deflated code + map: about the size of the deployment zip. */
  readonly zippedBytes: number;
  /** The same bundle with the AWS SDK inside (for comparison: not deployed). */
  readonly withSdkBytes: number;
  /** Input bytes by top-level package, largest first (from esbuild's metafile). */
  readonly topInputs: { name: string; bytes: number }[];
}

export type Variant = 'deployed' | 'sdk-bundled';

async function bundle(fn: FunctionName, variant: Variant): Promise<{ file: string; metafile: any }> {
  const outdir = join(OUT_DIR, variant, fn);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const file = join(outdir, 'index.mjs');
  const result = await build({
    entryPoints: [join(REPO_ROOT, FUNCTIONS[fn].entry)],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: variant === 'deployed' ? ['@aws-sdk/*'] : [],
    outfile: file,
    logLevel: 'warning',
    metafile: true,
  });
  return { file, metafile: result.metafile };
}

export async function bundleAll(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) {
    const deployed = await bundle(fn, 'deployed');
    const full = await bundle(fn, 'sdk-bundled');
    const code = await readFile(deployed.file);
    const map = await readFile(`${deployed.file}.map`);
    const byPackage = new Map<string, number>();
    const output = Object.values(deployed.metafile.outputs as Record<string, any>).find((o) => o.entryPoint);
    const inputs: Record<string, { bytesInOutput: number }> = output?.inputs ?? {};
    for (const [path, info] of Object.entries(inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
      // A package, or a folder of the project (e.g. shared/ocpp/generated/v201).
      const name = match ? match[1]! : path.split('/').slice(0, -1).join('/') || path;
      byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
    }
    sizes.push({
      fn,
      codeBytes: code.length,
      mapBytes: map.length,
      zippedBytes: deflateRawSync(code, { level: 9 }).length + deflateRawSync(map, { level: 9 }).length,
      withSdkBytes: (await stat(full.file)).size,
      topInputs: [...byPackage]
        .map(([name, bytes]) => ({ name, bytes }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 5),
    });
  }
  return sizes;
}

export interface ColdStart {
  readonly fn: FunctionName;
  readonly variant: Variant;
  /** ms since process start: Node bootstrap done, bundle imported, first event handled. */
  readonly startedAt: number;
  readonly importedAt: number;
  readonly handledAt: number;
  /** Wall time in the parent from spawn to the child's report. */
  readonly wallMs: number;
  readonly outcome: string;
}

export interface Services {
  readonly env: Record<string, string | undefined>;
  readonly stationId: string;
  readonly password: string;
  readonly apiToken: string;
}

const ORIGIN_SECRET = 'bench-origin-secret-0123456789';

/** One event per function, as its trigger would send it on AWS. */
function eventFor(fn: FunctionName, s: Services): unknown {
  const connectionId = 'ColdStartConn=';
  const authorizer = {
    stationId: s.stationId,
    protocol: 'ocpp1.6',
    registrationStatus: 'Accepted',
    principalId: s.stationId,
  };
  const requestContext = (routeKey: string, eventType: string) => ({
    routeKey,
    eventType,
    messageDirection: 'IN',
    stage: WEBSOCKET_STAGE,
    connectedAt: Date.now(),
    requestTimeEpoch: Date.now(),
    identity: { sourceIp: '203.0.113.10' },
    requestId: 'ColdStartReq=',
    domainName: 'example.execute-api.us-east-1.amazonaws.com',
    connectionId,
    apiId: 'example',
  });
  switch (fn) {
    case 'authorizer': {
      const headers = {
        Authorization: `Basic ${Buffer.from(`${s.stationId}:${s.password}`).toString('base64')}`,
        'Sec-WebSocket-Protocol': 'ocpp1.6',
        [ORIGIN_SECRET_HEADER]: ORIGIN_SECRET,
      };
      return {
        type: 'REQUEST',
        methodArn: `arn:aws:execute-api:us-east-1:000000000000:example/${WEBSOCKET_STAGE}/$connect`,
        headers,
        multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
        queryStringParameters: { [STATION_ID_PARAM]: s.stationId },
        multiValueQueryStringParameters: { [STATION_ID_PARAM]: [s.stationId] },
        stageVariables: {},
        requestContext: requestContext('$connect', 'CONNECT'),
      };
    }
    case 'connect':
      return {
        headers: { 'Sec-WebSocket-Protocol': 'ocpp1.6' },
        requestContext: { ...requestContext('$connect', 'CONNECT'), authorizer },
        isBase64Encoded: false,
      };
    case 'message':
      return {
        body: JSON.stringify([2, 'cold-1', 'Heartbeat', {}]),
        requestContext: { ...requestContext('$default', 'MESSAGE'), messageId: 'ColdStartMsg=', authorizer },
        isBase64Encoded: false,
      };
    case 'disconnect':
      return {
        requestContext: {
          ...requestContext('$disconnect', 'DISCONNECT'),
          authorizer,
          disconnectStatusCode: 1001,
          disconnectReason: 'Going away',
        },
        isBase64Encoded: false,
      };
    case 'api':
      return {
        version: '2.0',
        routeKey: 'ANY /v1/{proxy+}',
        rawPath: `/v1/stations/${s.stationId}`,
        rawQueryString: '',
        headers: {
          authorization: `Bearer ${s.apiToken}`,
          host: 'example.execute-api.us-east-1.amazonaws.com',
        },
        pathParameters: { proxy: `stations/${s.stationId}` },
        isBase64Encoded: false,
        requestContext: {
          accountId: '000000000000',
          apiId: 'example',
          domainName: 'example.execute-api.us-east-1.amazonaws.com',
          domainPrefix: 'example',
          http: {
            method: 'GET',
            path: `/v1/stations/${s.stationId}`,
            protocol: 'HTTP/1.1',
            sourceIp: '203.0.113.10',
            userAgent: 'bench',
          },
          requestId: 'ColdStartApi=',
          routeKey: 'ANY /v1/{proxy+}',
          stage: '$default',
          time: '01/Jan/2025:00:00:00 +0000',
          timeEpoch: Date.now(),
        },
      };
    default:
      // A scheduled function (topology SCHEDULES): an EventBridge Scheduler / rule event.
      return {
        version: '0',
        id: '00000000-0000-0000-0000-000000000000',
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        account: '000000000000',
        time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        region: 'us-east-1',
        resources: [`arn:aws:events:us-east-1:000000000000:rule/csms-${fn}`],
        detail: {},
      };
  }
}

function runOnce(
  fn: FunctionName,
  variant: Variant,
  eventFile: string,
  env: NodeJS.ProcessEnv,
): Promise<ColdStart> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = fork(
      CHILD,
      [join(OUT_DIR, variant, fn, 'index.mjs'), eventFile, `csms-${fn}`, String(FUNCTIONS[fn].memoryMb)],
      { execArgv: [], env, stdio: ['ignore', 'ignore', 'ignore', 'ipc'] },
    );
    let report: Omit<ColdStart, 'fn' | 'variant' | 'wallMs'> | undefined;
    let wallMs = 0;
    child.once('message', (m: any) => {
      wallMs = performance.now() - started;
      report = m;
    });
    child.once('exit', (code) => {
      if (!report) reject(new Error(`cold start of ${fn} exited with ${code} and no report`));
      else resolve({ fn, variant, wallMs, ...report });
    });
  });
}

/**
 * `runs` cold starts of each function (round robin, so that drift spreads evenly), for each
 * variant, against the services in `s`.
 */
export async function measureColdStarts(
  runs: number,
  variants: Variant[],
  s: Services,
): Promise<ColdStart[]> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    ...s.env,
    CSMS_ORIGIN_SECRET: ORIGIN_SECRET,
    CSMS_ADMIT_UNKNOWN_STATIONS: 'false',
    CSMS_HEARTBEAT_INTERVAL_SECONDS: '300',
    POWERTOOLS_SERVICE_NAME: 'csms',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    // As the CDK construct sets it.
    NODE_OPTIONS: '--enable-source-maps',
  };
  const eventDir = join(OUT_DIR, 'events');
  await mkdir(eventDir, { recursive: true });
  const files = new Map<FunctionName, string>();
  for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) {
    const file = join(eventDir, `${fn}.json`);
    await writeFile(file, JSON.stringify(eventFor(fn, s)));
    files.set(fn, file);
  }
  const results: ColdStart[] = [];
  for (let i = 0; i < runs; i++) {
    for (const variant of variants) {
      for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) {
        results.push(await runOnce(fn, variant, files.get(fn)!, env));
      }
    }
  }
  return results;
}
