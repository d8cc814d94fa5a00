import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, damerauLevenshteinWithin } from './damerau-levenshtein';
import { mulberry32, randomInt } from '../scoring/random';

/** Full-matrix optimal string alignment, the textbook recurrence. */
function referenceOsa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

describe('damerauLevenshtein (optimal string alignment)', () => {
  it('counts an adjacent transposition as one edit', () => {
    expect(damerauLevenshtein('abcd', 'acbd')).toBe(1);
    expect(damerauLevenshtein('MARTHA', 'MARHTA')).toBe(1);
    expect(damerauLevenshtein('kitten', 'sitting')).toBe(3);
  });

  it('does not edit a substring twice (CA -> ABC is 3, not 2)', () => {
    expect(damerauLevenshtein('CA', 'ABC')).toBe(3);
  });

  it('stops early past the bound and reports max + 1', () => {
    expect(damerauLevenshtein('kitten', 'sitting', 1)).toBe(2);
    expect(damerauLevenshtein('abcdefgh', 'hgfedcba', 2)).toBe(3);
    expect(damerauLevenshteinWithin('1980-03-04', '1980-03-05', 1)).toBe(true);
    expect(damerauLevenshteinWithin('1980-03-04', '1981-03-05', 1)).toBe(false);
  });

  it('agrees with the full matrix on random strings, bounded or not', () => {
    const next = mulberry32(5);
    const word = () => Array.from({ length: randomInt(next, 14) }, () => 'abc'[randomInt(next, 3)]).join('');
    for (let k = 0; k < 3000; k++) {
      const a = word();
      const b = word();
      const full = referenceOsa(a, b);
      expect(damerauLevenshtein(a, b)).toBe(full);
      expect(damerauLevenshteinWithin(a, b, 2)).toBe(full <= 2);
      for (const max of [0, 1, 2, 4]) expect(damerauLevenshtein(a, b, max)).toBe(Math.min(full, max + 1));
    }
  });
});
