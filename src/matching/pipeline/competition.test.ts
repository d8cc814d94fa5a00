import { describe, expect, it } from 'vitest';
import { competitionAdjustments, estimateOverlaps, MAX_OVERLAP, pairKey } from './competition';

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

  it('does not let a candidate a steward declared not a match compete', () => {
    const input = {
      source: Int32Array.of(0, 1, 1),
      left: Int32Array.of(0, 0),
      right: Int32Array.of(1, 2),
      weight: Float64Array.of(20, 12),
      count: 2,
      thresholds,
    };
    expect(12 - competitionAdjustments(input)[1]).toBe(0);
    const adjust = competitionAdjustments({ ...input, cannotLink: new Set([pairKey(1, 0, 3)]) });
    // b1 cannot be a's match: b2 is a's only candidate and keeps its weight (the pair of a and b1 is cut by clustering, whatever its weight).
    expect(adjust[1]).toBe(0);
    expect(20 - adjust[0]).toBeCloseTo(8, 2);
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

  it('lets each other\'s only plausible candidate gain the overlap of their sources, and no one else', () => {
    // a0-b0: only candidates of each other (3 bits, in review). a1 has b1 (3 bits) and a weaker b2
    // (-1 bit, below review but plausible). With 80% of each source matched in the other:
    const input = {
      source: Int32Array.of(0, 0, 1, 1, 1),
      left: Int32Array.of(0, 1, 1),
      right: Int32Array.of(2, 3, 4),
      weight: Float64Array.of(3, 3, -1),
      count: 3,
      thresholds,
      overlap: [[0, 0.8], [0.8, 0]],
    };
    const adjust = competitionAdjustments(input);
    // odds' = odds / (1 - 0.8): a gain of log2(5) = 2.32 bits, to 5.32.
    expect(adjust[0]).toBeCloseTo(-Math.log2(5), 10);
    // a1's other candidate counts too: odds / (0.2 + 2^-1), a gain of log2(1 / 0.7) only.
    expect(adjust[1]).toBeCloseTo(Math.log2(0.7), 10);
    // Below review: untouched.
    expect(adjust[2]).toBe(0);
    // Without overlap, nothing is gained (competition only demotes).
    expect([...competitionAdjustments({ ...input, overlap: undefined })]).toEqual([0, 0, 0]);
    // The smaller gain of the two directions applies: from b0's side only 10% of source 1 is matched.
    const oneSided = competitionAdjustments({ ...input, overlap: [[0, 0.8], [0.1, 0]] });
    expect(oneSided[0]).toBeCloseTo(Math.log2(0.9), 10);
  });

  it('still demotes the loser when its sources overlap', () => {
    const adjust = competitionAdjustments({
      source: Int32Array.of(0, 1, 1),
      left: Int32Array.of(0, 0),
      right: Int32Array.of(1, 2),
      weight: Float64Array.of(20, 12),
      count: 2,
      thresholds,
      overlap: [[0, 0.9], [0.9, 0]],
    });
    // The winner gains little (its competitor's odds dwarf 1 - overlap); the loser drops to review.
    expect(adjust[0]).toBeGreaterThan(0);
    expect(12 - adjust[1]).toBe(0);
  });
});

describe('overlap between sources', () => {
  it('is the mean posterior of each record\'s best candidate in the other source, capped', () => {
    // Source 0: three records; the first has candidates at 0 bits (p 0.5) and 2 bits (p 0.8) in
    // source 1, the second one at -2 bits (p 0.2), the third none. Source 1: two records.
    const overlap = estimateOverlaps(
      Int32Array.of(0, 0, 0, 1, 1),
      Int32Array.of(0, 0, 1),
      Int32Array.of(3, 4, 3),
      Float64Array.of(0, 2, -2),
      3,
    );
    expect(overlap[0][0]).toBe(0);
    expect(overlap[0][1]).toBeCloseTo((0.8 + 0.2) / 3, 10);
    // Record 3's best is 0.5 (not 0.2), record 4's is 0.8: (0.5 + 0.8) / 2 = 0.65.
    expect(overlap[1][0]).toBeCloseTo(0.65, 10);
    // Certain pairs everywhere: capped.
    const sure = estimateOverlaps(Int32Array.of(0, 1), Int32Array.of(0), Int32Array.of(1), Float64Array.of(40), 1);
    expect(sure).toEqual([[0, MAX_OVERLAP], [MAX_OVERLAP, 0]]);
    // Pairs within one source say nothing about another.
    expect(estimateOverlaps(Int32Array.of(0, 0, 1), Int32Array.of(0), Int32Array.of(1), Float64Array.of(40), 1)).toEqual([[0, 0], [0, 0]]);
  });
});
