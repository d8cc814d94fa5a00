import { describe, expect, it } from 'vitest';
import {
  bayesFactorToProbability,
  matchWeight,
  matchWeightToBayesFactor,
  matchWeightToProbability,
  probabilityToBayesFactor,
  probabilityToMatchWeight,
  thresholdToMatchWeight,
} from './math';

describe('match weight math', () => {
  it('converts probabilities and Bayes factors', () => {
    expect(probabilityToBayesFactor(0.2)).toBeCloseTo(0.25, 12);
    expect(bayesFactorToProbability(0.25)).toBeCloseTo(0.2, 12);
    expect(probabilityToBayesFactor(0.5)).toBe(1);
    expect(bayesFactorToProbability(Infinity)).toBe(1);
  });

  it('computes level weights in bits', () => {
    expect(matchWeight(0.8, 0.1)).toBeCloseTo(3, 12);
    expect(matchWeight(0.1, 0.8)).toBeCloseTo(-3, 12);
    expect(matchWeightToBayesFactor(3)).toBe(8);
  });

  it('round-trips probabilities through match weights', () => {
    for (const p of [1e-9, 0.001, 0.3, 0.5, 0.9, 0.999999]) {
      expect(matchWeightToProbability(probabilityToMatchWeight(p))).toBeCloseTo(p, 12);
    }
    expect(probabilityToMatchWeight(0.5)).toBe(0);
    expect(matchWeightToProbability(2000)).toBe(1);
    expect(matchWeightToProbability(-2000)).toBe(0);
  });

  it('reads thresholds either way', () => {
    expect(thresholdToMatchWeight({ matchWeight: 7 })).toBe(7);
    expect(thresholdToMatchWeight({ probability: 0.8 })).toBeCloseTo(2, 12);
  });
});
