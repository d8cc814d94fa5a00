/**
 * Per-attribute survivorship: golden attribute values with lineage, computed from the stored
 * values of a golden record's source records, plus steward pins and overrides.
 *
 * @example
 * ```ts
 * import { DEFAULT_SURVIVORSHIP_CONFIGS, surviveGoldenRecord, systemClock } from '../survivorship';
 * const { attributes } = surviveGoldenRecord(records, DEFAULT_SURVIVORSHIP_CONFIGS.customer, pins, systemClock);
 * ```
 */
export { type Clock, fixedClock, systemClock } from './clock';
export type { Candidate } from './candidate';
export {
  parseSurvivorshipConfig,
  REFERENCE_ATTRIBUTES,
  ruleSchema,
  survivableAttributes,
  type SurvivorshipConfig,
  type SurvivorshipConfigInput,
  type SurvivorshipRule,
  survivorshipConfigSchema,
  trustProfileSchema,
} from './config';
export { decide, type Decision } from './decide';
export { DEFAULT_SURVIVORSHIP_CONFIGS, DEFAULT_TRUST, defaultSurvivorshipConfig } from './defaults';
export {
  type GoldenAggregate,
  type GoldenAttribute,
  type GoldenValue,
  isAggregateAttribute,
  type Lineage,
  type LineageStrategy,
  type Loser,
} from './golden-attribute';
export { compilePlan, type SurvivorshipPlan } from './plan';
export type { SurvivorshipRecord } from './source-record';
export type { Strategy, StrategyContext, StrategyName, Selection } from './strategy';
export {
  aggregateValues,
  completeness,
  createStrategy,
  decayPeriodMs,
  type DecayCurve,
  type IgnoredDecision,
  mostComplete,
  mostFrequent,
  mostRecent,
  sourcePriority,
  type StewardDecision,
  stewardDecisionSchema,
  surviveGroup,
  trustAt,
  trustDecay,
  type TrustProfile,
} from './strategies/index';
export { surviveGoldenRecord, type SurvivorshipResult } from './survive-golden-record';
export { isEmptyValue, type NormalizeMode, normalizeValue } from './values';
