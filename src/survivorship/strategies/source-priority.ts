import type { Strategy } from '../strategy';

/**
 * Source priority (Reltio `SRC_SYS`): the candidates from the first listed source that has a
 * value win. Sources not in the list rank after every listed one, equal among themselves.
 *
 * @example
 * ```ts
 * sourcePriority(['erp', 'crm', 'fsm']).select(candidates, context).kept; // ERP's, else CRM's, ...
 * ```
 */
export function sourcePriority(sources: readonly string[]): Strategy {
  const rank = new Map(sources.map((source, i) => [source, i]));
  const order = sources.join(' > ');
  return {
    name: 'sourcePriority',
    select(candidates) {
      const ranks = candidates.map((c) => rank.get(c.record.source) ?? sources.length);
      const best = Math.min(...ranks);
      const kept = candidates.filter((_, i) => ranks[i] === best);
      const reason =
        best < sources.length
          ? `source ${sources[best]} ranks ${best + 1} of ${order}`
          : `no candidate from a listed source (${order})`;
      return { kept, reason };
    },
  };
}
