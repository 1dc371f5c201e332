/** WebSocket $disconnect: the station's connection is gone (its state stays). */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { METRICS } from '../../shared/contract.js';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { commandPath } from './command-path.js';
import { readConnectionContext, stationFunctionDeps } from './composition.js';
import type { WebSocketEvent } from './connect.js';

const deps = stationFunctionDeps();
const commands = commandPath();

export const handler = middy(async (event: WebSocketEvent): Promise<APIGatewayProxyResult> => {
  const station = readConnectionContext(event.requestContext.authorizer);
  count(METRICS.stationsDisconnected);
  if (!station) return { statusCode: 200, body: '' };
  const { connectionId, disconnectReason } = event.requestContext;
  logger.appendKeys({ stationId: station.stationId, connectionId });
  const now = deps.clock();
  // Only the station's current connection marks it offline: a reconnect may have replaced it already.
  if (await deps.store.stations.recordDisconnected(station.stationId, connectionId, now)) {
    await deps.events.publish([
      {
        type: 'station.disconnected.v1',
        detail: {
          stationId: station.stationId,
          occurredAt: now.toISOString(),
          connectionId,
          ...(disconnectReason ? { reason: disconnectReason } : {}),
        },
      },
    ]);
  }
  // A repeatable CALL this connection did not answer goes back to the queue for the next one.
  await commands
    .onDisconnected(station.stationId, connectionId)
    .catch((error: unknown) =>
      logger.error('Command bookkeeping at disconnect failed', { error: error as Error }),
    );
  return { statusCode: 200, body: '' };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());
