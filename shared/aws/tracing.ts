/**
 * Powertools Tracer (AWS X-Ray), only when POWERTOOLS_TRACE_ENABLED is `true` (the `tracing` option
 * of the CDK app, which also turns on Lambda active tracing). Off, the tracer module and the X-Ray
 * SDK are never evaluated: the dynamic imports below stay lazy in the bundles, so a deployment
 * without tracing pays nothing at cold start for them. Cost of tracing: BENCHMARKS.md.
 */
import type { MiddlewareObj } from '@middy/core';
import type { Tracer } from '@aws-lambda-powertools/tracer';

const enabled = process.env.POWERTOOLS_TRACE_ENABLED === 'true';

export const tracer: Tracer | undefined = enabled
  ? new (await import('@aws-lambda-powertools/tracer')).Tracer({
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'csms',
    })
  : undefined;

const captureLambdaHandler = enabled
  ? (await import('@aws-lambda-powertools/tracer/middleware')).captureLambdaHandler
  : undefined;

/** The middy middlewares of a handler: its X-Ray segment when tracing, nothing otherwise. */
export function tracing(): MiddlewareObj[] {
  return tracer && captureLambdaHandler ? [captureLambdaHandler(tracer) as MiddlewareObj] : [];
}

/** An AWS SDK v3 client whose calls become X-Ray subsegments when tracing; unchanged otherwise. */
export function traced<T>(client: T): T {
  return tracer ? tracer.captureAWSv3Client(client) : client;
}
