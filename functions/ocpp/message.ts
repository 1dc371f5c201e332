/** WebSocket $default: every OCPP frame a station sends. The return value is the route response. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { connectionsClient } from '../../shared/aws/clients.js';
import { logger, metrics } from '../../shared/aws/observability.js';
import { isProtocol } from '../../shared/ocpp/versions.js';
import { readConnectionContext, stationFunctionDeps } from './composition.js';
import type { WebSocketEvent } from './connect.js';
import { dispatch, type DispatchDeps } from './dispatcher.js';
import { ROUTES } from './routes.js';

const base = stationFunctionDeps();
const deps: DispatchDeps = { ...base, routes: ROUTES };

export const handler = middy(async (event: WebSocketEvent): Promise<APIGatewayProxyResult> => {
  const station = readConnectionContext(event.requestContext.authorizer);
  const { connectionId } = event.requestContext;
  if (!station) throw new Error('$default without authorizer context');
  logger.appendKeys({ stationId: station.stationId, connectionId });
  if (!isProtocol(station.protocol)) {
    // No subprotocol was agreed at the handshake: OCPP-J says close the connection.
    if (base.config.connectionsUrl) {
      await connectionsClient(base.config.connectionsUrl).send(
        new DeleteConnectionCommand({ ConnectionId: connectionId }),
      );
    }
    return { statusCode: 200, body: '' };
  }
  const result = await dispatch(
    event.body ?? '',
    {
      stationId: station.stationId,
      protocol: station.protocol,
      connectionId,
      registrationAtConnect: station.registrationStatus,
    },
    deps,
  );
  metrics.addMetric(result.errorCode ? 'CallErrors' : 'MessagesHandled', MetricUnit.Count, 1);
  return result.reply === undefined ? { statusCode: 200, body: '' } : { statusCode: 200, body: result.reply };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
