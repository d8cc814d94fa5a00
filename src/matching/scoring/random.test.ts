import { describe, expect, it } from 'vitest';
import { mulberry32, randomChoice, randomInt } from './random';

describe('mulberry32', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
  });

  it('is roughly uniform in [0, 1)', () => {
    const next = mulberry32(7);
    const buckets = new Array(10).fill(0);
    let outside = 0;
    for (let k = 0; k < 100_000; k++) {
      const x = next();
      if (x < 0 || x >= 1) outside++;
      else buckets[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });

  it('draws integers and weighted choices', () => {
    const next = mulberry32(1);
    const counts = [0, 0, 0];
    const ints = new Set<number>();
    for (let k = 0; k < 30_000; k++) {
      ints.add(randomInt(next, 3));
      counts[randomChoice(next, [0.7, 0.2, 0.1])]++;
    }
    expect([...ints].sort()).toEqual([0, 1, 2]);
    expect(counts[0] / 30_000).toBeCloseTo(0.7, 1);
    expect(counts[2] / 30_000).toBeCloseTo(0.1, 1);
  });
});
