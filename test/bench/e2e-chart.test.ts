import { describe, expect, it } from 'vitest';
import { e2eChart, niceAxis } from '../../bench/lib/e2e/chart';

const points = [
  { records: 1_000_000, seconds: { sync: 100, resolve: 500 }, peakRssMb: { resolve: 4000 } },
  { records: 100_000, seconds: { sync: 10, resolve: 40 }, peakRssMb: { resolve: 700 } },
  { records: 300_000, seconds: { sync: 30, resolve: 130 }, peakRssMb: { resolve: 1500 } },
];

describe('bench:e2e chart', () => {
  it('rounds axes to 1, 2 or 5 times a power of ten', () => {
    expect(niceAxis(523)).toEqual({ top: 600, step: 200 });
    expect(niceAxis(4200)).toEqual({ top: 5000, step: 1000 });
    expect(niceAxis(0.7)).toEqual({ top: 0.8, step: 0.2 });
    expect(niceAxis(0)).toEqual({ top: 1, step: 0.2 });
  });

  it('draws each series through its points in size order, and the linear reference from the smallest size', () => {
    const svg = e2eChart(points, { linearOf: 'resolve', memoryGoal: { value: 2048, label: 'goal <= 2 GB' } });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    // Time panel: x 80..450 for 0..1M, y 70..400 for 0..600 s (resolve 500 s at 1M is the largest,
    // with the linear reference at 400 s); resolve goes 100k -> 300k -> 1M.
    expect(svg).toContain('points="117,378 191,328.5 450,125"');
    // Linear from 100k (40 s): 400 s at 1M, dashed.
    expect(svg).toContain('stroke-dasharray="6 4" points="80,400 450,180"');
    expect(svg).toContain('linear from 100k (resolve)');
    // Memory panel with the goal line and the sizes on the axis.
    expect(svg).toContain('goal &lt;= 2 GB');
    for (const label of ['>100k<', '>300k<', '>1M<']) expect(svg).toContain(label);
    // Well-formed enough for a browser: every opened element is closed.
    expect((svg.match(/<text/g) ?? []).length).toBe((svg.match(/<\/text>/g) ?? []).length);
  });

  it('refuses an empty chart', () => {
    expect(() => e2eChart([])).toThrow(/no points/);
  });
});
