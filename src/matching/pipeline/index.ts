/**
 * The pure resolution algorithm shared by batch and incremental runs.
 *
 * @example
 * ```ts
 * import { resolveEntity } from './pipeline';
 * const { clusters, review } = await resolveEntity({ entity: 'product', records });
 * ```
 *
 * @module
 */
export { resolveEntity } from './resolve-entity';
export { compareRecords } from './record-order';
export {
  concatVectors,
  inThreadScorePairs,
  PAIR_DETERMINISTIC_MATCH,
  PAIR_HARD_NEGATIVE,
  scorePairRange,
  type ScorePairsExecutor,
  type ScoreTask,
  type ScoreTaskResult,
  type PairWeights,
  weighPairs,
} from './score-pairs';
export type * from './types';
