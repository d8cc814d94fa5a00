import { describe, expect, it } from 'vitest';
import { clusterPairs } from './cluster-pairs';
import { seededRandom, type SeededRandom } from './test-random';
import type { ClusteringThresholds, ReviewPair, ScoredPair } from './types';

const T: ClusteringThresholds = { autoMerge: 10, review: 3 };

interface Planted {
  n: number;
  entityOf: number[];
  entities: number[][];
  pairs: ScoredPair[];
  bridges: ScoredPair[];
  middle: ScoredPair[];
}

/**
 * Planted entities (cliques of strong pairs, weights 15..25) plus noise:
 * strong false bridges between entities (10..14.9) that always come with a
 * clearly different pair between the same two entities, pairs between the
 * thresholds, weak pairs below review. Bridges are weaker than every true pair,
 * so each entity is complete before any bridge is looked at; every bridge must
 * then be refused. Expected: clusters = entities; review = bridges
 * ('clearly-different') + cross-entity middle pairs ('between-thresholds').
 */
function planted(rnd: SeededRandom, entityCount: number): Planted {
  const sizes = Array.from({ length: entityCount }, () => 1 + rnd.int(7));
  const n = sizes.reduce((s, x) => s + x, 0);
  // Members are scattered over the id space.
  const ids = rnd.shuffle(Array.from({ length: n }, (_, i) => i));
  const entities: number[][] = [];
  let next = 0;
  for (const size of sizes) {
    entities.push(ids.slice(next, next + size).sort((a, b) => a - b));
    next += size;
  }
  const entityOf: number[] = [];
  entities.forEach((members, e) => members.forEach((id) => (entityOf[id] = e)));
  const pairs: ScoredPair[] = [];
  for (const members of entities) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        pairs.push({ left: members[i], right: members[j], weight: 15 + rnd.next() * 10 });
      }
    }
  }
  const seen = new Set<string>(pairs.map((q) => `${Math.min(q.left, q.right)},${Math.max(q.left, q.right)}`));
  const fresh = (a: number, b: number): boolean => {
    const key = `${Math.min(a, b)},${Math.max(a, b)}`;
    if (a === b || seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const bridges: ScoredPair[] = [];
  const middle: ScoredPair[] = [];
  for (let t = 0; t < entityCount; t++) {
    const p = entities[rnd.int(entities.length)];
    const q = entities[rnd.int(entities.length)];
    if (p === q || p.length * q.length < 2) continue;
    const bridge = { left: rnd.pick(p), right: rnd.pick(q), weight: 10 + rnd.next() * 4.9 };
    let veto: ScoredPair | null = null;
    for (let tries = 0; tries < 10 && veto === null; tries++) {
      const a = rnd.pick(p);
      const b = rnd.pick(q);
      if (!(a === bridge.left && b === bridge.right) && !seen.has(`${Math.min(a, b)},${Math.max(a, b)}`)) {
        veto = { left: a, right: b, weight: -6 - rnd.next() * 15 };
      }
    }
    if (veto === null || !fresh(bridge.left, bridge.right) || !fresh(veto.left, veto.right)) continue;
    bridges.push(bridge);
    pairs.push(bridge, veto);
  }
  for (let t = 0; t < entityCount * 2; t++) {
    const a = rnd.int(n);
    const b = rnd.int(n);
    if (entityOf[a] === entityOf[b] || !fresh(a, b)) continue;
    const weight = rnd.next() < 0.5 ? 3 + rnd.next() * 6.9 : -4 + rnd.next() * 6.9;
    const pair = { left: a, right: b, weight };
    pairs.push(pair);
    if (weight >= T.review) middle.push(pair);
  }
  return { n, entityOf, entities, pairs, bridges, middle };
}

const norm = (r: { left: number; right: number; weight: number }, reason: ReviewPair['reason']): ReviewPair => ({
  left: Math.min(r.left, r.right),
  right: Math.max(r.left, r.right),
  weight: r.weight,
  reason,
});
const byKey = (a: ReviewPair, b: ReviewPair) => a.left - b.left || a.right - b.right;

/** Plain connected components over pairs >= threshold (what chaining would give). */
function connectedComponents(n: number, pairs: ScoredPair[], threshold: number): number {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  for (const q of pairs) if (q.weight >= threshold) parent[find(q.left)] = find(q.right);
  return new Set(parent.map((_, i) => find(i))).size;
}

describe('clusterPairs on planted clusters with noise', () => {
  it('recovers the planted entities and reviews exactly the noise that crosses them', () => {
    let chainedRuns = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = seededRandom(seed);
      const world = planted(rnd, 150);
      const res = clusterPairs({ n: world.n, pairs: rnd.shuffle([...world.pairs]), thresholds: T });
      expect(res.clusters, `seed ${seed}`).toEqual([...world.entities].sort((a, b) => a[0] - b[0]));
      const expectedReview = [
        ...world.bridges.map((b) => norm(b, 'clearly-different')),
        ...world.middle.map((m) => norm(m, 'between-thresholds')),
      ].sort(byKey);
      expect([...res.review].sort(byKey), `seed ${seed}`).toEqual(expectedReview);
      if (connectedComponents(world.n, world.pairs, T.autoMerge) < world.entities.length) chainedRuns++;
    }
    // The noise is real: connected components would have chained entities in these worlds.
    expect(chainedRuns).toBe(20);
  });
});

