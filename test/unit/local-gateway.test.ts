// The local WebSocket gateway (infra/local/gateway.ts) through startLocalHost with stand-in
// functions: API Gateway's $connect / $default / $disconnect events, limits and @connections.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GetConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { startLocalHost, type Handler, type LocalHost } from '../../infra/local/host.js';
import type { FunctionName } from '../../infra/topology.js';
import type { WebSocketRequestContext } from '../../infra/local/gateway.js';

interface WsEvent {
  type?: string;
  methodArn?: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  queryStringParameters?: Record<string, string>;
  requestContext: WebSocketRequestContext;
  body?: string;
  isBase64Encoded?: boolean;
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function allow(event: WsEvent, context: Record<string, string | number | boolean> = {}) {
  return {
    principalId: event.queryStringParameters?.stationId ?? 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    context,
  };
}

/**
 * $default is a one-way route (ADR 0009): a function replies through @connections, as the message
 * function does, at the endpoint the host gives the functions.
 */
async function replyThroughConnections(event: WsEvent, text: string): Promise<void> {
  const url = `${process.env.CSMS_CONNECTIONS_URL}/@connections/${encodeURIComponent(event.requestContext.connectionId)}`;
  const response = await fetch(url, { method: 'POST', body: text });
  if (response.status !== 200) throw new Error(`@connections answered ${response.status}`);
}

async function echo(event: WsEvent): Promise<unknown> {
  await replyThroughConnections(event, `echo:${event.body}`);
  return { statusCode: 200 };
}

/** Records every event and lets a test swap behaviours per station id. */
class Stand {
  readonly events: Record<'authorizer' | 'connect' | 'message' | 'disconnect', WsEvent[]> = {
    authorizer: [],
    connect: [],
    message: [],
    disconnect: [],
  };
  readonly disconnected = new Map<string, ReturnType<typeof deferred<WsEvent>>>();
  onMessage: (event: WsEvent) => Promise<unknown> = echo;

  #disconnection(connectionId: string): ReturnType<typeof deferred<WsEvent>> {
    let d = this.disconnected.get(connectionId);
    if (!d) this.disconnected.set(connectionId, (d = deferred<WsEvent>()));
    return d;
  }

  /** Resolves with the $disconnect event of this connection. */
  disconnectOf(connectionId: string): Promise<WsEvent> {
    return this.#disconnection(connectionId).promise;
  }

  handlers(): Partial<Record<FunctionName, Handler>> {
    return {
      authorizer: async (event: WsEvent) => {
        this.events.authorizer.push(event);
        const station = event.queryStringParameters?.stationId ?? '';
        if (station === 'unauthorized') throw new Error('Unauthorized');
        if (station === 'broken-authorizer') throw new Error('boom');
        if (station === 'denied')
          return {
            ...allow(event),
            policyDocument: {
              Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn }],
            },
          };
        if (station === 'invalid-policy') return { principalId: 'x' };
        return allow(event, { stationId: station, securityProfile: 1, admitted: true });
      },
      connect: async (event: WsEvent) => {
        this.events.connect.push(event);
        const station = event.queryStringParameters?.stationId ?? '';
        if (station === 'connect-refuses') return { statusCode: 400 };
        if (station === 'connect-throws') throw new Error('connect failed');
        const offered = (event.headers?.['Sec-WebSocket-Protocol'] ?? '').split(',').map((p) => p.trim());
        const chosen = ['ocpp2.0.1', 'ocpp1.6'].find((p) => offered.includes(p));
        return chosen
          ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': chosen } }
          : { statusCode: 200 };
      },
      message: async (event: WsEvent) => {
        this.events.message.push(event);
        return this.onMessage(event);
      },
      disconnect: async (event: WsEvent) => {
        this.events.disconnect.push(event);
        this.#disconnection(event.requestContext.connectionId).resolve(event);
        return { statusCode: 200 };
      },
      api: async () => ({ statusCode: 404 }),
    };
  }
}

function open(url: string, protocols?: string[]): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The HTTP status of a refused handshake. */
function refusal(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['ocpp1.6']);
    ws.once('open', () => reject(new Error('the handshake succeeded')));
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.once('error', () => undefined);
  });
}

