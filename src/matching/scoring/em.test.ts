import { describe, expect, it } from 'vitest';
import { parseModel, type MatchModelInput } from '../model/schema';
import { defaultLevelProbabilities } from '../model/defaults';
import { ANCHOR_MATCH, ANCHOR_NONE, deterministicAnchors, expectationMaximisation, runEm } from './em';
import { mulberry32, randomChoice } from './random';
import type { LevelVectors } from './vectors';

/** Known parameters: level 0 (null) probabilities are the missing rates, then m / u per level. */
const TRUTH = {
  lambda: 0.15,
  missing: [0.1, 0, 0.2, 0.05],
  m: [
    [0, 0.85, 0.1, 0.05],
    [0, 0.9, 0.1],
    [0, 0.7, 0.15, 0.1, 0.05],
    [0, 0.6, 0.4],
  ],
  u: [
    [0, 0.01, 0.05, 0.94],
    [0, 0.02, 0.98],
    [0, 0.005, 0.02, 0.1, 0.875],
    [0, 0.1, 0.9],
  ],
};

function simulate(pairs: number, seed: number, lambda = TRUTH.lambda) {
  const next = mulberry32(seed);
  const width = TRUTH.m.length;
  const levels = new Uint8Array(pairs * width);
  const isMatch = new Uint8Array(pairs);
  for (let k = 0; k < pairs; k++) {
    const match = next() < lambda;
    isMatch[k] = match ? 1 : 0;
    for (let c = 0; c < width; c++) {
      if (next() < TRUTH.missing[c]) continue;
      const dist = (match ? TRUTH.m : TRUTH.u)[c].slice(1);
      levels[k * width + c] = 1 + randomChoice(next, dist);
    }
  }
  return { levels, isMatch, width };
}

/** Starting m as a model would have it before training. */
function defaultStart() {
  return TRUTH.m.map((levels) => {
    const comparison = {
      name: 'c',
      fields: ['f'],
      levels: [{ kind: 'null' as const }, ...levels.slice(1, -1).map(() => ({ kind: 'exact' as const })), { kind: 'else' as const }],
    };
    return defaultLevelProbabilities(comparison).m;
  });
}

const trueU = TRUTH.u.map((levels) => [1, ...levels.slice(1)]);

describe('runEm', () => {
  it('recovers known m and lambda from unlabelled vectors, u held fixed', () => {
    const { levels, width } = simulate(100_000, 2024);
    const result = runEm({ levels, comparisonCount: width, m: defaultStart(), u: trueU, lambda: 0.5 });
    expect(result.converged).toBe(true);
    expect(Math.abs(result.lambda - TRUTH.lambda)).toBeLessThan(0.01);
    TRUTH.m.forEach((levelsM, c) => {
      for (let l = 1; l < levelsM.length; l++) expect(Math.abs(result.m[c][l] - levelsM[l])).toBeLessThan(0.02);
    });
    expect(result.u).toEqual(trueU);
    expect(result.patterns).toBeLessThan(1000);
    expect(result.expectedMatches / result.pairs).toBeCloseTo(result.lambda, 6);
  });

  it('recovers u too when asked to estimate it', () => {
    const { levels, width } = simulate(200_000, 7, 0.3);
    const flatU = TRUTH.u.map((levels) => [1, ...levels.slice(1).map(() => 1 / (levels.length - 1))]);
    const result = runEm({ levels, comparisonCount: width, m: defaultStart(), u: flatU, lambda: 0.5 }, { estimateU: true, maxIterations: 500 });
    expect(Math.abs(result.lambda - 0.3)).toBeLessThan(0.02);
    TRUTH.u.forEach((levelsU, c) => {
      for (let l = 1; l < levelsU.length; l++) expect(Math.abs(result.u[c][l] - levelsU[l])).toBeLessThan(0.02);
    });
  });

  it('posteriors separate the simulated matches from non-matches', () => {
    const { levels, isMatch, width } = simulate(20_000, 5);
    const result = runEm({ levels, comparisonCount: width, m: defaultStart(), u: trueU, lambda: 0.5 });
    let correct = 0;
    result.posteriors.forEach((p, k) => {
      if ((p > 0.5 ? 1 : 0) === isMatch[k]) correct++;
    });
    expect(correct / 20_000).toBeGreaterThan(0.95);
  });

  it('uses only the given rows and leaves untrainable comparisons alone', () => {
    const { levels, width } = simulate(50_000, 11);
    const rows = Uint32Array.from({ length: 25_000 }, (_, k) => 2 * k);
    const start = defaultStart();
    const result = runEm({ levels, comparisonCount: width, rows, m: start, u: trueU, lambda: 0.5, trainable: [true, false, true, true] });
    expect(result.pairs).toBe(25_000);
    expect(result.posteriors).toHaveLength(25_000);
    expect(result.m[1]).toEqual(start[1]);
    expect(Math.abs(result.m[0][1] - TRUTH.m[0][1])).toBeLessThan(0.03);
  });

  it('anchored pairs keep their posterior and pull lambda', () => {
    const { levels, isMatch, width } = simulate(20_000, 13);
    const anchors = new Int8Array(20_000).fill(ANCHOR_NONE);
    for (let k = 0; k < 20_000; k += 10) if (isMatch[k]) anchors[k] = ANCHOR_MATCH;
    const result = runEm({ levels, comparisonCount: width, m: defaultStart(), u: trueU, lambda: 0.5, anchors });
    for (let k = 0; k < 20_000; k += 10) if (isMatch[k]) expect(result.posteriors[k]).toBe(1);
    expect(Math.abs(result.lambda - TRUTH.lambda)).toBeLessThan(0.015);
  });

  it('never produces a zero m thanks to smoothing', () => {
    const levels = Uint8Array.from([1, 1, 1, 1, 2, 2]);
    const result = runEm({ levels, comparisonCount: 1, m: [[1, 0.5, 0.3, 0.2]], u: [[1, 0.1, 0.2, 0.7]], lambda: 0.5 });
    expect(Math.min(...result.m[0].slice(1))).toBeGreaterThan(0);
  });
});

