/** WebSocket $connect: confirms the subprotocol the authorizer negotiated and records the connection. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger } from '../../shared/aws/observability.js';
import { commandPath } from './command-path.js';
import { isProtocol } from '../../shared/ocpp/versions.js';
import { readConnectionContext, stationFunctionDeps } from './composition.js';

const deps = stationFunctionDeps();
const commands = commandPath();

export interface WebSocketEvent {
  readonly body?: string;
  readonly requestContext: {
    readonly connectionId: string;
    readonly routeKey: string;
    readonly messageId?: string;
    readonly authorizer?: unknown;
    readonly disconnectReason?: string;
    readonly disconnectStatusCode?: number;
  };
}

export const handler = middy(async (event: WebSocketEvent): Promise<APIGatewayProxyResult> => {
  const station = readConnectionContext(event.requestContext.authorizer);
  if (!station) throw new Error('$connect without authorizer context');
  const { connectionId } = event.requestContext;
  logger.appendKeys({ stationId: station.stationId, connectionId });
  if (!isProtocol(station.protocol)) {
    // OCPP-J 2.0.1 part 4 §3.2 / 1.6 §3.1.2: no agreed subprotocol: complete the handshake without
    // Sec-WebSocket-Protocol (the station then drops it); the message function closes it if it speaks.
    logger.warn('No acceptable OCPP subprotocol offered');
    return { statusCode: 200, body: '' };
  }
  const now = deps.clock();
  await deps.store.stations.recordConnected(station.stationId, connectionId, station.protocol, now);
  await deps.events.publish([
    {
      type: 'station.connected.v1',
      detail: {
        stationId: station.stationId,
        occurredAt: now.toISOString(),
        protocol: station.protocol,
        connectionId,
      },
    },
  ]);
  // A CALL outstanding on the station's previous connection is answered no more: sent again or
  // timed out. Nothing is posted here: the connection opens only after this returns.
  await commands
    .onConnected(station.stationId, connectionId)
    .catch((error: unknown) =>
      logger.error('Command bookkeeping at connect failed', { error: error as Error }),
    );
  return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': station.protocol }, body: '' };
}).use(injectLambdaContext(logger, { resetKeys: true }));
