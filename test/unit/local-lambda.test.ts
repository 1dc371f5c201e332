// Pieces of the local host without servers: invoking a handler like Lambda, the frame size
// guard, the authorizer policy evaluation, HTTP API v2 response interpretation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from 'aws-lambda';
import { FunctionError, LocalFunction } from '../../infra/local/lambda.js';
import { CONNECT_METHOD_ARN, FrameSizeGuard, evaluateAuthorizerResult } from '../../infra/local/gateway.js';
import { interpretResult } from '../../infra/local/http-api.js';
import { FUNCTIONS } from '../../infra/topology.js';

describe('LocalFunction', () => {
  test('the handler gets a JSON copy of the event and a Lambda context; the result is JSON', async () => {
    const event = { a: 1, nested: { b: [1, 2] } };
    let seen: unknown;
    let context: Context | undefined;
    const fn = new LocalFunction('message', FUNCTIONS.message, async (e: unknown, c: Context) => {
      seen = e;
      context = c;
      return { at: new Date('2025-01-01T00:00:00Z'), skip: undefined };
    });
    const result = await fn.invoke(event);
    assert.deepEqual(seen, event);
    assert.notEqual(seen, event);
    assert.deepEqual(result, { at: '2025-01-01T00:00:00.000Z' });
    assert.equal(context?.functionName, 'csms-message');
    assert.equal(context?.memoryLimitInMB, String(FUNCTIONS.message.memoryMb));
    assert.equal(context?.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:csms-message');
    assert.ok((context?.getRemainingTimeInMillis() ?? 0) > 0);
    assert.equal(await new LocalFunction('api', FUNCTIONS.api, () => undefined).invoke({}), null);
  });

  test('a throw becomes a FunctionError with the error type and message', async () => {
    const fn = new LocalFunction('api', FUNCTIONS.api, async () => {
      throw new TypeError('bad');
    });
    await assert.rejects(fn.invoke({}), (error: unknown) => {
      assert.ok(error instanceof FunctionError);
      assert.equal(error.errorType, 'TypeError');
      assert.equal(error.errorMessage, 'bad');
      assert.equal(error.functionName, 'api');
      assert.equal(error.timedOut, false);
      return true;
    });
  });

  test('past its timeout the invocation fails as Lambda reports it', async () => {
    const never = new Promise<never>(() => undefined);
    const fn = new LocalFunction('message', { ...FUNCTIONS.message, timeoutSeconds: 0.01 }, () => never);
    await assert.rejects(fn.invoke({}), (error: unknown) => {
      assert.ok(error instanceof FunctionError);
      assert.equal(error.timedOut, true);
      assert.match(error.errorMessage, /^Task timed out after 0\.01 seconds$/);
      return true;
    });
  });

  test('a result JSON cannot carry is a Runtime.MarshalError', async () => {
    const fn = new LocalFunction('api', FUNCTIONS.api, async () => ({ n: 1n }));
    await assert.rejects(fn.invoke({}), { errorType: 'Runtime.MarshalError' });
  });

  test('drain() waits for running invocations', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    const fn = new LocalFunction('disconnect', FUNCTIONS.disconnect, async () => {
      await gate;
      finished = true;
    });
    void fn.invoke({});
    const drained = fn.drain();
    release();
    await drained;
    assert.equal(finished, true);
  });
});

describe('FrameSizeGuard', () => {
  /** A masked client frame header for a payload of `length` bytes. */
  function header(length: number, opcode = 0x1): Buffer {
    const mask = [1, 2, 3, 4];
    if (length < 126) return Buffer.from([0x80 | opcode, 0x80 | length, ...mask]);
    if (length < 65536) return Buffer.from([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff, ...mask]);
    const b = Buffer.alloc(14);
    b[0] = 0x80 | opcode;
    b[1] = 0x80 | 127;
    b.writeBigUInt64BE(BigInt(length), 2);
    b.set(mask, 10);
    return b;
  }

  test('frames up to the limit pass, across any chunking', () => {
    const guard = new FrameSizeGuard(32 * 1024);
    const stream = Buffer.concat([
      header(10),
      Buffer.alloc(10),
      header(32 * 1024),
      Buffer.alloc(32 * 1024),
      header(0, 0x9), // ping
      header(125, 0x1),
      Buffer.alloc(125),
    ]);
    for (let at = 0; at < stream.length; at += 3)
      assert.equal(guard.accepts(stream.subarray(at, at + 3)), true);
  });

  test('a data frame over the limit is refused as soon as its header is read', () => {
    const guard = new FrameSizeGuard(32 * 1024);
    assert.equal(guard.accepts(header(10)), true);
    assert.equal(guard.accepts(Buffer.alloc(10)), true);
    const big = header(32 * 1024 + 1);
    assert.equal(guard.accepts(big.subarray(0, 2)), true);
    assert.equal(guard.accepts(big.subarray(2)), false);
    assert.equal(new FrameSizeGuard(32 * 1024).accepts(header(70000)), false);
  });
});

