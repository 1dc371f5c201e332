// Powertools Tracer behind POWERTOOLS_TRACE_ENABLED (the CDK `tracing` option): off, nothing is
// loaded or wrapped; on, every handler gets its X-Ray segment and every AWS SDK client is captured.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { traced, tracer, tracing } from '../../shared/aws/tracing.js';

describe('tracing', () => {
  test('off (the default): no tracer, no middleware, clients untouched', () => {
    assert.equal(process.env.POWERTOOLS_TRACE_ENABLED, undefined);
    assert.equal(tracer, undefined);
    assert.deepEqual(tracing(), []);
    const client = new DynamoDBClient({ region: 'us-east-1' });
    assert.equal(traced(client), client);
    assert.equal(
      client.middlewareStack.identify().some((m) => /xray|tracer/i.test(m)),
      false,
    );
  });

  test('on: a tracer, one handler middleware, SDK clients captured', () => {
    const script = `
      const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
      const { traced, tracer, tracing } = await import('./shared/aws/tracing.ts');
      const client = traced(new DynamoDBClient({ region: 'us-east-1' }));
      console.log(JSON.stringify({
        tracer: tracer !== undefined,
        middlewares: tracing().map((m) => Object.keys(m).sort()),
        captured: client.middlewareStack.identify().filter((m) => /xray|tracer/i.test(m)).length,
      }));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        POWERTOOLS_TRACE_ENABLED: 'true',
        // The tracer only traces inside Lambda (it reads AWS_EXECUTION_ENV); without an X-Ray
        // daemon here the segments go nowhere.
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
        AWS_XRAY_LOG_LEVEL: 'silent',
      },
    });
    assert.equal(result.status, 0, result.stderr);
    const seen = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    assert.equal(seen.tracer, true);
    assert.deepEqual(seen.middlewares, [['after', 'before', 'onError']]);
    assert.ok(seen.captured >= 1, JSON.stringify(seen));
  });
});
