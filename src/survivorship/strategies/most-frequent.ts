import { keepHighest, type Strategy } from '../strategy';

/**
 * Most frequent (Reltio `Frequency`): the value held by the most records, compared by normalized
 * key (case- and whitespace-insensitive for strings; `compact` attributes ignore separators too).
 *
 * @example
 * ```ts
 * // 'Stuttgart' (erp), 'STUTTGART ' (fsm), 'Stutgart' (crm)
 * mostFrequent().select(candidates, context).kept; // the erp and fsm candidates
 * ```
 */
export function mostFrequent(): Strategy {
  return {
    name: 'mostFrequent',
    select(candidates) {
      const counts = new Map<string, number>();
      for (const c of candidates) counts.set(c.key, (counts.get(c.key) ?? 0) + 1);
      const { kept, best } = keepHighest(candidates, (c) => counts.get(c.key) ?? 0);
      return { kept, reason: `held by ${best} of ${candidates.length} records` };
    },
  };
}
