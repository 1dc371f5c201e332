/**
 * The station's own address in security events. Behind CloudFront, API Gateway's sourceIp is an
 * edge server's; the front door forwards CloudFront-Viewer-Address (ip:port), which CloudFront
 * sets itself, and the authorizer records that address.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import WebSocket from 'ws';
import { CONNECT_METHOD_ARN } from '../../infra/local/gateway.js';
import { ORIGIN_SECRET_HEADER, STATION_ID_PARAM } from '../../infra/topology.js';
import { eventsOf, startHarness, type Harness } from '../support/harness.js';

const context = {
  functionName: 'authorizer',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:authorizer',
  memoryLimitInMB: '512',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/authorizer',
  logStreamName: 'test',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** A $connect authorizer event as API Gateway builds it behind CloudFront. */
function authorizerEvent(
  stationId: string,
  headers: Record<string, string>,
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: CONNECT_METHOD_ARN,
    headers: { 'Sec-WebSocket-Protocol': 'ocpp1.6', ...headers },
    queryStringParameters: { [STATION_ID_PARAM]: stationId },
    requestContext: { identity: { sourceIp: '130.176.0.1' } }, // a CloudFront edge address
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

describe('station address behind CloudFront', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  test('a refused unknown station is recorded with CloudFront-Viewer-Address, not the edge address', async () => {
    const { handler } = await import('../../functions/ocpp/authorizer.js');
    const invoke = handler as unknown as (e: unknown, c: Context) => Promise<unknown>;
    await assert.rejects(
      invoke(authorizerEvent('CS-FAR-AWAY', { 'CloudFront-Viewer-Address': '203.0.113.9:46532' }), context),
      /Unauthorized/,
    );
    const [refusal] = eventsOf(h.host, 'security.event.v1', 'CS-FAR-AWAY');
    assert.equal(refusal?.detail.type, 'UnknownStation');
    assert.equal(refusal?.detail.techInfo, 'from 203.0.113.9');

    // Without the header (a request that did not come through the front door's policy), the
    // connection's source address is what there is.
    await assert.rejects(invoke(authorizerEvent('CS-NO-HEADER', {}), context), /Unauthorized/);
    assert.equal(
      eventsOf(h.host, 'security.event.v1', 'CS-NO-HEADER')[0]?.detail.techInfo,
      'from 130.176.0.1',
    );
  });

  test('through the local gateway a client cannot forge the header: CloudFront (and the gateway) set it', async () => {
    const ws = new WebSocket(`${h.host.wsUrl}/CS-FORGER`, ['ocpp1.6'], {
      headers: { 'CloudFront-Viewer-Address': '198.51.100.66:1', [ORIGIN_SECRET_HEADER]: 'guess' },
    });
    const status = await new Promise<number>((resolve) => {
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', () => resolve(0));
    });
    ws.terminate();
    assert.equal(status, 401);
    const [refusal] = eventsOf(h.host, 'security.event.v1', 'CS-FORGER');
    assert.equal(refusal?.detail.techInfo, 'from 127.0.0.1');
  });
});
