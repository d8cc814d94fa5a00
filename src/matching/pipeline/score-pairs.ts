/*
 * The scoring step as a port: the pipeline hands a self-contained task (model, term-frequency
 * tables, prepared records, pair columns) to an executor and gets weights back. The default runs
 * in this thread; a service can post the same task to worker threads (it is structured-clone
 * friendly) and split the pair range among them.
 */

import type { PreparedRecord } from '../model/prepared-record';
import type { MatchModel } from '../model/schema';
import { compileModel } from '../scoring/compare';
import { createWeightResult, scoreWeight } from '../scoring/score';
import type { TermFrequencyTable } from '../scoring/term-frequency';

/** Everything needed to score pairs, as plain data. */
export interface ScoreTask {
  model: MatchModel;
  termFrequencies: Record<string, TermFrequencyTable>;
  /** Prepared records; `records[i].id === i`. */
  records: PreparedRecord[];
  /** Pair columns: indices into `records`. */
  left: Int32Array;
  right: Int32Array;
}

/** Flag bits per pair in `ScoreTaskResult.flags`. */
export const PAIR_HARD_NEGATIVE = 1;
export const PAIR_DETERMINISTIC_MATCH = 2;

export interface ScoreTaskResult {
  /** Total match weight per pair, in bits. */
  weight: Float64Array;
  /** PAIR_HARD_NEGATIVE | PAIR_DETERMINISTIC_MATCH per pair. */
  flags: Uint8Array;
}

/** Scores a task; may run anywhere (this thread, a worker pool). */
export type ScorePairsExecutor = (task: ScoreTask) => ScoreTaskResult | Promise<ScoreTaskResult>;

/**
 * Score pairs `from` (inclusive) to `to` (exclusive) of a task; what a worker runs on its slice.
 *
 * @example
 * ```ts
 * const part = scorePairRange(task, 0, task.left.length / 2);
 * ```
 */
export function scorePairRange(task: ScoreTask, from = 0, to = task.left.length): ScoreTaskResult {
  const compiled = compileModel(task.model, { termFrequencies: task.termFrequencies });
  const count = Math.max(0, to - from);
  const weight = new Float64Array(count);
  const flags = new Uint8Array(count);
  const out = createWeightResult(compiled);
  const { records, left, right } = task;
  for (let k = 0; k < count; k++) {
    scoreWeight(compiled, records[left[from + k]], records[right[from + k]], out);
    weight[k] = out.weight;
    flags[k] = (out.hardNegative ? PAIR_HARD_NEGATIVE : 0) | (out.deterministicMatch ? PAIR_DETERMINISTIC_MATCH : 0);
  }
  return { weight, flags };
}

/**
 * The default executor: scores every pair in the calling thread.
 *
 * @example
 * ```ts
 * await resolveEntity({ ...input, scorePairs: inThreadScorePairs });
 * ```
 */
export const inThreadScorePairs: ScorePairsExecutor = (task) => scorePairRange(task);
