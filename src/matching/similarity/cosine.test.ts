import { describe, expect, it } from 'vitest';
import { sharesCodePrefix, weightedCosine, weightedOverlap, weightedTokens } from './cosine';

describe('weighted token similarities', () => {
  const unit = () => 1;
  it('computes the cosine of weighted token sets', () => {
    expect(weightedCosine(weightedTokens(['a', 'b'], unit), weightedTokens(['b', 'c'], unit))).toBeCloseTo(0.5);
    expect(weightedCosine(weightedTokens(['a', 'b'], unit), weightedTokens(['a', 'b'], unit))).toBeCloseTo(1);
    expect(weightedCosine(weightedTokens([], unit), weightedTokens(['a'], unit))).toBe(0);
  });

  it('lets rare tokens dominate the cosine', () => {
    const idf = (t: string) => (t === 'pump' ? 0.1 : 5);
    const shareRare = weightedCosine(weightedTokens(['kdl52', 'pump'], idf), weightedTokens(['kdl52', 'valve'], idf));
    const shareCommon = weightedCosine(weightedTokens(['kdl52', 'pump'], idf), weightedTokens(['pump', 'xr200'], idf));
    expect(shareRare).toBeGreaterThan(0.4);
    expect(shareCommon).toBeLessThan(0.01);
  });

  it('computes the weighted overlap (containment)', () => {
    expect(weightedOverlap(weightedTokens(['a', 'b'], unit), weightedTokens(['a', 'b', 'c', 'd'], unit))).toBeCloseTo(1);
    expect(weightedOverlap(weightedTokens(['a', 'x'], unit), weightedTokens(['a', 'b', 'c'], unit))).toBeCloseTo(0.5);
  });

  it('finds codes that extend one another', () => {
    expect(sharesCodePrefix(['fs726tp'], ['fs726tpna'], 5)).toBe(true);
    expect(sharesCodePrefix(['fs726tpna'], ['fs726tp'], 5)).toBe(true);
    expect(sharesCodePrefix(['gs724tp'], ['fs726tpna'], 5)).toBe(false);
    expect(sharesCodePrefix(['fs7'], ['fs726tpna'], 5)).toBe(false);
  });
});