describe('clusterPairs invariants on random graphs', () => {
  it('never violates constraints, vetoes or the review contract', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = seededRandom(500 + seed);
      const n = 20 + rnd.int(120);
      const pairs: ScoredPair[] = [];
      const m = n * (1 + rnd.int(4));
      for (let i = 0; i < m; i++) {
        // Chains are likely: neighbouring ids tend to score high.
        const a = rnd.int(n);
        const b = rnd.next() < 0.6 ? Math.min(n - 1, a + 1 + rnd.int(3)) : rnd.int(n);
        pairs.push({ left: a, right: b, weight: Math.round((rnd.next() * 40 - 15) * 4) / 4 });
      }
      const pick = (k: number) => Array.from({ length: k }, (): [number, number] => [rnd.int(n), rnd.int(n)]);
      const cannotLink = pick(rnd.int(8));
      const hardNegatives = pick(rnd.int(8));
      const res = clusterPairs({ n, pairs, thresholds: T, cannotLink, hardNegatives });
      const of = res.clusterOf;

      expect(res.clusters.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      for (const [a, b] of [...cannotLink, ...hardNegatives]) if (a !== b) expect(of[a]).not.toBe(of[b]);

      // Best weight per pair (duplicates keep the highest).
      const best = new Map<string, number>();
      for (const q of pairs) {
        if (q.left === q.right) continue;
        const key = `${Math.min(q.left, q.right)},${Math.max(q.left, q.right)}`;
        best.set(key, Math.max(best.get(key) ?? -Infinity, q.weight));
      }
      const steward = new Set(cannotLink.map(([a, b]) => `${Math.min(a, b)},${Math.max(a, b)}`));
      const reviewed = new Set(res.review.map((r) => `${r.left},${r.right}`));
      for (const [key, w] of best) {
        const [a, b] = key.split(',').map(Number);
        // No clearly different pair inside an automatically built cluster.
        if (of[a] === of[b]) expect(w).toBeGreaterThanOrEqual(-5);
        // Every pair >= review that ends across clusters is reviewed, unless a steward separated it.
        const shouldReview = w >= T.review && of[a] !== of[b] && !steward.has(key);
        expect(reviewed.has(key), `seed ${seed} pair ${key} w ${w}`).toBe(shouldReview);
      }
      for (const r of res.review) {
        expect(r.left).toBeLessThan(r.right);
        expect(r.reason === 'between-thresholds').toBe(r.weight < T.autoMerge);
      }
    }
  });
});

/**
 * A direct, quadratic transcription of the semantics (no indexes, no caches,
 * plain arrays of members), to check the fast implementation against.
 */
