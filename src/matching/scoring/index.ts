export * from './math';
export { mulberry32, randomChoice, randomInt } from './random';
export {
  compileModel,
  comparisonLevel,
  RULE_CONFLICT,
  RULE_EQUAL,
  RULE_UNSURE,
  RULE_NOT_APPLICABLE,
  type CompiledComparison,
  type CompiledLevel,
  type CompiledModel,
  type CompiledRule,
  type CompileOptions,
  type RecordView,
} from './compare';
export {
  createWeightResult,
  scorePair,
  scoreWeight,
  type DeterministicOutcome,
  type ExplanationRow,
  type ScoredPair,
  type WeightResult,
} from './score';
export {
  buildDocumentFrequencies,
  buildTermFrequencies,
  documentFrequencyKey,
  frequencyTables,
  inverseDocumentFrequency,
  termFrequency,
  termFrequencyAdjustment,
  termFrequencyU,
  type TermFrequencyTable,
} from './term-frequency';
export { estimateU, smoothedDistribution, type EstimateUOptions, type UEstimate } from './estimate-u';
export {
  ANCHOR_MATCH,
  ANCHOR_NONE,
  ANCHOR_NON_MATCH,
  deterministicAnchors,
  expectationMaximisation,
  levelReport,
  runEm,
  type EmOptions,
  type EmProblem,
  type EmReport,
  type EmResult,
  type LevelReport,
  type ModelEmOptions,
} from './em';
export { trainModel, type SessionReport, type TrainingReport, type TrainOptions, type TrainResult } from './train';
export {
  candidatePairCount,
  computeLevelVectors,
  forEachCandidatePair,
  type CandidatePairs,
  type ColumnarPairs,
  type LevelVectors,
} from './vectors';
export { isMissing, valueDate, valueElements, valueKey, valueNumber, valueText, valueTokens } from './values';
