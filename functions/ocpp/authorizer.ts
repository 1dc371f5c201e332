/** WebSocket $connect authorizer (Lambda REQUEST authorizer). Logic: ./station-auth.ts. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayRequestAuthorizerEvent, APIGatewayAuthorizerResult, Context } from 'aws-lambda';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { METRICS, ORIGIN_SECRET_HEADER, STATION_ID_PARAM, VIEWER_HEADERS } from '../../shared/contract.js';
import { stationFunctionDeps } from './composition.js';
import { authorizeConnection, viewerAddress, viewerCertificate, viewerTransport } from './station-auth.js';

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
        // Like the viewer address: set by CloudFront (or the local gateway), which overwrite a
        // client's; only reached here with the origin secret where one is configured.
        transport: viewerTransport(header(event, VIEWER_HEADERS.forwardedProto)),
        clientCertificatePem: viewerCertificate(
          header(event, VIEWER_HEADERS.certPresent),
          header(event, VIEWER_HEADERS.certPem),
        ),
      },
      deps,
      () => context.getRemainingTimeInMillis(),
    );
    count(outcome.allow ? METRICS.connectionsAuthorized : METRICS.connectionsRefused);
    if (!outcome.allow && outcome.forbidden) {
      // A Deny policy: API Gateway answers 403 (a limit, not bad credentials). A throttled
      // identity's wait goes in the context: API Gateway ignores it, the local gateway answers 429.
      return {
        principalId: event.queryStringParameters?.[STATION_ID_PARAM] ?? 'unknown',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn }],
        },
        ...(outcome.retryAfterSeconds !== undefined
          ? { context: { retryAfterSeconds: outcome.retryAfterSeconds } }
          : {}),
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
