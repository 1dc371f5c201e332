/** WebSocket $connect: confirms the subprotocol the authorizer negotiated and records the connection. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { METRICS } from '../../shared/contract.js';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath, connectionsSender } from './command-path.js';
import { isProtocol } from '../../shared/ocpp/versions.js';
import { readConnectionContext, stationFunctionDeps } from './composition.js';

const deps = stationFunctionDeps();
const commands = commandPath();

export interface WebSocketEvent {
  readonly body?: string;
  /** Handshake headers ($connect only). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly requestContext: {
    readonly connectionId: string;
    readonly routeKey: string;
    readonly messageId?: string;
    /** Epoch ms when API Gateway accepted the connection (every route of it carries the same). */
    readonly connectedAt?: number;
    /** Epoch ms when API Gateway received this event's request or message. */
    readonly requestTimeEpoch?: number;
    /**
     * The local gateway only (API Gateway has no such field): the message's place among those of
     * its connection, so that messages received in the same millisecond keep their order.
     */
    readonly localArrivalSequence?: number;
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
  count(METRICS.stationsConnected);
  const recorded = await deps.store.stations.recordConnected(
    station.stationId,
    connectionId,
    station.protocol,
    now,
    event.requestContext.connectedAt ?? now.getTime(),
  );
  if (recorded.superseded) {
    // A newer connection of this station was recorded while this one waited: the newest wins.
    logger.warn('A newer connection of this station exists: this one is refused');
    return { statusCode: 409, body: '' };
  }
  if (recorded.replaced) await closeReplaced(recorded.replaced);
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
  // A station that offered no subprotocol is served in its pinned one (the authorizer chose it):
  // RFC 6455 §4.1 makes a client fail a handshake that names a subprotocol it did not offer.
  if (!offeredSubprotocol(event.headers)) return { statusCode: 200, body: '' };
  return { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': station.protocol }, body: '' };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());

function offeredSubprotocol(headers: WebSocketEvent['headers']): boolean {
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'sec-websocket-protocol' && value !== undefined && value.trim() !== '') {
      return true;
    }
  }
  return false;
}

/**
 * The newest connection wins (issue 7): a station that reconnects after a network change must
 * not be locked out, nor answered twice, by its own half-open socket. The old connection is
 * closed; its $disconnect then finds itself replaced and leaves the station's state alone.
 * (Deleting another connection is allowed in $connect; posting to the new one is not.)
 */
async function closeReplaced(oldConnectionId: string): Promise<void> {
  const sender = connectionsSender();
  if (!sender) return;
  try {
    await sender.close(oldConnectionId);
    logger.info('Replaced connection closed', { oldConnectionId });
  } catch (error) {
    logger.error('Closing the replaced connection failed', { oldConnectionId, error: error as Error });
  }
}
