import type { BlockStat, RuleBlockingStats } from './block-stats';
import { KEY_SEPARATOR } from './blocking-keys';
import type { CandidatePairs } from './candidate-pairs';

/** One rule's line of the blocking report. */
export interface RuleBlockingReport extends RuleBlockingStats {
  /** Candidate pairs of this rule and all earlier ones. */
  cumulativePairs: number;
  /** Records sharing a suppressed key, summed over suppressed keys. */
  suppressedRecords: number;
}

/** What `mdm analyze blocking` prints: totals and one entry per rule, in rule order. */
export interface BlockingReport {
  records: number;
  /** All distinct candidate pairs. */
  totalPairs: number;
  /** Pairs a full cross product would compare: n*(n-1)/2. */
  crossProductPairs: number;
  rules: RuleBlockingReport[];
}

/**
 * Builds the blocking report from a candidate-pair run: per rule the pairs
 * attributed to it (and cumulatively), its keys, its largest blocks (at most
 * `top`) and its suppressed generic keys (at most `topSuppressed`).
 *
 * @example
 * ```ts
 * const report = blockingReport(candidatePairs(records, rules));
 * report.rules[0].suppressedKeys; // [{ key: 'N/A', size: 5120 }]
 * ```
 */
export function blockingReport(
  result: CandidatePairs,
  opts: { top?: number; topSuppressed?: number } = {},
): BlockingReport {
  const top = opts.top ?? 10;
  const topSuppressed = opts.topSuppressed ?? 50;
  let cumulative = 0;
  const rules = result.stats.map((s): RuleBlockingReport => {
    cumulative += s.pairs;
    let suppressedRecords = 0;
    for (const b of s.suppressedKeys) suppressedRecords += b.size;
    return {
      ...s,
      largestBlocks: s.largestBlocks.slice(0, top),
      suppressedKeys: s.suppressedKeys.slice(0, topSuppressed),
      cumulativePairs: cumulative,
      suppressedRecords,
    };
  });
  const n = result.records;
  return { records: n, totalPairs: result.count, crossProductPairs: (n * (n - 1)) / 2, rules };
}

/**
 * Renders a blocking report as plain text (key parts shown joined by ` | `).
 *
 * @example
 * ```ts
 * console.log(formatBlockingReport(blockingReport(candidatePairs(records, rules))));
 * // records 1000000, candidate pairs 2431877 (0.00049% of 499999500000)
 * // rule 1 "serial": 812345 pairs (cumulative 812345), 990001 keys, ...
 * ```
 */
export function formatBlockingReport(report: BlockingReport): string {
  const lines: string[] = [];
  const share = report.crossProductPairs > 0 ? (100 * report.totalPairs) / report.crossProductPairs : 0;
  lines.push(
    `records ${report.records}, candidate pairs ${report.totalPairs} (${formatPercent(share)} of ${report.crossProductPairs})`,
  );
  report.rules.forEach((r, i) => {
    lines.push(
      `rule ${i + 1} "${r.rule}": ${r.pairs} pairs (cumulative ${r.cumulativePairs}), ` +
        `${r.keys} keys over ${r.recordsWithKey} records, ${r.comparisons} in-block comparisons, ` +
        `max block size ${r.maxBlockSize}`,
    );
    if (r.largestBlocks.length > 0) lines.push(`  largest blocks: ${r.largestBlocks.map(formatBlock).join(', ')}`);
    if (r.suppressedKeys.length > 0) {
      lines.push(
        `  suppressed generic keys (${r.suppressedRecords} record slots): ${r.suppressedKeys.map(formatBlock).join(', ')}`,
      );
    }
  });
  return lines.join('\n');
}

function formatBlock(b: BlockStat): string {
  return `${JSON.stringify(b.key.split(KEY_SEPARATOR).join(' | '))} (${b.size})`;
}

function formatPercent(p: number): string {
  return p >= 0.01 || p === 0 ? `${p.toFixed(2)}%` : `${p.toPrecision(2)}%`;
}
