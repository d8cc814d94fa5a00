import { type Candidate, compareCandidates } from '../candidate';
import { decide } from '../decide';
import { type GoldenAggregate, recordLineage } from '../golden-attribute';
import type { Strategy, StrategyContext } from '../strategy';

/**
 * Aggregate (Reltio `Aggregation`): every distinct value survives (phones, emails), de-duplicated
 * by normalized key, each with the lineage of one record holding it. The values are ordered by
 * the rules that follow `aggregate` in the list: the first value is the one those rules would pick
 * alone, the second is their pick among the rest, and so on. The record named for a value is the
 * one the same rules prefer among the records holding it.
 *
 * @example
 * ```ts
 * aggregateValues(candidates, [sourcePriority(['crm', 'erp'])], context).values.map((v) => v.value);
 * // ['+49 711 123456', '+49 711 999000']
 * ```
 */
export function aggregateValues(
  candidates: readonly Candidate[],
  strategies: readonly Strategy[],
  context: StrategyContext,
): GoldenAggregate {
  let pool = [...candidates].sort(compareCandidates);
  const total = new Set(pool.map((c) => c.key)).size;
  const values: GoldenAggregate['values'] = [];
  while (pool.length > 0) {
    const { winner, strategy } = decide(pool, strategies, context);
    const holders = pool.filter((c) => c.key === winner.key && c.record !== winner.record);
    const also = [...new Set(holders.map((c) => `${c.record.source}/${c.record.sourceId}`))];
    let reason = `value ${values.length + 1} of ${total}`;
    if (total - values.length > 1) reason += `, ordered by ${strategy}`;
    if (also.length > 0) reason += `; also from ${also.join(', ')}`;
    values.push({ value: winner.value, lineage: recordLineage(winner.record, 'aggregate', reason) });
    pool = pool.filter((c) => c.key !== winner.key);
  }
  return { values };
}
