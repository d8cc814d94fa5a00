import { type Candidate, compareCandidates } from './candidate';
import { distinctValues, type Strategy, type StrategyContext, type StrategyName } from './strategy';

/** The winning candidate, the rule that decided its value, and why. */
export interface Decision<V> {
  winner: Candidate<V>;
  strategy: StrategyName | 'onlyValue' | 'tieBreak';
  reason: string;
}

/**
 * Applies an ordered strategy list. The first strategy after which a single distinct value is
 * left decides; the later ones still narrow the records holding that value, which picks the record
 * named in the lineage. What is tied after the last strategy goes to the first candidate by
 * (source, sourceId, recordId), so the result never depends on input order.
 *
 * @example
 * ```ts
 * const d = decide(candidates, [sourcePriority(['erp', 'crm']), mostRecent()], context);
 * d.winner.value; d.strategy; // e.g. 'sourcePriority'
 * ```
 */
export function decide<V>(
  candidates: readonly Candidate<V>[],
  strategies: readonly Strategy[],
  context: StrategyContext,
): Decision<V> {
  if (candidates.length === 0) throw new RangeError(`decide(${context.attribute}): no candidates`);
  let pool = [...candidates].sort(compareCandidates);
  let strategy: Decision<V>['strategy'] | undefined;
  let reason = '';
  if (distinctValues(pool) === 1) {
    strategy = 'onlyValue';
    const first = pool[0].record;
    reason = pool.length === 1 ? `only ${first.source}/${first.sourceId} has a value` : `all ${pool.length} records agree`;
  }
  for (const s of strategies) {
    if (pool.length === 1) break;
    const { kept, reason: why } = s.select(pool, context);
    if (kept.length > 0) pool = kept;
    if (strategy === undefined && distinctValues(pool) === 1) {
      strategy = s.name;
      reason = why ?? s.name;
    }
  }
  if (strategy === undefined) {
    strategy = 'tieBreak';
    const applied = strategies.map((s) => s.name).join(', ') || 'no strategy';
    reason = `${distinctValues(pool)} values still tied after ${applied}; first by source, sourceId`;
  }
  return { winner: pool[0], strategy, reason };
}
