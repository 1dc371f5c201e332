/** The HTTP API function (API Gateway HTTP API, payload format 2.0). Routing lives in router.ts. */
import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logger } from '../../shared/aws/observability.js';
import { config } from '../../shared/aws/config.js';
import { createApi } from './app.js';
import { apiDeps } from './composition.js';
import { cognitoJwtVerify } from './principals.js';

const { cognito } = config();
const api = createApi(apiDeps(), cognito ? { verifyJwt: cognitoJwtVerify(cognito) } : {});

export const handler = middy(api).use(injectLambdaContext(logger, { resetKeys: true }));
