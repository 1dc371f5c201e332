// The CloudFront Function of the station front door, run in a fresh V8 context on sample events
// shaped like CloudFront's (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/functions-event-structure.html).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import vm from 'node:vm';
import {
  STATION_PATH_PREFIX,
  stationPathRewriteCode,
} from '../../infra/cdk/constructs/station-path-rewrite.js';
import { STATION_ID_PARAM, WEBSOCKET_STAGE } from '../../infra/topology.js';

interface QueryValue {
  value: string;
  multiValue?: { value: string }[];
}
interface CfRequest {
  method: string;
  uri: string;
  querystring: Record<string, QueryValue>;
  headers: Record<string, { value: string }>;
  cookies: Record<string, { value: string }>;
}
interface CfResponse {
  statusCode: number;
  statusDescription?: string;
}

const code = stationPathRewriteCode();
const handler = vm.runInNewContext(
  `${code}\n;handler`,
  {},
  { filename: 'station-path-rewrite.function.js' },
) as (event: unknown) => CfRequest | CfResponse;

function viewerRequest(uri: string, querystring: Record<string, QueryValue> = {}): CfRequest | CfResponse {
  const request: CfRequest = {
    method: 'GET',
    uri,
    querystring,
    headers: {
      host: { value: 'd111111abcdef8.cloudfront.net' },
      upgrade: { value: 'websocket' },
      'sec-websocket-protocol': { value: 'ocpp1.6' },
    },
    cookies: {},
  };
  const result = handler({
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '192.0.2.1' },
    request,
  });
  // Objects made in the function's context have that context's prototypes: compare plain copies.
  return JSON.parse(JSON.stringify(result)) as CfRequest | CfResponse;
}

function rewritten(result: CfRequest | CfResponse): CfRequest {
  assert.ok('uri' in result, `expected a request, got ${JSON.stringify(result)}`);
  return result;
}

