import { test } from 'node:test';
import assert from 'node:assert/strict';
import { energyBounds, energyWh, samplesFrom2 } from '../../shared/domain/meter-values.js';

const sample = (value: number, unit: string) => ({
  timestamp: '2026-01-01T00:00:00.000Z',
  measurand: 'Energy.Active.Import.Register',
  value,
  unit,
});

test('energy readings convert to Wh (kWh × 1000, 2.x multipliers applied)', () => {
  assert.equal(energyWh(sample(12.5, 'kWh')), 12_500);
  assert.equal(energyWh(sample(7, 'Wh')), 7);
  const [s] = samplesFrom2([
    {
      timestamp: '2026-01-01T00:00:00Z',
      sampledValue: [{ value: 15, unitOfMeasure: { unit: 'Wh', multiplier: 3 } }],
    },
  ]);
  assert.equal(s && energyWh(s), 15_000);
});

test('a reading the store cannot keep exactly once converted is no reading (found by the 2.0.1 fuzz test)', () => {
  // 9007199254740994 kWh × 10^-2 is storable, but × 1000 in Wh is beyond 2^53.
  assert.equal(energyWh(sample(90071992547409.94, 'kWh')), undefined);
  assert.equal(energyBounds([sample(90071992547409.94, 'kWh')]), undefined);
});
