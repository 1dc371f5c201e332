// The station's address behind CloudFront: CloudFront-Viewer-Address (ip:port), as the authorizer
// records it in security events instead of the edge server's address API Gateway sees.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { viewerAddress } from '../../functions/ocpp/station-auth.js';

describe('CloudFront-Viewer-Address', () => {
  test('IPv4 and IPv6 addresses with their port (the format CloudFront documents)', () => {
    assert.equal(viewerAddress('198.51.100.10:46532'), '198.51.100.10');
    assert.equal(
      viewerAddress('2001:db8:3333:4444:5555:6666:7777:8888:46532'),
      '2001:db8:3333:4444:5555:6666:7777:8888',
    );
    assert.equal(viewerAddress('2001:db8::1:443'), '2001:db8::1');
    assert.equal(viewerAddress('[2001:db8::1]:443'), '2001:db8::1');
    assert.equal(viewerAddress(' 203.0.113.7:1 '), '203.0.113.7');
  });

  test('absent or malformed: undefined, so the connection source address is used', () => {
    for (const value of [
      undefined,
      '',
      '198.51.100.10',
      'host:80',
      '198.51.100.10:',
      ':80',
      '999.1.1.1:80',
      'x',
    ]) {
      assert.equal(viewerAddress(value), undefined, JSON.stringify(value));
    }
  });
});