describe('station path rewrite (CloudFront Function)', () => {
  test('rewrites /ocpp/{stationId} to the stage, identity in the query string', () => {
    const request = rewritten(viewerRequest('/ocpp/CP-1'));
    assert.equal(request.uri, `/${WEBSOCKET_STAGE}`);
    assert.deepEqual(request.querystring, { [STATION_ID_PARAM]: { value: 'CP-1' } });
    assert.equal(request.method, 'GET');
    assert.deepEqual(request.headers['sec-websocket-protocol'], { value: 'ocpp1.6' });
  });

  test('keeps the other query parameters, multi-valued ones included', () => {
    const tags = { value: 'a', multiValue: [{ value: 'a' }, { value: 'b' }] };
    const request = rewritten(viewerRequest('/ocpp/CP-1', { foo: { value: 'bar' }, tag: tags }));
    assert.deepEqual(request.querystring, {
      foo: { value: 'bar' },
      tag: tags,
      [STATION_ID_PARAM]: { value: 'CP-1' },
    });
  });

  test('the identity comes from the path only: a client-supplied one is dropped, in any letter case', () => {
    const request = rewritten(
      viewerRequest('/ocpp/CP-1', {
        [STATION_ID_PARAM]: { value: 'CP-2', multiValue: [{ value: 'CP-2' }, { value: 'CP-3' }] },
        [STATION_ID_PARAM.toLowerCase()]: { value: 'CP-4' },
        [STATION_ID_PARAM.toUpperCase()]: { value: 'CP-5' },
      }),
    );
    assert.deepEqual(request.querystring, { [STATION_ID_PARAM]: { value: 'CP-1' } });
  });

  test('percent-encoding: decoded once, re-encoded once for the query string', () => {
    const cases: [string, string][] = [
      ['CP%201', 'CP%201'], // space
      ['caf%C3%A9', 'caf%C3%A9'], // UTF-8
      ['caf\u00e9', 'caf%C3%A9'], // raw non-ASCII becomes encoded
      ['CP%2F1', 'CP%2F1'], // an encoded slash stays one segment
      ['CP:1', 'CP%3A1'],
      ['CP%261%3Dx', 'CP%261%3Dx'], // & and = cannot break out of the parameter
      ['CP*1', 'CP*1'],
      ['CP%2A1', 'CP*1'], // unreserved after decoding
      ['%2541', '%2541'], // a literal "%41" is not decoded twice
    ];
    for (const [segment, expected] of cases) {
      const request = rewritten(viewerRequest(`${STATION_PATH_PREFIX}${segment}`));
      assert.deepEqual(request.querystring[STATION_ID_PARAM], { value: expected }, segment);
      assert.equal(request.uri, `/${WEBSOCKET_STAGE}`);
    }
  });

  test('identifierString characters = + | @ (and a literal %) are decoded exactly once', () => {
    // 2.0.1 part 4 §3.1.1: identities may hold * - _ = : + | @ . ; stations send them raw or
    // percent-encoded. API Gateway decodes the query string value once more before the authorizer
    // sees it, so what reaches the authorizer is the identity exactly as the station meant it.
    const cases: [segment: string, identity: string][] = [
      ['CP=1', 'CP=1'],
      ['CP%3D1', 'CP=1'],
      ['CP+1', 'CP+1'], // '+' in a path is a plus, never a space
      ['CP%2B1', 'CP+1'],
      ['CP|1', 'CP|1'],
      ['CP%7C1', 'CP|1'],
      ['CP%7c1', 'CP|1'], // lower-case hex
      ['CP@1', 'CP@1'],
      ['CP%401', 'CP@1'],
      ['a=b+c|d@e', 'a=b+c|d@e'],
      ['a%3Db%2Bc%7Cd%40e', 'a=b+c|d@e'],
      ['CP%2541', 'CP%41'], // a literal "%41": one decode, not two (the authorizer then refuses '%')
      ['CP%25', 'CP%'],
    ];
    for (const [segment, identity] of cases) {
      const request = rewritten(viewerRequest(`${STATION_PATH_PREFIX}${segment}`));
      const value = request.querystring[STATION_ID_PARAM]!.value;
      // Nothing that API Gateway could read as a separator or a space survives unencoded.
      assert.doesNotMatch(value, /[=+|@&\s]/, segment);
      assert.equal(decodeURIComponent(value), identity, segment);
    }
  });

  test('404 for every other path', () => {
    const paths = [
      '/',
      '',
      '/ocpp',
      '/ocpp/',
      '/ocpp/CP-1/',
      '/ocpp/CP-1/extra',
      '/ocpp//CP-1',
      '/OCPP/CP-1',
      '/ocppx/CP-1',
      '/other/CP-1',
      `/${WEBSOCKET_STAGE}`,
      '/ocpp/%E0%A4%A', // malformed percent-encoding
      '/ocpp/%',
      '/ocpp/%ZZ',
    ];
    for (const path of paths) {
      const result = viewerRequest(path, { [STATION_ID_PARAM]: { value: 'CP-1' } });
      assert.deepEqual(result, { statusCode: 404, statusDescription: 'Not Found' }, JSON.stringify(path));
    }
  });

  test('the rendered code uses the topology values and fits CloudFront Functions limits', () => {
    assert.doesNotMatch(code, /__[A-Z_]+__/, 'every placeholder is filled in');
    assert.ok(code.includes(JSON.stringify(`/${WEBSOCKET_STAGE}`)));
    assert.ok(code.includes(JSON.stringify(STATION_ID_PARAM)));
    assert.ok(code.includes(JSON.stringify(STATION_PATH_PREFIX)));
    assert.ok(Buffer.byteLength(code) < 10 * 1024, 'CloudFront Functions code is limited to 10 KB');
    assert.doesNotMatch(code, /\brequire\s*\(|\bimport\s/, 'no modules: the runtime offers only a few');
  });
});
