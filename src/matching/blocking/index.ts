export type { BlockingRule, PreparedRecord } from './types';
export { blockingKeys, keyParts, KEY_SEPARATOR, DEFAULT_MAX_KEYS_PER_RECORD } from './blocking-keys';
export { buildRuleKeyIndex, type RuleKeyIndex } from './key-index';
export { ruleBlockStats, type BlockStat, type RuleBlockingStats } from './block-stats';
export {
  candidatePairs,
  DEFAULT_MAX_BLOCK_SIZE,
  MAX_RULES,
  type CandidatePairOptions,
  type CandidatePairs,
} from './candidate-pairs';
export {
  blockingReport,
  formatBlockingReport,
  type BlockingReport,
  type RuleBlockingReport,
} from './blocking-report';
