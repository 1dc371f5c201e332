/**
 * `npm start`: the CSMS on this machine, one process, the same functions as on AWS.
 *
 * Environment: PORT (8080; 0 picks a free port), CSMS_HOST (address to bind, 127.0.0.1; 0.0.0.0 for
 * stations on the network), CSMS_DATA_DIR (.data),
 * CSMS_API_TOKEN, CSMS_VIEWER_API_TOKEN (a read-only token as well), CSMS_ADMIT_UNKNOWN_STATIONS (with
 * CSMS_MAX_PENDING_STATIONS, CSMS_ADMISSIONS_PER_ADDRESS_PER_MINUTE), CSMS_HEARTBEAT_INTERVAL_SECONDS,
 * CSMS_CALL_TIMEOUT_SECONDS (60), CSMS_QUEUE_TTL_SECONDS (86400), POWERTOOLS_LOG_LEVEL (WARN),
 * CSMS_TLS_CERT + CSMS_TLS_KEY (PEM files: also serve wss:// on CSMS_TLS_PORT, 8443), CSMS_TLS_CLIENT_CA
 * (a PEM file of CAs trusted for station client certificates besides the local CA),
 * CSMS_LOGIN_FAILURE_LIMIT (10), CSMS_LOGIN_FAILURE_WINDOW_SECONDS (300), CSMS_LOGIN_THROTTLE_SECONDS (300).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalHost, type LocalHost, type LogLevel } from './host.js';
import { WEB_DIST } from './static-site.js';

const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];

function fail(message: string): never {
  process.stderr.write(`csms: ${message}\n`);
  process.exit(1);
}

function readPort(): number {
  const raw = process.env.PORT ?? '8080';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not "${raw}"`);
  return port;
}

function readBoolean(name: string): boolean | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  if (['true', '1'].includes(raw)) return true;
  if (['false', '0'].includes(raw)) return false;
  fail(`${name} must be true or false, not "${raw}"`);
}

function readInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) fail(`${name} must be a whole number, not "${raw}"`);
  return value;
}

function readLogLevel(): LogLevel | undefined {
  const raw = process.env.POWERTOOLS_LOG_LEVEL?.toUpperCase();
  if (raw === undefined || raw === '') return undefined;
  if (!(LOG_LEVELS as readonly string[]).includes(raw))
    fail(`POWERTOOLS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return raw as LogLevel;
}

/** wss:// when both CSMS_TLS_CERT and CSMS_TLS_KEY are set; one without the other is a mistake. */
function readTls(): { cert: string; key: string; port: number | undefined } | undefined {
  const certFile = process.env.CSMS_TLS_CERT || undefined;
  const keyFile = process.env.CSMS_TLS_KEY || undefined;
  if (!certFile && !keyFile) return undefined;
  if (!certFile || !keyFile) fail('CSMS_TLS_CERT and CSMS_TLS_KEY must be set together');
  const port = readInteger('CSMS_TLS_PORT');
  if (port !== undefined && (port < 0 || port > 65535)) fail('CSMS_TLS_PORT must be a port number');
  const read = (name: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      fail(`${name} ${file} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return { cert: read('CSMS_TLS_CERT', certFile), key: read('CSMS_TLS_KEY', keyFile), port };
}

function banner(host: LocalHost): string {
  const base = `http://localhost:${host.port}`;
  return [
    '',
    `CSMS local host listening on port ${host.port}`,
    `  dashboard:   ${base}/   (sign in with the API token)`,
    `  stations:    ws://localhost:${host.port}/ocpp/{stationId}`,
    ...(host.tlsPort === undefined
      ? []
      : [`               wss://localhost:${host.tlsPort}/ocpp/{stationId}  (security profiles 2 and 3)`]),
    `  HTTP API:    ${base}/v1/`,
    `  health:      ${base}/health`,
    `  API token:   ${host.apiToken}`,
    `  data dir:    ${host.dataDir ?? '(in memory)'}`,
    '',
    'Provision a station:',
    `  curl -X POST ${base}/v1/stations -H "Authorization: Bearer ${host.apiToken}" ` +
      `-H 'content-type: application/json' -d '{"id":"CP-1","password":"a-very-secret-password"}'`,
    `  then connect the station to ws://localhost:${host.port}/ocpp/CP-1 with HTTP Basic auth CP-1 / that password`,
    '',
    'Ctrl-C stops.',
    '',
  ].join('\n');
}

/**
 * Builds the dashboard (web/ → web/dist) when it has not been built yet; after changing web/, run
 * `npm run build:web` again. Not on every start: a build empties web/dist, which a running host
 * (a test's, say) may be serving.
 */
function ensureDashboardBuilt(): void {
  if (existsSync(join(WEB_DIST, 'index.html'))) return;
  process.stdout.write('csms: building the dashboard (npm run build:web)...\n');
  const vite = join(WEB_DIST, '../../node_modules/vite/bin/vite.js');
  const built = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts'], {
    cwd: join(WEB_DIST, '../..'),
    stdio: 'inherit',
  });
  if (built.status !== 0) process.stderr.write('csms: the dashboard did not build; / will say so\n');
}

async function main(): Promise<void> {
  ensureDashboardBuilt();
  let host: LocalHost;
  try {
    host = await startLocalHost({
      port: readPort(),
      host: process.env.CSMS_HOST || undefined,
      dataDir: process.env.CSMS_DATA_DIR || '.data',
      apiToken: process.env.CSMS_API_TOKEN || undefined,
      admitUnknownStations: readBoolean('CSMS_ADMIT_UNKNOWN_STATIONS'),
      heartbeatIntervalSeconds: readInteger('CSMS_HEARTBEAT_INTERVAL_SECONDS'),
      callTimeoutSeconds: readInteger('CSMS_CALL_TIMEOUT_SECONDS'),
      queueTtlSeconds: readInteger('CSMS_QUEUE_TTL_SECONDS'),
      logLevel: readLogLevel(),
      tls: readTls(),
      clientCaFiles: process.env.CSMS_TLS_CLIENT_CA ? [process.env.CSMS_TLS_CLIENT_CA] : undefined,
      loginThrottle: {
        limit: readInteger('CSMS_LOGIN_FAILURE_LIMIT'),
        windowSeconds: readInteger('CSMS_LOGIN_FAILURE_WINDOW_SECONDS'),
        throttleSeconds: readInteger('CSMS_LOGIN_THROTTLE_SECONDS'),
      },
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  process.stdout.write(`${banner(host)}\n`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`csms: ${signal} again, exiting without a clean close\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`csms: ${signal}, closing...\n`);
    host.close().then(
      () => {
        process.stdout.write('csms: closed\n');
        process.exit(0);
      },
      (error: unknown) => fail(`close failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

await main();