function referenceClustering(
  n: number,
  pairs: ScoredPair[],
  mustLink: [number, number][],
  cannotLink: [number, number][],
  hardNegatives: [number, number][],
  unscoredWeight: number | null,
) {
  const key = (a: number, b: number) => `${Math.min(a, b)},${Math.max(a, b)}`;
  const weight = new Map<string, number>();
  for (const q of pairs) {
    if (q.left === q.right) continue;
    const k = key(q.left, q.right);
    weight.set(k, Math.max(weight.get(k) ?? -Infinity, q.weight));
  }
  const steward = new Set(cannotLink.filter(([a, b]) => a !== b).map(([a, b]) => key(a, b)));
  const hard = new Set(hardNegatives.filter(([a, b]) => a !== b).map(([a, b]) => key(a, b)));
  const cluster = Array.from({ length: n }, (_, i) => [i]);
  const of = Array.from({ length: n }, (_, i) => i);
  const join = (x: number, y: number) => {
    for (const m of cluster[y]) of[m] = x;
    cluster[x].push(...cluster[y]);
    cluster[y] = [];
  };
  const cross = (x: number, y: number) => cluster[x].flatMap((a) => cluster[y].map((b) => key(a, b)));

  const conflicts: string[] = [];
  const ml = mustLink.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [a, b] of ml) {
    if (of[a] === of[b]) continue;
    if (cross(of[a], of[b]).some((k) => steward.has(k))) conflicts.push(key(a, b));
    else join(of[a], of[b]);
  }
  const edges = [...weight.entries()].map(([k, w]) => ({ k, a: Number(k.split(',')[0]), b: Number(k.split(',')[1]), w }));
  edges.sort((p, q) => q.w - p.w || p.a - q.a || p.b - q.b);
  const reason = new Map<string, ReviewPair['reason']>();
  for (const e of edges) {
    if (e.w < T.autoMerge) break;
    const x = of[e.a];
    const y = of[e.b];
    if (x === y) continue;
    const ks = cross(x, y);
    let verdict: ReviewPair['reason'] | null = null;
    if (ks.some((k) => steward.has(k) || hard.has(k))) verdict = 'cannot-link';
    else if (ks.some((k) => (weight.get(k) ?? 0) < -5)) verdict = 'clearly-different';
    else {
      const scored = ks.filter((k) => weight.has(k)).map((k) => weight.get(k)!);
      const sum = scored.reduce((s, w) => s + w, 0);
      const mean =
        unscoredWeight === null ? sum / scored.length : (sum + unscoredWeight * (ks.length - scored.length)) / ks.length;
      if (mean < T.review) verdict = 'weak-linkage';
    }
    if (verdict === null) join(x, y);
    else reason.set(e.k, verdict);
  }
  const review: ReviewPair[] = [];
  for (const e of edges) {
    if (e.w < T.review || of[e.a] === of[e.b] || steward.has(e.k)) continue;
    review.push({ left: e.a, right: e.b, weight: e.w, reason: e.w >= T.autoMerge ? reason.get(e.k)! : 'between-thresholds' });
  }
  const clusters = cluster.filter((c) => c.length > 0).map((c) => c.sort((a, b) => a - b));
  clusters.sort((p, q) => p[0] - q[0]);
  return { clusters, review, conflicts };
}

describe('clusterPairs against a quadratic reference', () => {
  it('agrees on random graphs with constraints (seeded)', () => {
    let merged = 0;
    let refused = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = seededRandom(9000 + seed);
      const n = 10 + rnd.int(90);
      const pairs: ScoredPair[] = [];
      const m = n * (1 + rnd.int(5));
      for (let i = 0; i < m; i++) {
        const a = rnd.int(n);
        const b = rnd.next() < 0.7 ? Math.min(n - 1, a + 1 + rnd.int(4)) : rnd.int(n);
        // Quarter steps keep every sum exact, so summation order cannot matter.
        const w = Math.round((rnd.next() * 36 - 12) * 4) / 4;
        pairs.push({ left: a, right: b, weight: w });
      }
      const pick = (k: number) => Array.from({ length: k }, (): [number, number] => [rnd.int(n), rnd.int(n)]);
      const mustLink = pick(rnd.int(6));
      const cannotLink = pick(rnd.int(6));
      const hardNegatives = pick(rnd.int(6));
      const unscoredWeight = rnd.next() < 0.3 ? rnd.pick([0, 2, -4]) : null;
      const got = clusterPairs({ n, pairs, thresholds: T, mustLink, cannotLink, hardNegatives, unscoredWeight });
      const want = referenceClustering(n, pairs, mustLink, cannotLink, hardNegatives, unscoredWeight);
      expect(got.clusters, `seed ${seed}`).toEqual(want.clusters);
      expect(got.review, `seed ${seed}`).toEqual(want.review);
      expect(got.conflicts.map((c) => `${c.mustLink[0]},${c.mustLink[1]}`)).toEqual(want.conflicts);
      merged += n - got.clusters.length;
      refused += got.review.filter((r) => r.reason !== 'between-thresholds').length;
    }
    // Guard against a vacuous comparison: both merges and refusals happened.
    expect(merged).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(50);
  });
});
