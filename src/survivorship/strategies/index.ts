import type { SurvivorshipRule } from '../config';
import type { Strategy } from '../strategy';
import { mostComplete } from './most-complete';
import { mostFrequent } from './most-frequent';
import { mostRecent } from './most-recent';
import { sourcePriority } from './source-priority';
import { type TrustProfile, trustDecay } from './trust-decay';

/**
 * Builds the selection strategy of a configured rule. `aggregate` is not a selection strategy
 * (it keeps every value) and is handled by the caller.
 *
 * @example
 * ```ts
 * createStrategy({ strategy: 'trustDecay' }, config.trust).name; // 'trustDecay'
 * ```
 */
export function createStrategy(
  rule: Exclude<SurvivorshipRule, { strategy: 'aggregate' }>,
  trust: Readonly<Record<string, TrustProfile>>,
): Strategy {
  switch (rule.strategy) {
    case 'sourcePriority':
      return sourcePriority(rule.sources);
    case 'trustDecay':
      return trustDecay(rule.trust ?? trust);
    case 'mostRecent':
      return mostRecent();
    case 'mostFrequent':
      return mostFrequent();
    case 'mostComplete':
      return mostComplete();
  }
}

export { aggregateValues } from './aggregate';
export { groupCandidates, surviveGroup, type GroupValue } from './group';
export { completeness, mostComplete } from './most-complete';
export { mostFrequent } from './most-frequent';
export { mostRecent } from './most-recent';
export { sourcePriority } from './source-priority';
export {
  type StewardDecision,
  type IgnoredDecision,
  latestApplicable,
  stewardDecisionSchema,
} from './steward';
export { decayPeriodMs, trustAt, trustDecay, type DecayCurve, type DecayUnit, type TrustProfile } from './trust-decay';
