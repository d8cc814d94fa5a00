import { ruleBlockStats, type RuleBlockingStats } from './block-stats';
import { buildRuleKeyIndex, type RuleKeyIndex } from './key-index';
import { PairBuffer } from './pair-buffer';
import type { BlockingRule, PreparedRecord } from './types';

/** Default bound on block size: keys shared by more records are generic and suppressed. */
export const DEFAULT_MAX_BLOCK_SIZE = 500;

/** Most rules one run can attribute (rule indexes are stored in a Uint8Array). */
export const MAX_RULES = 256;

export interface CandidatePairOptions {
  /** Generic-key bound for rules without their own `maxBlockSize` (default {@link DEFAULT_MAX_BLOCK_SIZE}). */
  maxBlockSize?: number;
  /** Linking datasets: drop pairs whose two records come from the same source. */
  linkOnly?: boolean;
  /**
   * Incremental resolution: only emit pairs with at least one side in this set.
   * Blocks (and so suppression) are still built over all records, so the result
   * is exactly the full run restricted to pairs touching these ids.
   */
  newIds?: Iterable<number>;
  /** Cap on keys per record and rule (cartesian product of array fields). */
  maxKeysPerRecord?: number;
  /** How many of the largest blocks per rule to keep for the report (default 10). */
  reportTop?: number;
}

/** Distinct candidate pairs in columnar form, plus per-rule statistics. */
export interface CandidatePairs {
  /** Number of pairs. */
  count: number;
  /** Smaller record id of each pair. */
  left: Int32Array;
  /** Larger record id of each pair. */
  right: Int32Array;
  /** Index into the rules of the first rule that produced each pair. */
  rule: Uint8Array;
  /** Rule names, by rule index. */
  ruleNames: string[];
  /** Number of records blocked. */
  records: number;
  /** Per-rule statistics, by rule index. */
  stats: RuleBlockingStats[];
}

/**
 * The distinct candidate pairs (left < right) produced by the blocking rules,
 * each attributed to the first rule, in rule order, that produces it (Splink
 * semantics). Blocks larger than the rule's bound are generic: they yield no
 * pairs and are listed in `stats[k].suppressedKeys`.
 *
 * Dedupe without a global pair set: a pair found in rule k under key q is
 * emitted only if it is that pair's first occurrence, i.e. the two records
 * share no kept key in an earlier rule and no kept key of rule k with a smaller
 * id than q. Each record's key ids per rule are kept sorted, so the test is a
 * merge of a few short lists; memory stays proportional to the output and the
 * result (and its order) is independent of the record array's order.
 *
 * @example
 * ```ts
 * const rules = [{ name: 'serial', on: ['serial'] }, { name: 'postcode', on: ['postcode'] }];
 * const res = candidatePairs(records, rules, { maxBlockSize: 200 });
 * for (let i = 0; i < res.count; i++) console.log(res.left[i], res.right[i], res.ruleNames[res.rule[i]]);
 * ```
 */
export function candidatePairs(
  records: readonly PreparedRecord[],
  rules: readonly BlockingRule[],
  opts: CandidatePairOptions = {},
): CandidatePairs {
  if (rules.length > MAX_RULES) throw new RangeError(`at most ${MAX_RULES} blocking rules, got ${rules.length}`);
  const n = records.length;
  const byId = recordsById(records);
  const source = sourceCodes(byId);
  const isNew = opts.newIds === undefined ? null : newIdMask(n, opts.newIds);
  const defaultBound = opts.maxBlockSize ?? DEFAULT_MAX_BLOCK_SIZE;
  const linkOnly = opts.linkOnly === true;
  const top = opts.reportTop ?? 10;

  const indexes: RuleKeyIndex[] = [];
  const stats: RuleBlockingStats[] = [];
  const out = new PairBuffer();

  for (let k = 0; k < rules.length; k++) {
    const rule = rules[k];
    const index = buildRuleKeyIndex(byId, rule, rule.maxBlockSize ?? defaultBound, opts.maxKeysPerRecord);
    indexes.push(index);
    const before = out.count;
    const { blockStart, blockMembers, suppressed } = index;
    const keyCount = index.keys.length;

    for (let q = 0; q < keyCount; q++) {
      if (suppressed[q]) continue;
      const start = blockStart[q];
      const end = blockStart[q + 1];
      if (end - start < 2) continue;
      if (isNew === null) {
        for (let i = start; i < end; i++) {
          const a = blockMembers[i];
          for (let j = i + 1; j < end; j++) {
            const b = blockMembers[j];
            if (linkOnly && source[a] === source[b]) continue;
            if (foundEarlier(indexes, a, b, k, q)) continue;
            out.push(a, b, k);
          }
        }
      } else {
        for (let i = start; i < end; i++) {
          const a = blockMembers[i];
          if (!isNew[a]) continue;
          for (let j = start; j < end; j++) {
            const b = blockMembers[j];
            // New-new pairs are emitted once, from their smaller id.
            if (b === a || (isNew[b] && b < a)) continue;
            if (linkOnly && source[a] === source[b]) continue;
            const lo = a < b ? a : b;
            const hi = a < b ? b : a;
            if (foundEarlier(indexes, lo, hi, k, q)) continue;
            out.push(lo, hi, k);
          }
        }
      }
    }
    const s = ruleBlockStats(rule.name, index, top);
    s.pairs = out.count - before;
    stats.push(s);
  }

  return {
    count: out.count,
    left: out.left(),
    right: out.right(),
    rule: out.rules(),
    ruleNames: rules.map((r) => r.name),
    records: n,
    stats,
  };
}

/**
 * True when records a and b already met under a kept key of an earlier rule,
 * or of rule k under a key id smaller than q.
 */
function foundEarlier(indexes: readonly RuleKeyIndex[], a: number, b: number, k: number, q: number): boolean {
  for (let r = 0; r <= k; r++) {
    const { recordKeyStart, recordKeys, suppressed } = indexes[r];
    let i = recordKeyStart[a];
    const iEnd = recordKeyStart[a + 1];
    let j = recordKeyStart[b];
    const jEnd = recordKeyStart[b + 1];
    while (i < iEnd && j < jEnd) {
      const x = recordKeys[i];
      const y = recordKeys[j];
      if (x < y) i++;
      else if (x > y) j++;
      else {
        if (r === k && x >= q) break;
        if (!suppressed[x]) return true;
        i++;
        j++;
      }
    }
  }
  return false;
}

function recordsById(records: readonly PreparedRecord[]): PreparedRecord[] {
  const n = records.length;
  const byId = new Array<PreparedRecord>(n);
  for (const record of records) {
    const id = record.id;
    if (!Number.isInteger(id) || id < 0 || id >= n) {
      throw new RangeError(`record id ${id} is not a dense id in 0..${n - 1}`);
    }
    if (byId[id] !== undefined) throw new RangeError(`duplicate record id ${id}`);
    byId[id] = record;
  }
  return byId;
}

function sourceCodes(byId: readonly PreparedRecord[]): Int32Array {
  const codes = new Map<string, number>();
  const out = new Int32Array(byId.length);
  for (let id = 0; id < byId.length; id++) {
    const s = byId[id].source;
    let c = codes.get(s);
    if (c === undefined) {
      c = codes.size;
      codes.set(s, c);
    }
    out[id] = c;
  }
  return out;
}

function newIdMask(n: number, ids: Iterable<number>): Uint8Array {
  const mask = new Uint8Array(n);
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id >= n) throw new RangeError(`new id ${id} is not in 0..${n - 1}`);
    mask[id] = 1;
  }
  return mask;
}
