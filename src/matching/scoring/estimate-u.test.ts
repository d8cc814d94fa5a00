import { describe, expect, it } from 'vitest';
import type { MatchModelInput } from '../model/schema';
import type { PreparedRecord } from '../model/prepared-record';
import { compileModel } from './compare';
import { estimateU, smoothedDistribution } from './estimate-u';
import { mulberry32, randomChoice, randomInt } from './random';

const model: MatchModelInput = {
  entity: 'product',
  version: 1,
  prior: 0.001,
  thresholds: { autoMerge: { probability: 0.99 }, review: { probability: 0.5 } },
  comparisons: [
    { name: 'x', fields: ['x'], levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    { name: 'y', fields: ['y'], levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    {
      name: 'code',
      fields: ['code'],
      levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'prefix', length: 1 }, { kind: 'else' }],
    },
    { name: 'z', fields: ['z'], levels: [{ kind: 'null' }, { kind: 'exact' }, { kind: 'else' }] },
    {
      name: 'never',
      fields: ['x'],
      levels: [{ kind: 'null' }, { kind: 'exact', field: 'absent' }, { kind: 'else' }],
    },
  ],
};

function generate(n: number, seed: number): PreparedRecord[] {
  const next = mulberry32(seed);
  return Array.from({ length: n }, (_, id) => ({
    id,
    source: 'erp',
    fields: {
      x: `x${randomInt(next, 20)}`,
      y: ['a', 'b', 'c'][randomChoice(next, [0.5, 0.3, 0.2])],
      code: 'ABCDE'[randomInt(next, 5)] + randomInt(next, 10),
      z: next() < 0.5 ? null : `z${randomInt(next, 10)}`,
    },
  }));
}

describe('estimateU', () => {
  const compiled = compileModel(model);
  const records = generate(3000, 99);

  it('approximates the true u of each level from random pairs', () => {
    const { u, pairs, exhaustive } = estimateU(compiled, records, { samplePairs: 200_000, seed: 3 });
    expect(exhaustive).toBe(false);
    expect(pairs).toBe(200_000);
    expect(u[0][1]).toBeCloseTo(1 / 20, 2);
    expect(Math.abs(u[0][1] - 1 / 20)).toBeLessThan(0.004);
    expect(Math.abs(u[1][1] - (0.25 + 0.09 + 0.04))).toBeLessThan(0.01);
    expect(Math.abs(u[2][1] - 1 / 50)).toBeLessThan(0.003);
    expect(Math.abs(u[2][2] - (1 / 5 - 1 / 50))).toBeLessThan(0.01);
    expect(Math.abs(u[3][1] - 1 / 10)).toBeLessThan(0.01);
    for (const levels of u) expect(levels.slice(1).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  it('skips pairs with a missing side and smooths levels never seen', () => {
    const { u, counts } = estimateU(compiled, records, { samplePairs: 50_000, seed: 3 });
    expect(counts[3][0] / 50_000).toBeGreaterThan(0.7);
    expect(counts[4][1]).toBe(0);
    expect(u[4][1]).toBeGreaterThan(0);
    expect(u[4][1]).toBeLessThan(1e-4);
  });

  it('is deterministic for a seed', () => {
    const a = estimateU(compiled, records, { samplePairs: 20_000, seed: 8 });
    const b = estimateU(compiled, records, { samplePairs: 20_000, seed: 8 });
    const c = estimateU(compiled, records, { samplePairs: 20_000, seed: 9 });
    expect(b.counts).toEqual(a.counts);
    expect(c.counts).not.toEqual(a.counts);
  });

  it('compares every pair when there are fewer than the sample size', () => {
    const few = generate(50, 1);
    const { pairs, exhaustive, counts } = estimateU(compiled, few, { samplePairs: 10_000 });
    expect(exhaustive).toBe(true);
    expect(pairs).toBe(1225);
    expect(counts[0].reduce((a, b) => a + b, 0)).toBe(1225);
  });

  it('smooths with a pseudo-count', () => {
    const d = smoothedDistribution([5, 0, 10], 1);
    expect(d[0]).toBe(1);
    expect(d[1]).toBeCloseTo(1 / 12, 12);
    expect(d[2]).toBeCloseTo(11 / 12, 12);
  });
});
