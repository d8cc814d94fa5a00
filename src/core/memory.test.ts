import { describe, expect, it } from 'vitest';
import { collectGarbage } from './memory';

describe('collectGarbage', () => {
  it('frees what nothing references any more, at once', () => {
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    let held: Array<{ n: number; s: string }> | undefined = Array.from({ length: 400_000 }, (_, n) => ({ n, s: `value ${n}` }));
    const holding = process.memoryUsage().heapUsed;
    expect(holding - before).toBeGreaterThan(20 * 1024 * 1024);
    expect(held.length).toBe(400_000);
    held = undefined;
    collectGarbage();
    collectGarbage(); // the function is kept after the first call
    expect(process.memoryUsage().heapUsed - before).toBeLessThan((holding - before) / 4);
  });
});
