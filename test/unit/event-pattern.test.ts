// EventBridge's pattern language (shared/webhooks/pattern.ts): what the local bus matches rules
// with and what POST /v1/webhooks checks filters with. Cases follow the EventBridge user guide's
// "Content filtering in event patterns" examples.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchesPattern, patternErrors } from '../../shared/webhooks/pattern.js';
import { webhookPattern, webhookIdOfRule, resourceName } from '../../shared/webhooks/rules.js';

const event = (detail: Record<string, unknown>, type = 'transaction.ended.v1') => ({
  version: '0',
  id: '1',
  'detail-type': type,
  source: 'csms',
  account: '000000000000',
  time: '2025-01-01T00:00:00Z',
  region: 'us-east-1',
  resources: ['arn:aws:x:1', 'arn:aws:y:2'],
  detail,
});

describe('event pattern matcher', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>, boolean][] = [
    ['exact string', { source: ['csms'] }, {}, true],
    ['exact string, other value', { source: ['other'] }, {}, false],
    ['nested detail, number', { detail: { energyWh: [3000] } }, { energyWh: 3000 }, true],
    ['boolean and null', { detail: { tbc: [false], reason: [null] } }, { tbc: false, reason: null }, true],
    ['array field: any element', { resources: ['arn:aws:y:2'] }, {}, true],
    ['missing field', { detail: { stationId: ['A'] } }, {}, false],
    ['prefix', { detail: { stationId: [{ prefix: 'CP-' }] } }, { stationId: 'CP-7' }, true],
    ['prefix, no', { detail: { stationId: [{ prefix: 'CP-' }] } }, { stationId: 'XP-7' }, false],
    [
      'prefix ignoring case',
      { detail: { stationId: [{ prefix: { 'equals-ignore-case': 'cp-' } }] } },
      { stationId: 'CP-7' },
      true,
    ],
    ['suffix', { detail: { stationId: [{ suffix: '-7' }] } }, { stationId: 'CP-7' }, true],
    [
      'equals-ignore-case',
      { detail: { status: [{ 'equals-ignore-case': 'accepted' }] } },
      { status: 'Accepted' },
      true,
    ],
    [
      'anything-but value',
      { detail: { status: [{ 'anything-but': 'Rejected' }] } },
      { status: 'Accepted' },
      true,
    ],
    [
      'anything-but value, no',
      { detail: { status: [{ 'anything-but': ['Rejected', 'Accepted'] }] } },
      { status: 'Accepted' },
      false,
    ],
    [
      'anything-but prefix',
      { detail: { stationId: [{ 'anything-but': { prefix: 'TEST-' } }] } },
      { stationId: 'TEST-1' },
      false,
    ],
    ['anything-but on a missing field', { detail: { status: [{ 'anything-but': 'x' }] } }, {}, false],
    [
      'numeric range',
      { detail: { energyWh: [{ numeric: ['>', 0, '<=', 5000] }] } },
      { energyWh: 5000 },
      true,
    ],
    [
      'numeric range, no',
      { detail: { energyWh: [{ numeric: ['>', 0, '<', 5000] }] } },
      { energyWh: 5000 },
      false,
    ],
    ['numeric on a string', { detail: { energyWh: [{ numeric: ['>', 0] }] } }, { energyWh: '5' }, false],
    ['exists true', { detail: { energyWh: [{ exists: true }] } }, { energyWh: 1 }, true],
    ['exists false', { detail: { energyWh: [{ exists: false }] } }, {}, true],
    ['exists false, present', { detail: { energyWh: [{ exists: false }] } }, { energyWh: 1 }, false],
    ['wildcard', { detail: { stationId: [{ wildcard: 'CP-*-north' }] } }, { stationId: 'CP-12-north' }, true],
    [
      'wildcard, no',
      { detail: { stationId: [{ wildcard: 'CP-*-north' }] } },
      { stationId: 'CP-12-south' },
      false,
    ],
    ['cidr', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { ip: '10.0.0.77' }, true],
    ['cidr, no', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { ip: '10.0.1.77' }, false],
    ['$or', { $or: [{ detail: { a: [1] } }, { detail: { b: [2] } }] }, { b: 2 }, true],
    ['$or, none', { $or: [{ detail: { a: [1] } }, { detail: { b: [2] } }] }, { c: 3 }, false],
  ];
  for (const [name, pattern, detail, expected] of cases) {
    test(name, () => assert.equal(matchesPattern(pattern, event(detail)), expected));
  }
});

describe('pattern validation', () => {
  test('valid patterns have no errors', () => {
    for (const [, pattern] of [
      ['', { detail: { a: [{ numeric: ['>=', 1] }], b: [{ exists: false }] } }],
    ] as const) {
      assert.deepEqual(patternErrors(pattern), []);
    }
  });
  test('each error names where it is', () => {
    assert.deepEqual(
      patternErrors({
        protocol: 'ocpp1.6',
        n: [{ numeric: ['>>', 1] }],
        e: [],
        x: [{ foo: 1 }],
        o: { $or: [{ a: [1] }] },
      }).map((e) => e.path),
      ['protocol', 'n.0', 'e', 'x.0', 'o.$or'],
    );
    assert.equal(patternErrors([]).length, 1);
  });
});

describe('webhook rule pattern (shared/webhooks/rules.ts)', () => {
  const id = '0123456789abcdef';
  test('all types: every CSMS event but other subscriptions’ test events', () => {
    const pattern = webhookPattern(id, [], {});
    assert.equal(matchesPattern(pattern, event({ stationId: 'A' })), true);
    assert.equal(matchesPattern(pattern, { ...event({ stationId: 'A' }), source: 'aws.events' }), false);
    assert.equal(matchesPattern(pattern, event({ webhookId: id }, 'webhook.test.v1')), true);
    assert.equal(matchesPattern(pattern, event({ webhookId: 'fedcba9876543210' }, 'webhook.test.v1')), false);
  });
  test('types and station filter', () => {
    const pattern = webhookPattern(id, ['transaction.ended.v1'], {
      stationIds: ['A'],
      detail: { energyWh: [{ numeric: ['>', 0] }] },
    });
    assert.equal(matchesPattern(pattern, event({ stationId: 'A', energyWh: 10 })), true);
    assert.equal(matchesPattern(pattern, event({ stationId: 'B', energyWh: 10 })), false);
    assert.equal(matchesPattern(pattern, event({ stationId: 'A', energyWh: 0 })), false);
    assert.equal(
      matchesPattern(pattern, event({ stationId: 'A', energyWh: 10 }, 'transaction.started.v1')),
      false,
    );
    assert.deepEqual(patternErrors(pattern), []);
  });
  test('resource names carry the prefix the IAM policy matches', () => {
    assert.equal(resourceName('csms', id), `csms-wh-${id}`);
    assert.equal(webhookIdOfRule('csms', `arn:aws:events:eu-west-1:1:rule/csms/csms-wh-${id}`), id);
    assert.equal(webhookIdOfRule('csms', 'arn:aws:events:eu-west-1:1:rule/csms/other-rule'), undefined);
  });
});