describe('expectationMaximisation on a model', () => {
  const model: MatchModelInput = {
    entity: 'customer',
    version: 4,
    prior: 0.001,
    thresholds: { autoMerge: { probability: 0.99 }, review: { probability: 0.5 } },
    comparisons: TRUTH.m.map((levels, c) => ({
      name: `c${c}`,
      fields: [`f${c}`],
      levels: [
        { kind: 'null' as const },
        ...levels.slice(1, -1).map(() => ({ kind: 'exact' as const })),
        { kind: 'else' as const },
      ].map((level, l) => (l === 0 ? level : { ...level, u: TRUTH.u[c][l] })),
    })),
    rules: [{ name: 'id', fields: ['id'] }],
  };

  it('fills m, bumps the version and reports before/after values', () => {
    const { levels, width } = simulate(50_000, 21);
    const vectors: LevelVectors = { pairCount: 50_000, comparisonCount: width, levels, ruleCount: 1, rules: new Uint8Array(50_000) };
    const parsed = parseModel(model);
    const { model: trained, report } = expectationMaximisation(parsed, vectors, { totalPairs: 50_000 * 1000 });
    expect(trained.version).toBe(5);
    expect(parseModel(trained)).toEqual(trained);
    expect(report.converged).toBe(true);
    const exact0 = report.levels.find((r) => r.comparison === 'c0' && r.level === 1)!;
    expect(exact0.trained).toBe(true);
    expect(exact0.mBefore).toBeCloseTo(defaultStart()[0][1], 9);
    expect(Math.abs(exact0.mAfter - TRUTH.m[0][1])).toBeLessThan(0.02);
    expect(exact0.uAfter).toBe(TRUTH.u[0][1]);
    expect(trained.comparisons[0].levels[1]).toMatchObject({ m: exact0.mAfter, u: TRUTH.u[0][1] });
    expect(Math.abs(report.prior.after - (TRUTH.lambda * 50_000) / (50_000 * 1000))).toBeLessThan(2e-5);
    expect(report.levels).toHaveLength(TRUTH.m.reduce((a, levels) => a + levels.length - 1, 0));
  });

  it('excludes comparisons by name', () => {
    const { levels, width } = simulate(10_000, 22);
    const vectors: LevelVectors = { pairCount: 10_000, comparisonCount: width, levels, ruleCount: 0, rules: new Uint8Array(0) };
    const { report } = expectationMaximisation(parseModel(model), vectors, { exclude: ['c1'] });
    expect(report.levels.filter((r) => r.comparison === 'c1').every((r) => !r.trained && r.mAfter === r.mBefore)).toBe(true);
    expect(report.prior.after).toBe(0.001);
  });

  it('derives anchors from rule outcomes: hard negatives win over matches', () => {
    const vectors: LevelVectors = { pairCount: 3, comparisonCount: 0, levels: new Uint8Array(0), ruleCount: 2, rules: Uint8Array.from([1, 0, 1, 2, 0, 0]) };
    const rules = [
      { onEqual: 'match' as const, onConflict: 'hardNegative' as const },
      { onEqual: 'match' as const, onConflict: 'hardNegative' as const },
    ];
    expect([...deterministicAnchors(vectors, rules)]).toEqual([1, 0, -1]);
  });
});
