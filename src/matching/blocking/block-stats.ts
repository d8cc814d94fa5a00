import type { RuleKeyIndex } from './key-index';

/** One block: its key and how many records share it. */
export interface BlockStat {
  key: string;
  size: number;
}

/** What one rule's blocking did; the raw material of the blocking report. */
export interface RuleBlockingStats {
  /** Rule name from the match model. */
  rule: string;
  /** Block size bound applied to this rule (larger blocks are suppressed). */
  maxBlockSize: number;
  /** Distinct keys, suppressed ones included. */
  keys: number;
  /** Records yielding at least one key. */
  recordsWithKey: number;
  /** Within-block pairs of the kept blocks before cross-rule dedupe (sum of size*(size-1)/2). */
  comparisons: number;
  /** Distinct candidate pairs attributed to this rule (first rule that found them). */
  pairs: number;
  /** The largest kept blocks, largest first. */
  largestBlocks: BlockStat[];
  /** Every suppressed (generic) key, largest first. */
  suppressedKeys: BlockStat[];
}

/**
 * Summarizes an index: counts, the `top` largest kept blocks and all
 * suppressed keys (ties ordered by key). `pairs` is left at 0 for the caller.
 *
 * @example
 * ```ts
 * const stats = ruleBlockStats('postcode', buildRuleKeyIndex(byId, rule, 500), 10);
 * stats.suppressedKeys; // [{ key: '00000', size: 1234 }]
 * ```
 */
export function ruleBlockStats(rule: string, index: RuleKeyIndex, top: number): RuleBlockingStats {
  const { keys, blockStart, suppressed, recordKeyStart } = index;
  const largest: BlockStat[] = [];
  const generic: BlockStat[] = [];
  let comparisons = 0;
  for (let k = 0; k < keys.length; k++) {
    const size = blockStart[k + 1] - blockStart[k];
    if (suppressed[k]) {
      generic.push({ key: keys[k], size });
      continue;
    }
    comparisons += (size * (size - 1)) / 2;
    if (top > 0 && size > 1 && (largest.length < top || size > largest[largest.length - 1].size)) {
      insertBySize(largest, { key: keys[k], size });
      if (largest.length > top) largest.pop();
    }
  }
  generic.sort(bySizeThenKey);
  let recordsWithKey = 0;
  for (let id = 0; id + 1 < recordKeyStart.length; id++) {
    if (recordKeyStart[id + 1] > recordKeyStart[id]) recordsWithKey++;
  }
  return {
    rule,
    maxBlockSize: index.maxBlockSize,
    keys: keys.length,
    recordsWithKey,
    comparisons,
    pairs: 0,
    largestBlocks: largest,
    suppressedKeys: generic,
  };
}

function bySizeThenKey(a: BlockStat, b: BlockStat): number {
  return b.size - a.size || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

function insertBySize(list: BlockStat[], item: BlockStat): void {
  let i = list.length;
  while (i > 0 && bySizeThenKey(item, list[i - 1]) < 0) i--;
  list.splice(i, 0, item);
}
