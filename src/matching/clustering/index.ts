export type {
  ClusteringInput,
  ClusteringResult,
  ClusteringThresholds,
  ConstraintConflict,
  IdPair,
  ReviewPair,
  ReviewReason,
  ScoredPair,
  ScoredPairColumns,
} from './types';
export { clusterPairs, DEFAULT_CLEARLY_DIFFERENT } from './cluster-pairs';
export { buildAdjacency, adjacentValue, type Adjacency } from './adjacency';
export { ClusterSets } from './cluster-sets';
export { mergeRefusal, constraintBetween, CANNOT_LINK, HARD_NEGATIVE, type MergeRefusal, type LinkageBounds } from './coherence';
