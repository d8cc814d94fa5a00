import type { TermFrequencyTable } from '../scoring/term-frequency';
import type { EntityType } from '../../core/entities';
import type { BlockingReport } from '../blocking/blocking-report';
import type { ReviewReason } from '../clustering/types';
import type { MatchModel } from '../model/schema';
import type { ModelEntry } from '../models/registry';
import type { PrepareContext } from '../prepare/types';
import type { ExplanationRow } from '../scoring/score';
import type { TrainingReport } from '../scoring/train';
import type { ScorePairsExecutor } from './score-pairs';

/** A source record to resolve: the caller's id, its source, its id there, canonical attributes. */
export interface ResolveRecord {
  id: number;
  source: string;
  sourceId: string;
  attributes: Readonly<Record<string, unknown>>;
}

/** A pair of the caller's record ids. */
export type RecordIdPair = readonly [number, number];

export interface ResolveOptions {
  /** Train the models on these records first (u from random pairs, m by EM; no labels). Default false. */
  train?: boolean;
  /** Compare only records of different sources (linking). Default false. */
  linkOnly?: boolean;
  /** Generic-key bound of blocking for rules without their own. Default 500. */
  maxBlockSize?: number;
  /**
   * Without training: estimate the prior from the candidate pairs with the model's m and u held
   * (a fixed prior fits one dataset size only). Default true.
   */
  estimatePrior?: boolean;
  /** Seed of the random pairs for u when training. Default 1. */
  seed?: number;
  /** Random pairs for u when training. Default 1,000,000. */
  uSamplePairs?: number;
  /**
   * Competing candidates across sources: a pair that loses to a better candidate of the same
   * other source (not a duplicate of its partner) is demoted to review. Default true.
   */
  competition?: boolean;
  /**
   * With competition: estimate from the pair weights how many records of each source have their
   * match in each other source (the overlap), and let a pair whose two records are each other's only
   * plausible candidate gain the evidence of that overlap (see competition.ts). A model entry's own
   * `overlap` is used instead when given. Default: as `estimatePrior`.
   */
  overlap?: boolean;
  /** A scored pair below this weight vetoes merging its two clusters. Default -5. */
  clearlyDifferent?: number;
  /**
   * List the merged pairs in `ResolveResult.pairs` (one object per auto-merged pair: millions in
   * a large run). Default true; a caller that only needs clusters and review pairs turns it off.
   */
  mergedPairs?: boolean;
}

export interface ResolveInput {
  entity: EntityType;
  records: readonly ResolveRecord[];
  /** Models to use (default or trained); default `modelsFor(entity)`. */
  models?: readonly ModelEntry[];
  /** Reference resolution (cluster keys of referenced records) and owned units; default none. */
  context?: PrepareContext;
  /** Steward decisions, as pairs of the caller's record ids. */
  mustLink?: readonly RecordIdPair[];
  cannotLink?: readonly RecordIdPair[];
  options?: ResolveOptions;
  /** Where pair scoring runs; default in this thread. */
  scorePairs?: ScorePairsExecutor;
  /** Called at the end of each phase (prepare, block, score, cluster, ...), for profiling. */
  onPhase?: (phase: string) => void;
  /** Called after each model's records are resolved, before the next model's (a batch run lets go of memory there). */
  betweenModels?: () => void;
  /**
   * How often values occur among all records of the entity type (the last full run's counts, see
   * `ResolveResult.frequencies`), asked per model for the values of its frequency tables: a
   * neighbourhood's values then weigh by how common they are in the whole hub, not among its few
   * records. A value counts the larger of its two counts; values not returned keep their own.
   */
  storedFrequencies?: (model: string, values: ReadonlyArray<{ key: string; value: string }>) => Promise<ReadonlyArray<{ key: string; value: string; count: number }>>;
  /** Keep each model's frequency tables in `ResolveResult.frequencies` (a full run stores them for `storedFrequencies`). */
  keepFrequencies?: boolean;
}

/** A pair that was merged automatically, with its weight. */
export interface MergedPair {
  left: number;
  right: number;
  weight: number;
  /** The blocking rule that produced the pair. */
  rule: string;
  /** Name of the model that scored it. */
  model: string;
  deterministic: boolean;
}

/** A pair for a steward, with its explanation rows. */
export interface ResolveReviewPair {
  left: number;
  right: number;
  weight: number;
  probability: number;
  reason: ReviewReason;
  rule: string;
  model: string;
  explanation: ExplanationRow[];
}

/** What happened under one model. */
export interface ModelRun {
  /** The model scored with (trained when `options.train`). */
  model: MatchModel;
  records: number;
  candidatePairs: number;
  training?: TrainingReport;
  /** Overlaps between sources over 0 that competition used, `overlap[x][y]` by source name (see `ModelEntry.overlap`). */
  overlap?: Record<string, Record<string, number>>;
  /** Records with a value per frequency table the scores used (see `ModelEntry.termFrequencyTotals`). */
  termFrequencyTotals?: Record<string, number>;
}

export interface ResolveResult {
  /** Clusters of the caller's record ids: each sorted ascending, clusters by smallest id. */
  clusters: number[][];
  review: ResolveReviewPair[];
  /** Every scored pair at or above the auto-merge threshold that ended inside one cluster (none when `options.mergedPairs` is false). */
  pairs: MergedPair[];
  /** Candidate pairs scored, over all models. */
  candidatePairs: number;
  /** Blocking report per model name. */
  blockingReport: Record<string, BlockingReport>;
  /** Model run per model name. */
  model: Record<string, ModelRun>;
  /** Must-links not applied because they contradict a cannot-link. */
  conflicts: { mustLink: RecordIdPair; cannotLink: RecordIdPair }[];
  /** Each model's term- and document-frequency tables, by model name (with `keepFrequencies`). */
  frequencies?: Record<string, Record<string, TermFrequencyTable>>;
}