function nextMessage(ws: WebSocket): Promise<string> {
  return new Promise((resolve) => ws.once('message', (data: Buffer) => resolve(data.toString('utf8'))));
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

/** The connection id the gateway gave the last connection of `stationId`. */
function connectionIdOf(stand: Stand, stationId: string): string {
  const event = stand.events.connect.findLast((e) => e.queryStringParameters?.stationId === stationId);
  assert.ok(event, `no $connect for ${stationId}`);
  return event.requestContext.connectionId;
}

describe('local gateway', () => {
  const stand = new Stand();
  let host: LocalHost;

  before(async () => {
    host = await startLocalHost({ inMemory: true, port: 0, quiet: true, handlers: stand.handlers() });
  });
  after(async () => {
    await host.close();
  });

  test('$connect: the authorizer gets a REQUEST event with the identity in the query string', async () => {
    const ws = await open(`${host.wsUrl}/CP%2F1%20x`, ['ocpp1.6']);
    const event = stand.events.authorizer.at(-1)!;
    assert.equal(event.type, 'REQUEST');
    assert.equal(event.methodArn, 'arn:aws:execute-api:us-east-1:000000000000:local/ocpp/$connect');
    assert.deepEqual(event.queryStringParameters, { stationId: 'CP/1 x' });
    assert.equal(event.headers?.['Sec-WebSocket-Protocol'], 'ocpp1.6');
    assert.deepEqual(event.multiValueHeaders?.['Sec-WebSocket-Protocol'], ['ocpp1.6']);
    assert.equal(event.requestContext.routeKey, '$connect');
    assert.equal(event.requestContext.eventType, 'CONNECT');
    assert.equal(event.requestContext.stage, 'ocpp');
    assert.equal(event.requestContext.apiId, 'local');
    assert.equal(event.requestContext.domainName, `127.0.0.1:${host.port}`);
    assert.equal(event.requestContext.identity.sourceIp, '127.0.0.1');
    assert.match(event.requestContext.connectionId, /^[A-Za-z0-9]{15}=$/);
    assert.match(event.requestContext.requestTime, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    ws.close();
    await closed(ws);
  });

  test('$connect: the connect function gets the authorizer context and picks the subprotocol', async () => {
    const ws = await open(`${host.wsUrl}/CP-2`, ['ocpp2.1', 'ocpp1.6']);
    assert.equal(ws.protocol, 'ocpp1.6');
    const event = stand.events.connect.at(-1)!;
    assert.equal(event.isBase64Encoded, false);
    assert.deepEqual(event.requestContext.authorizer, {
      stationId: 'CP-2',
      securityProfile: 1,
      admitted: true,
      principalId: 'CP-2',
    });
    assert.equal(
      event.requestContext.connectionId,
      stand.events.authorizer.at(-1)!.requestContext.connectionId,
    );
    ws.close();
    await closed(ws);
  });

  test('$connect: no subprotocol chosen, none selected', async () => {
    const ws = await open(`${host.wsUrl}/CP-3`);
    assert.equal(ws.protocol, '');
    ws.close();
    await closed(ws);
  });

  test('handshake refusals: 401, 403, 500 and the connect function status', async () => {
    assert.equal((await refusal(`${host.wsUrl}/unauthorized`)).status, 401);
    assert.equal((await refusal(`${host.wsUrl}/denied`)).status, 403);
    assert.equal((await refusal(`${host.wsUrl}/broken-authorizer`)).status, 500);
    assert.equal((await refusal(`${host.wsUrl}/invalid-policy`)).status, 500);
    assert.equal((await refusal(`${host.wsUrl}/connect-refuses`)).status, 400);
    assert.equal((await refusal(`${host.wsUrl}/connect-throws`)).status, 500);
  });

  test('only /ocpp/{stationId} upgrades', async () => {
    assert.equal((await refusal(`${host.httpUrl.replace('http', 'ws')}/other/CP-1`)).status, 404);
    assert.equal((await refusal(`${host.wsUrl}/CP-1/extra`)).status, 404);
    assert.equal((await refusal(`${host.wsUrl}/`)).status, 404);
  });

  test('$default: each text message invokes the message function, which replies through @connections', async () => {
    const ws = await open(`${host.wsUrl}/CP-4`, ['ocpp1.6']);
    const reply = nextMessage(ws);
    ws.send('[2,"1","Heartbeat",{}]');
    assert.equal(await reply, 'echo:[2,"1","Heartbeat",{}]');
    const event = stand.events.message.at(-1)!;
    assert.equal(event.body, '[2,"1","Heartbeat",{}]');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.routeKey, '$default');
    assert.equal(event.requestContext.eventType, 'MESSAGE');
    assert.equal(event.requestContext.connectionId, connectionIdOf(stand, 'CP-4'));
    assert.equal(event.requestContext.authorizer?.principalId, 'CP-4');
    assert.equal(typeof event.requestContext.messageId, 'string');
    ws.close();
    await closed(ws);
  });

  test('$default: messages of one connection are handled concurrently', async () => {
    const second = deferred<void>();
    stand.onMessage = async (event) => {
      if (event.body === 'first') await second.promise; // would never finish if serialized
      if (event.body === 'second') second.resolve();
      await replyThroughConnections(event, `done:${event.body}`);
      return { statusCode: 200 };
    };
    try {
      const ws = await open(`${host.wsUrl}/CP-5`, ['ocpp1.6']);
      const replies: string[] = [];
      const both = new Promise<void>((resolve) =>
        ws.on('message', (data: Buffer) => {
          replies.push(data.toString());
          if (replies.length === 2) resolve();
        }),
      );
      ws.send('first');
      ws.send('second');
      await both;
      assert.deepEqual(replies.sort(), ['done:first', 'done:second']);
      ws.close();
      await closed(ws);
    } finally {
      stand.onMessage = echo;
    }
  });

  test('$default is one-way (ADR 0009): a returned body is not sent; a failing function gets "Internal server error"', async () => {
    stand.onMessage = async (event) => {
      // A two-way route would send this; a one-way route sends nothing for any return value.
      if (event.body === 'silent') return { statusCode: 200, body: 'route response' };
      throw new Error('message failed');
    };
    try {
      const ws = await open(`${host.wsUrl}/CP-6`, ['ocpp1.6']);
      const reply = nextMessage(ws);
      ws.send('silent');
      ws.send('fail');
      const error = JSON.parse(await reply);
      assert.equal(error.message, 'Internal server error');
      assert.equal(error.connectionId, connectionIdOf(stand, 'CP-6'));
      assert.equal(typeof error.requestId, 'string');
      ws.close();
      await closed(ws);
    } finally {
      stand.onMessage = echo;
    }
  });

  test('$disconnect: close code and reason of the client, with the authorizer context', async () => {
    const ws = await open(`${host.wsUrl}/CP-7`, ['ocpp1.6']);
    const id = connectionIdOf(stand, 'CP-7');
    ws.close(4000, 'bye');
    const event = await stand.disconnectOf(id);
    assert.equal(event.requestContext.routeKey, '$disconnect');
    assert.equal(event.requestContext.eventType, 'DISCONNECT');
    assert.equal(event.requestContext.disconnectStatusCode, 4000);
    assert.equal(event.requestContext.disconnectReason, 'bye');
    assert.equal(event.requestContext.authorizer?.principalId, 'CP-7');
  });

  test('binary frames: closed with 1003 like API Gateway', async () => {
    const ws = await open(`${host.wsUrl}/CP-8`, ['ocpp1.6']);
    const id = connectionIdOf(stand, 'CP-8');
    const done = closed(ws);
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    assert.equal((await done).code, 1003);
    assert.equal((await stand.disconnectOf(id)).requestContext.disconnectStatusCode, 1003);
  });

  test('a frame over 32 KB closes the connection with 1009', async () => {
    const ws = await open(`${host.wsUrl}/CP-9`, ['ocpp1.6']);
    const id = connectionIdOf(stand, 'CP-9');
    const before = stand.events.message.length;
    const done = closed(ws);
    ws.send('x'.repeat(32 * 1024 + 1));
    assert.equal((await done).code, 1009);
    const event = await stand.disconnectOf(id);
    assert.equal(event.requestContext.disconnectStatusCode, 1009);
    assert.equal(event.requestContext.disconnectReason, 'Message too big');
    assert.equal(stand.events.message.length, before, 'the message function never saw it');
  });

  test('a 100 KB message in frames of 16 KB passes; a 129 KB one closes with 1009', async () => {
    const ws = await open(`${host.wsUrl}/CP-10`, ['ocpp1.6']);
    const sendFragmented = (text: string): void => {
      const frame = 16 * 1024;
      for (let at = 0; at < text.length; at += frame) {
        ws.send(text.slice(at, at + frame), { fin: at + frame >= text.length });
      }
    };
    const reply = nextMessage(ws);
    sendFragmented('y'.repeat(100 * 1024));
    assert.equal((await reply).length, 'echo:'.length + 100 * 1024);
    const done = closed(ws);
    sendFragmented('z'.repeat(129 * 1024));
    assert.equal((await done).code, 1009);
  });

  test('@connections with the AWS SDK: post, get, delete, gone', async () => {
    assert.equal(process.env.CSMS_CONNECTIONS_URL, `${host.httpUrl}/ocpp`);
    const client = new ApiGatewayManagementApiClient({ endpoint: process.env.CSMS_CONNECTIONS_URL });
    try {
      const ws = await open(`${host.wsUrl}/CP-11`, ['ocpp1.6']);
      const id = connectionIdOf(stand, 'CP-11');

      const received = nextMessage(ws);
      await client.send(
        new PostToConnectionCommand({ ConnectionId: id, Data: '[2,"c1","Reset",{"type":"Soft"}]' }),
      );
      assert.equal(await received, '[2,"c1","Reset",{"type":"Soft"}]');

      const info = await client.send(new GetConnectionCommand({ ConnectionId: id }));
      assert.ok(info.ConnectedAt instanceof Date);
      assert.ok(info.LastActiveAt instanceof Date);
      assert.equal(info.Identity?.SourceIp, '127.0.0.1');

      await assert.rejects(
        client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'x'.repeat(128 * 1024 + 1) })),
        { name: 'PayloadTooLargeException' },
      );

      const done = closed(ws);
      await client.send(new DeleteConnectionCommand({ ConnectionId: id }));
      await done;
      await stand.disconnectOf(id);

      await assert.rejects(client.send(new PostToConnectionCommand({ ConnectionId: id, Data: 'late' })), {
        name: 'GoneException',
      });
      await assert.rejects(client.send(new GetConnectionCommand({ ConnectionId: id })), {
        name: 'GoneException',
      });
      await assert.rejects(client.send(new DeleteConnectionCommand({ ConnectionId: id })), {
        name: 'GoneException',
      });
    } finally {
      client.destroy();
    }
  });

  test('close(): open connections are closed with 1001 and $disconnect runs', async () => {
    // Last test of this host: it closes it (after() closing again is a no-op).
    const ws = await open(`${host.wsUrl}/CP-12`, ['ocpp1.6']);
    const id = connectionIdOf(stand, 'CP-12');
    const done = closed(ws);
    await host.close();
    assert.equal((await done).code, 1001);
    assert.equal((await stand.disconnectOf(id)).requestContext.disconnectStatusCode, 1001);
  });
});

