import { recordTimestamp } from '../source-record';
import { keepHighest, type Strategy } from '../strategy';

/**
 * Most recent (Reltio `LUD`): the value whose record changed last, by `updatedAt`, falling back to
 * `receivedAt` when the source gave no change time.
 *
 * @example
 * ```ts
 * mostRecent().select(candidates, context).kept; // the candidates updated last
 * ```
 */
export function mostRecent(): Strategy {
  return {
    name: 'mostRecent',
    select(candidates) {
      const { kept, best } = keepHighest(candidates, (c) => recordTimestamp(c.record));
      const when = Number.isFinite(best) ? new Date(best).toISOString() : 'never';
      return { kept, reason: `most recently updated (${when}) of ${candidates.length} candidates` };
    },
  };
}
