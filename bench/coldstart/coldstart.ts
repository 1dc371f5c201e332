/**
 * Cold start of each Lambda function: bundle it with the construct's own options
 * (infra/bundling.ts: minified, code-split ESM for node22, the AWS SDK inside; the comparison
 * variant leaves it to the runtime), then start fresh `node` processes that import the bundle and handle one event against the
 * running local services (real I/O), and time process start → bundle imported → first event
 * handled. A bare ESM handler (no imports) runs in the same rounds as the yardstick.
 */
import { fork } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { deflateRawSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { bundleOptions } from '../../infra/bundling.js';
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

/** The yardstick: Node and an ES module handler with no imports. */
export const BARE = 'bare';
export type ColdStartSubject = FunctionName | typeof BARE;

export interface BundleSize {
  readonly fn: FunctionName;
  /** What loads at import: index.mjs and the chunks it imports statically (minified, SDK inside). */
  readonly codeBytes: number;
  /** Every file of the asset (.mjs; lazily imported chunks included). */
  readonly assetBytes: number;
  /**
   * What a connection of one OCPP version makes the function load: codeBytes plus that version's
   * validator chunk (and what it imports). Only for functions that validate OCPP payloads.
   */
  readonly perVersionBytes?: Readonly<Record<'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1', number>>;
  readonly mapBytes: number;
  /** Deflated code + maps: about the size of the deployment zip. */
  readonly zippedBytes: number;
  /** What loads at import with the AWS SDK external (for comparison: not deployed). */
  readonly withSdkBytes: number;
  /** Input bytes by top-level package, largest first (from esbuild's metafile). */
  readonly topInputs: { name: string; bytes: number }[];
}

export type Variant = 'deployed' | 'sdk-external';

async function bundle(fn: FunctionName, variant: Variant): Promise<{ dir: string; metafile: Metafile }> {
  const outdir = join(OUT_DIR, variant, fn);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build(
    bundleOptions(join(REPO_ROOT, FUNCTIONS[fn].entry), outdir, {
      sdk: variant === 'deployed' ? 'bundled' : 'external',
    }),
  );
  return { dir: outdir, metafile: result.metafile! };
}

/** The output files `from` loads before its code runs: itself and its static imports, transitively. */
function staticClosure(metafile: Metafile, from: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of metafile.outputs[file]?.imports ?? []) {
      if (i.kind === 'import-statement' && !i.external) visit(i.path);
    }
  };
  visit(from);
  return seen;
}

const bytesOf = (metafile: Metafile, files: Iterable<string>) =>
  [...files].reduce((n, f) => n + (metafile.outputs[f]?.bytes ?? 0), 0);

const VERSION_DIRS = { 'ocpp1.6': 'v16', 'ocpp2.0.1': 'v201', 'ocpp2.1': 'v21' } as const;

export async function bundleAll(): Promise<BundleSize[]> {
  const sizes: BundleSize[] = [];
  for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) {
    const deployed = await bundle(fn, 'deployed');
    const full = await bundle(fn, 'sdk-external');
    const outputs = deployed.metafile.outputs;
    // The handler file (lazily imported chunks have an entryPoint too).
    const entryOf = (m: Metafile) => Object.keys(m.outputs).find((f) => f.endsWith('/index.mjs'))!;
    const loaded = staticClosure(deployed.metafile, entryOf(deployed.metafile));
    const code = [...Object.keys(outputs)].filter((f) => f.endsWith('.mjs'));
    const maps = [...Object.keys(outputs)].filter((f) => f.endsWith('.map'));
    const perVersion = Object.entries(VERSION_DIRS).map(([version, dir]) => {
      const chunk = code.find((f) =>
        Object.keys(outputs[f]!.inputs).some((i) => i.endsWith(`generated/${dir}/validators.js`)),
      );
      if (!chunk) return undefined;
      const files = new Set([...loaded, ...staticClosure(deployed.metafile, chunk)]);
      return [version, bytesOf(deployed.metafile, files)] as const;
    });
    const byPackage = new Map<string, number>();
    for (const file of loaded) {
      for (const [path, info] of Object.entries(outputs[file]!.inputs)) {
        const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
        // A package, or a folder of the project (e.g. shared/ocpp/generated/v201).
        const name = match ? match[1]! : path.split('/').slice(0, -1).join('/') || path;
        byPackage.set(name, (byPackage.get(name) ?? 0) + info.bytesInOutput);
      }
    }
    const file = (f: string) => readFile(join(REPO_ROOT, f));
    let zipped = 0;
    for (const f of [...code, ...maps]) zipped += deflateRawSync(await file(f), { level: 9 }).length;
    sizes.push({
      fn,
      codeBytes: bytesOf(deployed.metafile, loaded),
      assetBytes: bytesOf(deployed.metafile, code),
      ...(perVersion.every((v) => v !== undefined)
        ? { perVersionBytes: Object.fromEntries(perVersion) as BundleSize['perVersionBytes'] }
        : {}),
      mapBytes: bytesOf(deployed.metafile, maps),
      zippedBytes: zipped,
      withSdkBytes: bytesOf(full.metafile, staticClosure(full.metafile, entryOf(full.metafile))),
      topInputs: [...byPackage]
        .map(([name, bytes]) => ({ name, bytes }))
        .sort((a, b) => b.bytes - a.bytes)
        .slice(0, 5),
    });
  }
  return sizes;
}

export interface ColdStart {
  readonly fn: ColdStartSubject;
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
  fn: ColdStartSubject,
  variant: Variant,
  eventFile: string,
  env: NodeJS.ProcessEnv,
): Promise<ColdStart> {
  const started = performance.now();
  const memoryMb = fn === BARE ? 512 : FUNCTIONS[fn].memoryMb;
  return new Promise((resolve, reject) => {
    const child = fork(
      CHILD,
      [join(OUT_DIR, variant, fn, 'index.mjs'), eventFile, `csms-${fn}`, String(memoryMb)],
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
    // The api function refuses to start without one (docs/adr/0007-cursor-signing.md).
    CSMS_CURSOR_SECRET: 'bench-cursor-secret-0123456789-0123456789',
    CSMS_ADMIT_UNKNOWN_STATIONS: 'false',
    CSMS_HEARTBEAT_INTERVAL_SECONDS: '300',
    POWERTOOLS_SERVICE_NAME: 'csms',
    // As the CDK construct sets them (WARN: the default log level; no --enable-source-maps).
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  const eventDir = join(OUT_DIR, 'events');
  await mkdir(eventDir, { recursive: true });
  const files = new Map<FunctionName, string>();
  for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) {
    const file = join(eventDir, `${fn}.json`);
    await writeFile(file, JSON.stringify(eventFor(fn, s)));
    files.set(fn, file);
  }
  // The yardstick (issue 14): Node plus an ES module handler with no imports, in the same rounds.
  const bareDir = join(OUT_DIR, 'deployed', BARE);
  await mkdir(bareDir, { recursive: true });
  await writeFile(join(bareDir, 'index.mjs'), 'export const handler = async () => ({ statusCode: 200 });\n');
  const bareEvent = join(eventDir, `${BARE}.json`);
  await writeFile(bareEvent, '{}');
  const results: ColdStart[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await runOnce(BARE, 'deployed', bareEvent, env));
    for (const variant of variants) {
      for (const fn of Object.keys(FUNCTIONS) as FunctionName[]) {
        results.push(await runOnce(fn, variant, files.get(fn)!, env));
      }
    }
  }
  return results;
}
