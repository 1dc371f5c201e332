/** WebSocket $connect authorizer (Lambda REQUEST authorizer). Logic: ./station-auth.ts. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { METRICS, ORIGIN_SECRET_HEADER, STATION_ID_PARAM } from '../../shared/contract.js';
import { stationFunctionDeps } from './composition.js';
import { authorizeConnection, viewerAddress } from './station-auth.js';

const deps = stationFunctionDeps();

function header(event: APIGatewayRequestAuthorizerEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export const handler = middy(
  async (event: APIGatewayRequestAuthorizerEvent, context: Context): Promise<APIGatewayAuthorizerResult> => {
    const outcome = await authorizeConnection(
      {
        stationId: event.queryStringParameters?.[STATION_ID_PARAM],
        authorization: header(event, 'authorization'),
        subprotocols: header(event, 'sec-websocket-protocol'),
        originSecret: header(event, ORIGIN_SECRET_HEADER),
        sourceIp:
          viewerAddress(header(event, 'cloudfront-viewer-address')) ??
          event.requestContext?.identity?.sourceIp,
      },
      deps,
      () => context.getRemainingTimeInMillis(),
    );
    count(outcome.allow ? METRICS.connectionsAuthorized : METRICS.connectionsRefused);
    if (!outcome.allow && outcome.forbidden) {
      // A Deny policy: API Gateway answers 403 (a limit, not bad credentials).
      return {
        principalId: event.queryStringParameters?.[STATION_ID_PARAM] ?? 'unknown',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn }],
        },
      };
    }
    // API Gateway answers 401 to this exact error message.
    if (!outcome.allow) throw new Error('Unauthorized');
    return {
      principalId: outcome.context.stationId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
      },
      context: { ...outcome.context },
    };
  },
)
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());
