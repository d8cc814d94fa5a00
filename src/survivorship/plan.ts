import { ENTITY_ATTRIBUTES, type EntityType } from '../core/entities';
import { REFERENCE_ATTRIBUTES, type SurvivorshipConfig, type SurvivorshipRule } from './config';
import { createStrategy } from './strategies/index';
import type { Strategy } from './strategy';
import type { NormalizeMode } from './values';

/** How one attribute is survived. */
export interface AttributePlan {
  aggregate: boolean;
  /** The selection strategies in order (for an aggregate: the ones that order the values). */
  strategies: Strategy[];
  normalize: NormalizeMode;
}

/** How one group is survived. */
export interface GroupPlan {
  name: string;
  members: string[];
  strategies: Strategy[];
}

/** A configuration compiled into strategy instances, ready to survive many golden records. */
export interface SurvivorshipPlan {
  entity: EntityType;
  groups: GroupPlan[];
  /** Group of each grouped attribute. */
  groupOf: ReadonlyMap<string, GroupPlan>;
  /** The entity's attributes in declaration order, references left out. */
  attributeOrder: string[];
  attribute(name: string): AttributePlan;
}

const cache = new WeakMap<SurvivorshipConfig, SurvivorshipPlan>();

/**
 * Compiles a validated configuration once (cached per config object): rules become strategy
 * instances bound to their trust tables.
 *
 * @example
 * ```ts
 * const plan = compilePlan(DEFAULT_SURVIVORSHIP_CONFIGS.customer);
 * plan.attribute('phone').aggregate; // true
 * plan.groupOf.get('city')?.name;    // 'address'
 * ```
 */
export function compilePlan(config: SurvivorshipConfig): SurvivorshipPlan {
  const cached = cache.get(config);
  if (cached !== undefined) return cached;

  const build = (rules: readonly SurvivorshipRule[]): Strategy[] =>
    rules.flatMap((rule) => (rule.strategy === 'aggregate' ? [] : [createStrategy(rule, config.trust)]));

  const groups: GroupPlan[] = Object.entries(config.groups).map(([name, spec]) => ({
    name,
    members: [...spec.attributes],
    strategies: build(spec.strategies),
  }));
  const groupOf = new Map<string, GroupPlan>();
  for (const group of groups) for (const member of group.members) groupOf.set(member, group);

  const fallback: AttributePlan = { aggregate: false, strategies: build(config.defaultStrategies), normalize: 'text' };
  const attributes = new Map<string, AttributePlan>(
    Object.entries(config.attributes).map(([name, spec]) => [
      name,
      {
        aggregate: spec.strategies[0]?.strategy === 'aggregate',
        strategies: build(spec.strategies),
        normalize: spec.normalize ?? 'text',
      },
    ]),
  );

  const plan: SurvivorshipPlan = {
    entity: config.entity,
    groups,
    groupOf,
    attributeOrder: Object.keys(ENTITY_ATTRIBUTES[config.entity]).filter((name) => !REFERENCE_ATTRIBUTES.has(name)),
    attribute: (name) => attributes.get(name) ?? fallback,
  };
  cache.set(config, plan);
  return plan;
}
