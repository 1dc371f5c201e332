/** WebSocket $default: every OCPP frame a station sends. The return value is the route response. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { logger, metrics } from '../../shared/aws/observability.js';
import { commandPath, connectionsSender } from './command-path.js';
import { isProtocol } from '../../shared/ocpp/versions.js';
import { readConnectionContext, stationFunctionDeps } from './composition.js';
import type { WebSocketEvent } from './connect.js';
import { dispatch, type DispatchDeps } from './dispatcher.js';
import { ROUTES } from './routes.js';

const base = stationFunctionDeps();
const commands = commandPath();
const deps: DispatchDeps = {
  ...base,
  routes: ROUTES,
  // A CALLRESULT / CALLERROR completes the station's outstanding command (shared/calls).
  onResponse: (frame, station) => commands.handleResponse(frame, station),
  allowedBeforeAccepted: (stationId, action, now) => commands.allowedBeforeAccepted(stationId, action, now),
};

/**
 * Connections this instance has seen a message of. The first message (other than a
 * BootNotification, whose answer should come first) sends what was queued for the station while
 * it was away; $connect cannot (the connection is not open yet). Another instance seeing the same
 * connection sends nothing twice: the command path's lock decides.
 */
const woken = new Set<string>();

export const handler = middy(async (event: WebSocketEvent): Promise<APIGatewayProxyResult> => {
  const station = readConnectionContext(event.requestContext.authorizer);
  const { connectionId } = event.requestContext;
  if (!station) throw new Error('$default without authorizer context');
  logger.appendKeys({ stationId: station.stationId, connectionId });
  if (!isProtocol(station.protocol)) {
    // No subprotocol was agreed at the handshake: OCPP-J says close the connection.
    await connectionsSender()?.close(connectionId);
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
  if (result.action !== undefined && result.action !== 'BootNotification' && !woken.has(connectionId)) {
    if (woken.size >= 10_000) woken.clear();
    woken.add(connectionId);
    await commands
      .wake(station.stationId)
      .catch((error: unknown) => logger.error('Sending queued commands failed', { error: error as Error }));
  }
  metrics.addMetric(result.errorCode ? 'CallErrors' : 'MessagesHandled', MetricUnit.Count, 1);
  return result.reply === undefined ? { statusCode: 200, body: '' } : { statusCode: 200, body: result.reply };
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics));
