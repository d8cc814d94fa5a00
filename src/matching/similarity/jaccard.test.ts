import { describe, expect, it } from 'vitest';
import { intersectionSize, jaccard, tokenSet, tokenSetContains } from './jaccard';

describe('token sets', () => {
  it('sorts and deduplicates tokens', () => {
    expect(tokenSet('gmbh acme  acme')).toEqual(['acme', 'gmbh']);
    expect(tokenSet(['b', 'a', '', 'b'])).toEqual(['a', 'b']);
  });

  it('computes Jaccard similarity', () => {
    expect(jaccard(['a', 'b', 'c'], ['b', 'c', 'd'])).toBe(0.5);
    expect(jaccard(['a'], ['b'])).toBe(0);
    expect(jaccard(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(jaccard([], [])).toBe(1);
  });

  it('counts shared tokens and containment', () => {
    expect(intersectionSize(tokenSet('x y z'), tokenSet('z y w'))).toBe(2);
    expect(tokenSetContains(['acme'], ['acme', 'gmbh'])).toBe(true);
    expect(tokenSetContains(['acme', 'gmbh'], ['acme'])).toBe(true);
    expect(tokenSetContains(['acme', 'ag'], ['acme', 'gmbh'])).toBe(false);
    expect(tokenSetContains([], ['acme'])).toBe(false);
  });
});
