/** The HTTP API function (API Gateway HTTP API, payload format 2.0). Routing lives in router.ts. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { METRICS } from '../../shared/contract.js';
import { count, logger, metricsFlush } from '../../shared/aws/observability.js';
import { tracing } from '../../shared/aws/tracing.js';
import { config } from '../../shared/aws/config.js';
import { createApi } from './app.js';
import { apiDeps } from './composition.js';
import { cognitoJwtVerify } from './principals.js';

const { cognito } = config();
const api = createApi(apiDeps(), cognito ? { verifyJwt: cognitoJwtVerify(cognito) } : {});

export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const response = await api(event);
  count((response.statusCode ?? 200) >= 500 ? METRICS.httpServerErrors : METRICS.httpRequests);
  return response;
})
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(metricsFlush())
  .use(tracing());