describe('evaluateAuthorizerResult', () => {
  const policy = (statement: unknown, extra: Record<string, unknown> = {}) => ({
    principalId: 'CP-1',
    policyDocument: { Version: '2012-10-17', Statement: statement },
    ...extra,
  });

  test('Allow on the method ARN, or a wildcard of it, allows with the context', () => {
    assert.deepEqual(
      evaluateAuthorizerResult(
        policy([{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: CONNECT_METHOD_ARN }], {
          context: { stationId: 'CP-1', profile: 2, known: true },
        }),
        CONNECT_METHOD_ARN,
      ),
      { effect: 'Allow', authorizer: { stationId: 'CP-1', profile: 2, known: true, principalId: 'CP-1' } },
    );
    const wildcard = policy({
      Action: 'execute-api:*',
      Effect: 'Allow',
      Resource: 'arn:aws:execute-api:*:*:local/*',
    });
    assert.equal(evaluateAuthorizerResult(wildcard, CONNECT_METHOD_ARN).effect, 'Allow');
  });

  test('Deny wins; an Allow elsewhere is a Deny here', () => {
    const both = policy([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: '*' },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: CONNECT_METHOD_ARN },
    ]);
    assert.equal(evaluateAuthorizerResult(both, CONNECT_METHOD_ARN).effect, 'Deny');
    const elsewhere = policy([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: 'arn:aws:execute-api:us-east-1:000000000000:other/*',
      },
    ]);
    assert.equal(evaluateAuthorizerResult(elsewhere, CONNECT_METHOD_ARN).effect, 'Deny');
  });

  test('malformed results are API Gateway 500s', () => {
    const allow = [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: CONNECT_METHOD_ARN }];
    for (const result of [
      null,
      'Allow',
      { policyDocument: { Statement: allow } },
      { principalId: 'x' },
      policy(allow, { context: { nested: { no: true } } }),
      policy([{ Action: 'execute-api:Invoke', Effect: 'Maybe', Resource: CONNECT_METHOD_ARN }]),
      policy(allow, { context: { big: 'x'.repeat(9000) } }),
    ]) {
      assert.equal(
        evaluateAuthorizerResult(result, CONNECT_METHOD_ARN).effect,
        'Invalid',
        JSON.stringify(result)?.slice(0, 80),
      );
    }
  });
});

describe('interpretResult (HTTP API payload v2)', () => {
  test('no statusCode: 200 JSON of the result; a string is the body as is', () => {
    const object = interpretResult({ a: 1 });
    assert.equal(object?.statusCode, 200);
    assert.equal(object?.headers['content-type'], 'application/json');
    assert.equal(object?.body.toString(), '{"a":1}');
    assert.equal(interpretResult('hello')?.body.toString(), 'hello');
  });

  test('explicit responses; malformed ones are refused', () => {
    const r = interpretResult({ statusCode: 302, headers: { Location: '/x' }, cookies: ['a=1'] });
    assert.deepEqual(
      { status: r?.statusCode, headers: r?.headers, cookies: r?.cookies, body: r?.body.length },
      { status: 302, headers: { location: '/x' }, cookies: ['a=1'], body: 0 },
    );
    assert.equal(interpretResult({ statusCode: 99 }), undefined);
    assert.equal(interpretResult({ statusCode: 200, body: { not: 'a string' } }), undefined);
    assert.equal(interpretResult({ statusCode: 200, headers: { a: { b: 1 } } }), undefined);
  });
});