describe('local gateway timeouts', () => {
  test('an idle connection is closed with 1001 Going away', async () => {
    const stand = new Stand();
    const host = await startLocalHost({
      inMemory: true,
      port: 0,
      quiet: true,
      handlers: stand.handlers(),
      idleTimeoutMs: 50,
    });
    try {
      const ws = await open(`${host.wsUrl}/CP-idle`, ['ocpp1.6']);
      const id = connectionIdOf(stand, 'CP-idle');
      assert.deepEqual(await closed(ws), { code: 1001, reason: 'Going away' });
      const event = await stand.disconnectOf(id);
      assert.equal(event.requestContext.disconnectStatusCode, 1001);
      assert.equal(event.requestContext.disconnectReason, 'Going away');
    } finally {
      await host.close();
    }
  });

  test('every connection is closed after the maximum duration', async () => {
    const stand = new Stand();
    const host = await startLocalHost({
      inMemory: true,
      port: 0,
      quiet: true,
      handlers: stand.handlers(),
      maxConnectionMs: 50,
    });
    try {
      const ws = await open(`${host.wsUrl}/CP-long`, ['ocpp1.6']);
      assert.deepEqual(await closed(ws), { code: 1001, reason: 'Going away' });
    } finally {
      await host.close();
    }
  });
});
