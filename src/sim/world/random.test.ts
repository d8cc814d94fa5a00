import { describe, expect, it } from 'vitest';
import { affinePermutation, cumulate, hashKeys, Rng, seedToUint32 } from './random';

describe('Rng', () => {
  it('is deterministic per stream and differs between streams', () => {
    const a = new Rng(42, 1);
    const b = new Rng(42, 1);
    const c = new Rng(42, 2);
    const xs = Array.from({ length: 20 }, () => a.uint32());
    expect(Array.from({ length: 20 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c.uint32())).not.toEqual(xs);
    a.reseed(42, 1);
    expect(a.uint32()).toBe(xs[0]);
  });

  it('draws uniform floats and integers in range', () => {
    const rng = new Rng(7);
    const counts = new Array(6).fill(0);
    let min = 1;
    let max = 0;
    for (let i = 0; i < 60_000; i++) {
      const f = rng.float();
      min = Math.min(min, f);
      max = Math.max(max, f);
      counts[rng.int(6)]++;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    for (const n of counts) expect(Math.abs(n - 10_000)).toBeLessThan(600);
    for (let i = 0; i < 1000; i++) {
      const r = rng.range(3, 5);
      expect(r >= 3 && r <= 5).toBe(true);
    }
  });

  it('picks by cumulative weight', () => {
    const rng = new Rng(1);
    const cum = cumulate([1, 3]);
    let ones = 0;
    for (let i = 0; i < 40_000; i++) ones += rng.weightedIndex(cum);
    expect(ones / 40_000).toBeGreaterThan(0.72);
    expect(ones / 40_000).toBeLessThan(0.78);
  });

  it('hashes seeds and keys stably', () => {
    expect(seedToUint32(42)).toBe(seedToUint32(42));
    expect(seedToUint32('42')).not.toBe(seedToUint32(43));
    expect(seedToUint32(2 ** 32 + 1)).not.toBe(seedToUint32(1));
    expect(hashKeys(1, 2, 3)).not.toBe(hashKeys(1, 3, 2));
  });
});

describe('affinePermutation', () => {
  it('is a bijection of [0, space)', () => {
    for (const space of [1000, 9000, 1e4]) {
      const perm = affinePermutation(space, 5);
      const seen = new Set<number>();
      for (let i = 0; i < space; i++) seen.add(perm(i));
      expect(seen.size).toBe(space);
      expect(Math.min(...seen)).toBe(0);
      expect(Math.max(...seen)).toBe(space - 1);
    }
  });

  it('stays exact for large spaces', () => {
    const perm = affinePermutation(1e9, 3);
    const values = new Set<number>();
    for (let i = 999_000_000; i < 999_001_000; i++) {
      const v = perm(i);
      expect(Number.isInteger(v) && v >= 0 && v < 1e9).toBe(true);
      values.add(v);
    }
    expect(values.size).toBe(1000);
  });
});
