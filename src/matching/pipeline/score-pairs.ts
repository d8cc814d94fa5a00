/*
 * The scoring step as a port: the pipeline hands a self-contained task (model, term-frequency
 * tables, prepared records, pair columns) to an executor and gets back what the comparisons found
 * for each pair (its level vector and rule outcomes). The default runs in this thread; a service
 * can post the same task to worker threads (it is structured-clone friendly, the result is typed
 * arrays that transfer) and split the pair range among them.
 *
 * The comparisons are the expensive part and do not depend on the prior, so they run once: the
 * prior is estimated from the vectors, and `weighPairs` then adds up each pair's weight from its
 * vector in exactly the order `scoreWeight` does (the same floating-point result).
 */

import type { PreparedRecord } from '../model/prepared-record';
import type { MatchModel } from '../model/schema';
import { type CompiledModel, compileModel, RULE_CONFLICT, RULE_EQUAL, RULE_UNSURE } from '../scoring/compare';
import { createWeightResult, scoreWeight } from '../scoring/score';
import type { TermFrequencyTable } from '../scoring/term-frequency';
import type { LevelVectors } from '../scoring/vectors';

/** Everything needed to compare pairs, as plain data. */
export interface ScoreTask {
  model: MatchModel;
  termFrequencies: Record<string, TermFrequencyTable>;
  /** Prepared records; `records[i].id === i`. */
  records: PreparedRecord[];
  /** Pair columns: indices into `records`. */
  left: Int32Array;
  right: Int32Array;
}

/** Flag bits per pair in `PairWeights.flags`. */
export const PAIR_HARD_NEGATIVE = 1;
export const PAIR_DETERMINISTIC_MATCH = 2;
/** Identifiers conflict under a rule with `reviewConflicts: false`: never listed for review. */
export const PAIR_UNREVIEWED = 4;

/** Level vectors of a task's pairs (row-major, `comparisonCount` levels and `ruleCount` rule outcomes per pair). */
export type ScoreTaskResult = LevelVectors;

export interface PairWeights {
  /** Total match weight per pair, in bits. */
  weight: Float64Array;
  /** PAIR_HARD_NEGATIVE | PAIR_DETERMINISTIC_MATCH | PAIR_UNREVIEWED per pair. */
  flags: Uint8Array;
}

/** Compares a task's pairs; may run anywhere (this thread, a worker pool). */
export type ScorePairsExecutor = (task: ScoreTask) => ScoreTaskResult | Promise<ScoreTaskResult>;

/**
 * Level vectors of pairs `from` (inclusive) to `to` (exclusive) of a task; what a worker runs on its slice.
 *
 * @example
 * ```ts
 * const part = scorePairRange(task, 0, task.left.length / 2);
 * ```
 */
export function scorePairRange(task: ScoreTask, from = 0, to = task.left.length): ScoreTaskResult {
  const compiled = compileModel(task.model, { termFrequencies: task.termFrequencies });
  const count = Math.max(0, to - from);
  const comparisonCount = compiled.comparisons.length;
  const ruleCount = compiled.rules.length;
  const levels = new Uint8Array(count * comparisonCount);
  const rules = new Uint8Array(count * ruleCount);
  const out = createWeightResult(compiled);
  const { records, left, right } = task;
  for (let k = 0; k < count; k++) {
    scoreWeight(compiled, records[left[from + k]], records[right[from + k]], out);
    levels.set(out.levels, k * comparisonCount);
    if (ruleCount > 0) rules.set(out.rules, k * ruleCount);
  }
  return { pairCount: count, comparisonCount, levels, ruleCount, rules };
}

/** Joins the vectors of consecutive pair ranges. */
export function concatVectors(parts: readonly ScoreTaskResult[]): ScoreTaskResult {
  if (parts.length === 1) return parts[0];
  const pairCount = parts.reduce((n, p) => n + p.pairCount, 0);
  const { comparisonCount, ruleCount } = parts[0];
  const levels = new Uint8Array(pairCount * comparisonCount);
  const rules = new Uint8Array(pairCount * ruleCount);
  let at = 0;
  for (const p of parts) {
    levels.set(p.levels, at * comparisonCount);
    rules.set(p.rules, at * ruleCount);
    at += p.pairCount;
  }
  return { pairCount, comparisonCount, levels, ruleCount, rules };
}

/**
 * Each pair's weight and flags from its level vector, with the compiled model's prior: the same
 * sums, in the same order, as `scoreWeight` (term-frequency adjustments read the left record's view).
 *
 * @example
 * ```ts
 * const { weight, flags } = weighPairs(compileModel(model, { termFrequencies }), records, left, vectors);
 * ```
 */
export function weighPairs(compiled: CompiledModel, records: readonly PreparedRecord[], left: Int32Array, vectors: LevelVectors): PairWeights {
  const count = vectors.pairCount;
  const weight = new Float64Array(count);
  const flags = new Uint8Array(count);
  const comparisons = compiled.comparisons;
  const rules = compiled.rules;
  const C = vectors.comparisonCount;
  const R = vectors.ruleCount;
  if (C !== comparisons.length || R !== rules.length) throw new Error(`level vectors of ${C} comparisons and ${R} rules do not fit a model of ${comparisons.length} and ${rules.length}`);
  const { levels, rules: outcomes } = vectors;
  for (let k = 0; k < count; k++) {
    let view: ReturnType<CompiledModel['view']> | null = null;
    let w = compiled.priorWeight;
    for (let c = 0; c < C; c++) {
      const comparison = comparisons[c];
      const level = levels[k * C + c];
      w += comparison.weights[level];
      if (comparison.tfLevels[level] === 1) {
        view ??= compiled.view(records[left[k]]);
        const log2TfU = view[comparison.tfSlot] as number;
        if (log2TfU === log2TfU) w += (comparison.log2u[level] - log2TfU) * comparison.tfWeight;
      }
    }
    let hardNegative = false;
    let deterministicMatch = false;
    let unreviewed = false;
    for (let r = 0; r < R; r++) {
      const outcome = outcomes[k * R + r];
      const rule = rules[r].rule;
      if (outcome === RULE_EQUAL) {
        if (rule.onEqual === 'match') {
          w += rule.weight;
          deterministicMatch = true;
        }
      } else if (outcome === RULE_CONFLICT) {
        w += rule.conflictWeight;
        if (rule.onConflict === 'hardNegative') hardNegative = true;
        if (!rule.reviewConflicts) unreviewed = true;
      } else if (outcome === RULE_UNSURE && rule.onConflict === 'hardNegative') {
        hardNegative = true;
      }
    }
    weight[k] = w;
    flags[k] = (hardNegative ? PAIR_HARD_NEGATIVE : 0) | (deterministicMatch && !hardNegative ? PAIR_DETERMINISTIC_MATCH : 0) | (unreviewed ? PAIR_UNREVIEWED : 0);
  }
  return { weight, flags };
}

/**
 * The default executor: compares every pair in the calling thread.
 *
 * @example
 * ```ts
 * await resolveEntity({ ...input, scorePairs: inThreadScorePairs });
 * ```
 */
export const inThreadScorePairs: ScorePairsExecutor = (task) => scorePairRange(task);
