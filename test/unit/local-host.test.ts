// The local host (infra/local/host.ts) with stand-in functions: environment for the functions,
// HTTP API payload v2, health, event bus wiring, the table, the API token and the data dir.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { startLocalHost, type Handler, type LocalHost } from '../../infra/local/host.js';
import { DataDirLockedError, startDynamo } from '../../infra/local/dynamodb.js';
import type { HttpApiEventV2 } from '../../infra/local/http-api.js';
import { ApiKeyStore } from '../../shared/store/api-keys.js';
import type { FunctionName } from '../../infra/topology.js';

const stubs = (api: Handler): Partial<Record<FunctionName, Handler>> => ({
  authorizer: async () => {
    throw new Error('Unauthorized');
  },
  connect: async () => ({ statusCode: 200 }),
  message: async () => ({ statusCode: 200 }),
  disconnect: async () => ({ statusCode: 200 }),
  api,
});

describe('local host', () => {
  const apiEvents: HttpApiEventV2[] = [];
  let apiBehaviour: (event: HttpApiEventV2) => Promise<unknown> = async () => ({ statusCode: 204 });
  let host: LocalHost;

  before(async () => {
    host = await startLocalHost({
      inMemory: true,
      port: 0,
      quiet: true,
      apiToken: 'csms_test-token',
      handlers: stubs(async (event: HttpApiEventV2) => {
        apiEvents.push(event);
        return apiBehaviour(event);
      }),
    });
  });
  after(async () => {
    await host.close();
  });

  test('URLs and the environment the functions read', () => {
    assert.equal(host.httpUrl, `http://127.0.0.1:${host.port}`);
    assert.equal(host.wsUrl, `ws://127.0.0.1:${host.port}/ocpp`);
    assert.equal(host.dataDir, undefined);
    assert.equal(process.env.AWS_REGION, 'us-east-1');
    assert.match(process.env.AWS_ENDPOINT_URL_DYNAMODB ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(process.env.AWS_ENDPOINT_URL_EVENTBRIDGE ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(process.env.CSMS_TABLE_NAME, 'csms');
    assert.equal(process.env.CSMS_EVENT_BUS_NAME, 'csms');
    assert.equal(process.env.CSMS_CONNECTIONS_URL, `${host.httpUrl}/ocpp`);
    assert.equal(process.env.CSMS_ORIGIN_SECRET, undefined);
    assert.equal(process.env.CSMS_ADMIT_UNKNOWN_STATIONS, 'false');
    assert.equal(process.env.POWERTOOLS_METRICS_DISABLED, 'true');
  });

  test('a second host in the same process is refused', async () => {
    await assert.rejects(startLocalHost({ inMemory: true, port: 0, quiet: true }), /already running/);
  });

  test('the table exists as the topology defines it, with the admin API key', async () => {
    const client = new DynamoDBClient({});
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: 'csms' }));
      assert.equal(Table?.TableStatus, 'ACTIVE');
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexName, 'gsi1');
      assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.Projection?.ProjectionType, 'KEYS_ONLY');
      const keys = new ApiKeyStore({ db: DynamoDBDocumentClient.from(client), tableName: 'csms' });
      assert.equal(await keys.verify('csms_test-token'), 'admin');
    } finally {
      client.destroy();
    }
  });

  test('GET /health answers 200 once ready', async () => {
    const res = await fetch(`${host.httpUrl}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  test('anything but /health, /v1/... and GET of the dashboard is a 404 in the API error shape', async () => {
    const res = await fetch(`${host.httpUrl}/v2/stations`, { method: 'POST' });
    assert.equal(res.status, 404);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'not_found');
  });

  test('/v1/...: an HTTP API payload v2 event', async () => {
    apiBehaviour = async () => ({ statusCode: 204 });
    const res = await fetch(`${host.httpUrl}/v1/stations/CP%201?limit=5&tag=a&tag=b`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'X-Custom': 'Value', cookie: 'a=1; b=2' },
      body: JSON.stringify({ password: 'p' }),
    });
    assert.equal(res.status, 204);
    const event = apiEvents.at(-1)!;
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, 'ANY /v1/{proxy+}');
    assert.equal(event.rawPath, '/v1/stations/CP%201');
    assert.equal(event.rawQueryString, 'limit=5&tag=a&tag=b');
    assert.deepEqual(event.queryStringParameters, { limit: '5', tag: 'a,b' });
    assert.deepEqual(event.pathParameters, { proxy: 'stations/CP 1' });
    assert.deepEqual(event.cookies, ['a=1', 'b=2']);
    assert.equal(event.headers['x-custom'], 'Value');
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.body, '{"password":"p"}');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.http.method, 'PUT');
    assert.equal(event.requestContext.http.path, '/v1/stations/CP%201');
    assert.equal(event.requestContext.http.sourceIp, '127.0.0.1');
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.accountId, '000000000000');
    assert.equal(event.requestContext.domainName, `127.0.0.1:${host.port}`);
  });

  test('/v1/...: binary bodies arrive base64-encoded; no body, no body field', async () => {
    await fetch(`${host.httpUrl}/v1/firmware`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: new Uint8Array([0, 255, 1]),
    });
    let event = apiEvents.at(-1)!;
    assert.equal(event.isBase64Encoded, true);
    assert.equal(event.body, Buffer.from([0, 255, 1]).toString('base64'));
    await fetch(`${host.httpUrl}/v1/stations`);
    event = apiEvents.at(-1)!;
    assert.equal(event.body, undefined);
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.queryStringParameters, undefined);
  });

  test('/v1/...: responses as payload v2 interprets them', async () => {
    apiBehaviour = async () => ({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-Id': 7 },
      cookies: ['s=1; HttpOnly', 't=2'],
      body: '{"id":"CP-1"}',
    });
    let res = await fetch(`${host.httpUrl}/v1/stations`, { method: 'POST' });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('x-id'), '7');
    assert.deepEqual(res.headers.getSetCookie(), ['s=1; HttpOnly', 't=2']);
    assert.deepEqual(await res.json(), { id: 'CP-1' });

    apiBehaviour = async () => ({
      statusCode: 200,
      body: Buffer.from('bin').toString('base64'),
      isBase64Encoded: true,
    });
    res = await fetch(`${host.httpUrl}/v1/x`);
    assert.equal(await res.text(), 'bin');

    apiBehaviour = async () => ({ items: [] }); // no statusCode: 200 JSON of the whole result
    res = await fetch(`${host.httpUrl}/v1/x`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { items: [] });

    apiBehaviour = async () => {
      throw new Error('api failed');
    };
    res = await fetch(`${host.httpUrl}/v1/x`);
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { message: 'Internal Server Error' });

    apiBehaviour = async () => ({ statusCode: 'two hundred' });
    res = await fetch(`${host.httpUrl}/v1/x`);
    assert.equal(res.status, 500);
  });

  test('PutEvents through the SDK (endpoint from the environment) is recorded in order', async () => {
    const client = new EventBridgeClient({});
    try {
      const before = host.events.length;
      const out = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'csms',
              Source: 'csms',
              DetailType: 'station.booted',
              Detail: '{"stationId":"CP-1"}',
            },
            {
              EventBusName: 'csms',
              Source: 'csms',
              DetailType: 'station.connected',
              Detail: '{"stationId":"CP-1"}',
            },
          ],
        }),
      );
      assert.equal(out.FailedEntryCount, 0);
      const recorded = host.events.slice(before);
      assert.deepEqual(
        recorded.map((e) => e['detail-type']),
        ['station.booted', 'station.connected'],
      );
      assert.equal(recorded[0]?.id, out.Entries?.[0]?.EventId);
      assert.deepEqual(recorded[0]?.detail, { stationId: 'CP-1' });
    } finally {
      client.destroy();
    }
  });
});

describe('local host data dir', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'csms-host-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('the API token is generated once, saved with mode 0600 and kept across restarts', async () => {
    const dataDir = join(dir, 'token');
    const saved = process.env.CSMS_API_TOKEN;
    delete process.env.CSMS_API_TOKEN;
    try {
      const first = await startLocalHost({
        dataDir,
        port: 0,
        quiet: true,
        handlers: stubs(async () => null),
      });
      const token = first.apiToken;
      await first.close();
      assert.match(token, /^csms_/);
      assert.equal((await readFile(join(dataDir, 'api-token'), 'utf8')).trim(), token);
      assert.equal((await stat(join(dataDir, 'api-token'))).mode & 0o777, 0o600);

      const second = await startLocalHost({
        dataDir,
        port: 0,
        quiet: true,
        handlers: stubs(async () => null),
      });
      try {
        assert.equal(second.apiToken, token);
        assert.equal(second.dataDir, dataDir);
      } finally {
        await second.close();
      }
    } finally {
      if (saved !== undefined) process.env.CSMS_API_TOKEN = saved;
    }
  });

  test('events are appended to events.jsonl', async () => {
    const dataDir = join(dir, 'events');
    const host = await startLocalHost({ dataDir, port: 0, quiet: true, handlers: stubs(async () => null) });
    const client = new EventBridgeClient({});
    try {
      await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: 'csms',
              Source: 'csms',
              DetailType: 'station.booted',
              Detail: '{"stationId":"A"}',
            },
          ],
        }),
      );
    } finally {
      client.destroy();
      await host.close();
    }
    const lines = (await readFile(join(dataDir, 'events.jsonl'), 'utf8')).trim().split('\n');
    assert.equal(lines.length, 1);
    const event = JSON.parse(lines[0]!);
    assert.equal(event['detail-type'], 'station.booted');
    assert.equal(event.source, 'csms');
    assert.deepEqual(event.detail, { stationId: 'A' });
  });

  test('a data dir in use is reported in words', async () => {
    const dataDir = join(dir, 'locked');
    const host = await startLocalHost({ dataDir, port: 0, quiet: true, handlers: stubs(async () => null) });
    try {
      await assert.rejects(startDynamo({ path: join(dataDir, 'dynamodb') }), DataDirLockedError);
    } finally {
      await host.close();
    }
  });

  test('a table without the topology index asks for the data dir to be deleted', async () => {
    const dataDir = join(dir, 'old');
    const dynamo = await startDynamo({ path: join(dataDir, 'dynamodb') });
    try {
      await dynamo.client.send(
        new CreateTableCommand({
          TableName: 'csms',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
      const active = async (): Promise<boolean> =>
        (await dynamo.client.send(new DescribeTableCommand({ TableName: 'csms' }))).Table?.TableStatus ===
        'ACTIVE';
      while (!(await active())) await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      await dynamo.close();
    }
    await assert.rejects(
      startLocalHost({ dataDir, port: 0, quiet: true, handlers: stubs(async () => null) }),
      /no index gsi1.*delete the data dir/s,
    );
    // the failed start released everything: the data dir can be opened again
    const again = await startLocalHost({
      inMemory: true,
      port: 0,
      quiet: true,
      handlers: stubs(async () => null),
    });
    await again.close();
  });
});
