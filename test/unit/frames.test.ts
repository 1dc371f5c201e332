import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeCallError, encodeCallResult, parseFrame } from '../../shared/ocpp/frames.js';
import { OcppError, wireErrorCode } from '../../shared/ocpp/errors.js';

describe('parseFrame (OCPP-J part 4 §4)', () => {
  test('reads a CALL', () => {
    const out = parseFrame('[2,"abc","Heartbeat",{}]', 'ocpp2.0.1');
    assert.deepEqual(out, { ok: true, frame: { type: 2, id: 'abc', action: 'Heartbeat', payload: {} } });
  });

  test('reads CALLRESULT and CALLERROR', () => {
    assert.deepEqual(parseFrame('[3,"a",{"x":1}]', 'ocpp1.6'), {
      ok: true,
      frame: { type: 3, id: 'a', payload: { x: 1 } },
    });
    assert.deepEqual(parseFrame('[4,"a","NotSupported","no",{}]', 'ocpp1.6'), {
      ok: true,
      frame: { type: 4, id: 'a', code: 'NotSupported', description: 'no', details: {} },
    });
  });

  test('not JSON → RpcFrameworkError with id "-1" (2.1 part 4 §4.2.3)', () => {
    const out = parseFrame('[2, "a", ', 'ocpp2.1');
    assert.equal(out.ok, false);
    if (!out.ok) {
      assert.equal(out.error.code, 'RpcFrameworkError');
      assert.equal(out.replyId, '-1');
    }
  });

  test('not an array → RpcFrameworkError', () => {
    for (const raw of ['{}', '"x"', '[]', '42', 'null']) {
      const out = parseFrame(raw, 'ocpp2.0.1');
      assert.equal(out.ok, false, raw);
      if (!out.ok) assert.equal(out.error.code, 'RpcFrameworkError', raw);
    }
  });

  test('message id over 36 characters → RpcFrameworkError (part 4 §4.1.4)', () => {
    const out = parseFrame(`[2,"${'x'.repeat(37)}","Heartbeat",{}]`, 'ocpp2.0.1');
    assert.equal(out.ok, false);
    if (!out.ok) {
      assert.equal(out.error.code, 'RpcFrameworkError');
      assert.equal(out.replyId, '-1');
    }
    assert.equal(parseFrame(`[2,"${'x'.repeat(36)}","Heartbeat",{}]`, 'ocpp2.0.1').ok, true);
  });

  test('unknown message type: 2.0.1 answers MessageTypeNotSupported (§4.4); 1.6 (§4.1.3) and 2.1 (§4.4) ignore it', () => {
    const v2 = parseFrame('[7,"a","Heartbeat",{}]', 'ocpp2.0.1');
    assert.ok(!v2.ok && v2.error.code === 'MessageTypeNotSupported' && v2.replyId === 'a');
    for (const protocol of ['ocpp1.6', 'ocpp2.1'] as const) {
      const out = parseFrame('[7,"a","Heartbeat",{}]', protocol);
      assert.ok(!out.ok && out.replyId === undefined, protocol);
    }
  });

  test('types 5 and 6 exist only in 2.1', () => {
    assert.equal(parseFrame('[6,"a","NotifyPeriodicEventStream",{}]', 'ocpp2.1').ok, true);
    assert.equal(parseFrame('[5,"a","FormatViolation","bad",{}]', 'ocpp2.1').ok, true);
    const v201 = parseFrame('[6,"a","NotifyPeriodicEventStream",{}]', 'ocpp2.0.1');
    assert.ok(!v201.ok && v201.error.code === 'MessageTypeNotSupported');
  });

  test('a SEND with a bad payload is never answered', () => {
    const out = parseFrame('[6,"a","X",[]]', 'ocpp2.1');
    assert.ok(!out.ok && out.replyId === undefined);
  });

  test('payload that is not an object → FormatViolation; wrong element count → ProtocolError', () => {
    const notObject = parseFrame('[2,"a","Heartbeat",[]]', 'ocpp2.0.1');
    assert.ok(!notObject.ok && notObject.error.code === 'FormatViolation' && notObject.replyId === 'a');
    const short = parseFrame('[2,"a","Heartbeat"]', 'ocpp2.0.1');
    assert.ok(!short.ok && short.error.code === 'ProtocolError');
  });

  test('a response with an unreadable id is dropped', () => {
    const out = parseFrame('[3,42,{}]', 'ocpp2.0.1');
    assert.ok(!out.ok && out.replyId === undefined);
  });

  test('oversized message is refused', () => {
    const out = parseFrame(
      `[2,"a","DataTransfer",{"vendorId":"v","data":"${'x'.repeat(130 * 1024)}"}]`,
      'ocpp1.6',
    );
    assert.ok(!out.ok && out.error.code === 'RpcFrameworkError');
  });
});

describe('encoding', () => {
  test('CALLRESULT', () => {
    assert.equal(encodeCallResult('a', { currentTime: 't' }), '[3,"a",{"currentTime":"t"}]');
  });

  test('CALLERROR uses each version spelling (1.6 FormationViolation / OccurenceConstraintViolation)', () => {
    const e = new OcppError('OccurrenceConstraintViolation', 'missing');
    assert.equal(encodeCallError('a', e, 'ocpp1.6'), '[4,"a","OccurenceConstraintViolation","missing",{}]');
    assert.equal(
      encodeCallError('a', e, 'ocpp2.0.1'),
      '[4,"a","OccurrenceConstraintViolation","missing",{}]',
    );
    assert.equal(wireErrorCode('FormatViolation', 'ocpp1.6'), 'FormationViolation');
    assert.equal(wireErrorCode('FormatViolation', 'ocpp2.1'), 'FormatViolation');
    assert.equal(wireErrorCode('RpcFrameworkError', 'ocpp1.6'), 'ProtocolError');
  });

  test('errorDescription is cut to 255 characters (part 4 §4.2.3)', () => {
    const frame = JSON.parse(
      encodeCallError('a', new OcppError('GenericError', 'x'.repeat(400)), 'ocpp2.0.1'),
    );
    assert.equal(frame[3].length, 255);
  });
});
