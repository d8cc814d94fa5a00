import type { Candidate } from './candidate';

/** The selection strategies a survivorship rule list may name (besides `aggregate`). */
export type StrategyName = 'sourcePriority' | 'trustDecay' | 'mostRecent' | 'mostFrequent' | 'mostComplete';

/** What a strategy may read besides the candidates: the attribute and the clock's now. */
export interface StrategyContext {
  /** The attribute (or group name) being survived; used in reasons only. */
  readonly attribute: string;
  readonly now: Date;
}

/** The candidates a strategy keeps (a non-empty subset, in input order) and why. */
export interface Selection<V> {
  kept: Candidate<V>[];
  reason?: string;
}

/**
 * One survivorship strategy: it narrows the candidates to the best ones it can tell apart and
 * keeps all of them when it cannot decide. Rules are applied as an ordered list; the first one that
 * leaves a single distinct value decides, the later ones only break ties among what is left.
 *
 * Contract: given a non-empty list in deterministic order, return a non-empty subset in the same
 * order. Strategies are pure and hold only their configuration.
 *
 * @example
 * ```ts
 * const s = sourcePriority(['erp', 'crm']);
 * s.select(candidates, { attribute: 'price', now: clock.now() }).kept; // the ERP candidates
 * ```
 */
export interface Strategy {
  readonly name: StrategyName;
  select<V>(candidates: readonly Candidate<V>[], context: StrategyContext): Selection<V>;
}

/**
 * Keeps the candidates with the highest score (within a relative tolerance of 1e-9 so that float
 * noise never breaks a genuine tie). Shared by the scoring strategies.
 *
 * @example
 * ```ts
 * keepHighest(candidates, (c) => c.key.length).kept; // the candidates with the longest key
 * ```
 */
export function keepHighest<V>(
  candidates: readonly Candidate<V>[],
  score: (candidate: Candidate<V>) => number,
): { kept: Candidate<V>[]; best: number; runnerUp: number | undefined } {
  const scores = candidates.map(score);
  const best = Math.max(...scores);
  const tolerance = Number.isFinite(best) ? Math.max(Math.abs(best), 1) * 1e-9 : 0;
  const isBest = (s: number) => s === best || best - s <= tolerance;
  const kept = candidates.filter((_, i) => isBest(scores[i]));
  const others = scores.filter((s) => !isBest(s));
  return { kept, best, runnerUp: others.length > 0 ? Math.max(...others) : undefined };
}

/**
 * The number of distinct values (by key) among candidates.
 *
 * @example
 * ```ts
 * distinctValues([{ key: 'a' }, { key: 'a' }, { key: 'b' }] as Candidate[]); // 2
 * ```
 */
export function distinctValues(candidates: readonly Candidate[]): number {
  return new Set(candidates.map((c) => c.key)).size;
}
