import { describe, expect, it } from 'vitest';
import { levenshtein, levenshteinWithin } from './levenshtein';

describe('levenshtein', () => {
  it('counts edits', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('flaw', 'lawn')).toBe(2);
    expect(levenshtein('', 'abc')).toBe(3);
    expect(levenshtein('same', 'same')).toBe(0);
  });

  it('bounds the distance', () => {
    expect(levenshteinWithin('kitten', 'sitting', 3)).toBe(true);
    expect(levenshteinWithin('kitten', 'sitting', 2)).toBe(false);
    expect(levenshteinWithin('a', 'abcd', 2)).toBe(false);
    expect(levenshteinWithin('abc', 'abc', 0)).toBe(true);
  });
});
