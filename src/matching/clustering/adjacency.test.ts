import { describe, expect, it } from 'vitest';
import { adjacentValue, buildAdjacency } from './adjacency';
import { ClusterSets } from './cluster-sets';
import { seededRandom } from './test-random';

describe('buildAdjacency', () => {
  it('stores both directions, sorted and deduplicated, for low and high degrees', () => {
    for (const [n, m] of [
      [50, 60],
      [8, 400], // degrees far above the insertion-sort cut-off
    ]) {
      const rnd = seededRandom(n * m);
      const a = new Int32Array(m);
      const b = new Int32Array(m);
      const v = new Float64Array(m);
      const want = new Map<string, number>();
      for (let i = 0; i < m; i++) {
        a[i] = rnd.int(n);
        do b[i] = rnd.int(n);
        while (b[i] === a[i]);
        v[i] = rnd.int(100);
        for (const k of [`${a[i]},${b[i]}`, `${b[i]},${a[i]}`]) want.set(k, Math.max(want.get(k) ?? -1, v[i]));
      }
      const adj = buildAdjacency(n, a, b, v, Math.max);
      const got = new Map<string, number>();
      for (let u = 0; u < n; u++) {
        const list = Array.from(adj.nbr.subarray(adj.start[u], adj.start[u + 1]));
        expect(list).toEqual([...new Set(list)].sort((x, y) => x - y));
        for (let p = adj.start[u]; p < adj.start[u + 1]; p++) got.set(`${u},${adj.nbr[p]}`, adj.value[p]);
      }
      expect(got).toEqual(want);
      for (const [k, w] of want) {
        const [x, y] = k.split(',').map(Number);
        expect(adjacentValue(adj, x, y)).toBe(w);
      }
      expect(adjacentValue(adj, 0, 0)).toBeUndefined();
    }
  });

  it('combines duplicate edges with the given function', () => {
    const adj = buildAdjacency(2, Int32Array.of(0, 1, 0), Int32Array.of(1, 0, 1), Float64Array.of(1, 2, 4), (x, y) => x | y);
    expect(adjacentValue(adj, 0, 1)).toBe(7);
    expect(adjacentValue(adj, 1, 0)).toBe(7);
  });
});

describe('ClusterSets', () => {
  it('merges small into large, keeps labels and member lists consistent', () => {
    const sets = new ClusterSets(6);
    expect(sets.merge(1, 2)).toBe(1); // equal sizes: smaller root id survives
    expect(sets.merge(0, 1)).toBe(1); // larger cluster survives
    sets.merge(4, 5);
    const root = sets.merge(sets.label[4], sets.label[0]);
    expect(root).toBe(1);
    expect([...sets.members(root)].sort()).toEqual([0, 1, 2, 4, 5]);
    expect(sets.size[root]).toBe(5);
    for (const m of [0, 1, 2, 4, 5]) expect(sets.label[m]).toBe(root);
    expect(sets.label[3]).toBe(3);
    expect([...sets.members(3)]).toEqual([3]);
  });
});
