import { describe, expect, it } from 'vitest';
import { competitionAdjustments } from './competition';

const thresholds = { autoMerge: 6, review: 0 };

describe('competing candidates across sources', () => {
  it('demotes the weaker of two candidates of one source to the review threshold', () => {
    // a (source 0) has b1 (20 bits) and b2 (12 bits) in source 1; b1 and b2 are not duplicates.
    // Exclusive posterior: odds(a, b) / (1 + odds of the other candidates).
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 1, 1),
      left: Int32Array.of(0, 0),
      right: Int32Array.of(1, 2),
      weight: Float64Array.of(20, 12),
      count: 2,
      thresholds,
    });
    // The winner keeps odds 2^20 / (1 + 2^12): still far above auto-merge.
    expect(20 - adjust[0]).toBeCloseTo(8, 2);
    expect(12 - adjust[1]).toBe(0);
  });

  it('does not let duplicates of the partner compete', () => {
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 1, 1),
      left: Int32Array.of(0, 0, 1),
      right: Int32Array.of(1, 2, 2),
      weight: Float64Array.of(20, 12, 15),
      count: 3,
      thresholds,
    });
    expect([...adjust]).toEqual([0, 0, 0]);
  });

  it('changes nothing within one source (deduplication)', () => {
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 0, 0),
      left: Int32Array.of(0, 0),
      right: Int32Array.of(1, 2),
      weight: Float64Array.of(20, 12),
      count: 2,
      thresholds,
    });
    expect([...adjust]).toEqual([0, 0]);
  });

  it('lowers both of two equally good candidates (ambiguous)', () => {
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 1, 1),
      left: Int32Array.of(0, 0),
      right: Int32Array.of(1, 2),
      weight: Float64Array.of(10, 10),
      count: 2,
      thresholds,
    });
    expect(10 - adjust[0]).toBeLessThan(thresholds.autoMerge);
    expect(10 - adjust[1]).toBeLessThan(thresholds.autoMerge);
  });
});
