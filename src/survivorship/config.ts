import { z } from 'zod';
import { ENTITY_ATTRIBUTES, ENTITY_TYPES, type EntityType } from '../core/entities';
import { DECAY_CURVES, DECAY_UNITS } from './strategies/trust-decay';
import { NORMALIZE_MODES } from './values';

const sourceName = z
  .string()
  .regex(/^[a-z0-9_-]{1,40}$/, 'a source name is 1-40 characters of a-z, 0-9, "_" or "-"');

/**
 * One source's trust profile (Informatica): trust 0-100 decaying from `maxTrust` to `minTrust`
 * over `decayPeriod` along `curve`.
 *
 * @example
 * ```ts
 * trustProfileSchema.parse({ maxTrust: 90, minTrust: 60, decayPeriod: { value: 5, unit: 'years' }, curve: 'linear' });
 * ```
 */
export const trustProfileSchema = z
  .strictObject({
    maxTrust: z.number().min(0).max(100),
    minTrust: z.number().min(0).max(100),
    decayPeriod: z.strictObject({ value: z.number().positive(), unit: z.enum(DECAY_UNITS) }),
    curve: z.enum(DECAY_CURVES),
  })
  .refine((p) => p.minTrust <= p.maxTrust, { message: 'minTrust must not exceed maxTrust', path: ['minTrust'] });

const trustTable = z.record(sourceName, trustProfileSchema);

/**
 * One rule of an ordered strategy list. `aggregate` is allowed only as the first rule of an
 * attribute; the rules after it order the values.
 *
 * @example
 * ```ts
 * ruleSchema.parse({ strategy: 'sourcePriority', sources: ['erp', 'crm', 'fsm'] });
 * ruleSchema.parse({ strategy: 'trustDecay' }); // uses the config's top-level trust table
 * ```
 */
export const ruleSchema = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('sourcePriority'), sources: z.array(sourceName).min(1) }),
  z.strictObject({ strategy: z.literal('trustDecay'), trust: trustTable.optional() }),
  z.strictObject({ strategy: z.literal('mostRecent') }),
  z.strictObject({ strategy: z.literal('mostFrequent') }),
  z.strictObject({ strategy: z.literal('mostComplete') }),
  z.strictObject({ strategy: z.literal('aggregate') }),
]);

export type SurvivorshipRule = z.output<typeof ruleSchema>;

const attributeConfigSchema = z.strictObject({
  strategies: z.array(ruleSchema).min(1),
  /** How values compare (most frequent, losers, aggregate de-duplication, pins). Default `text`. */
  normalize: z.enum(NORMALIZE_MODES).optional(),
});

const groupConfigSchema = z.strictObject({
  attributes: z.array(z.string().min(1)).min(2),
  strategies: z.array(ruleSchema).min(1),
});

/** Attribute names that hold references to other records: never survived as attributes. */
export const REFERENCE_ATTRIBUTES: ReadonlySet<string> = new Set(
  Object.values(ENTITY_ATTRIBUTES).flatMap((attrs) =>
    Object.entries(attrs)
      .filter(([, spec]) => spec.kind === 'ref' || spec.kind === 'refs')
      .map(([name]) => name),
  ),
);

function checkRules(
  rules: readonly SurvivorshipRule[],
  path: (string | number)[],
  allowAggregate: boolean,
  hasTopLevelTrust: boolean,
  problem: (path: (string | number)[], message: string) => void,
): void {
  rules.forEach((rule, i) => {
    const at = [...path, i];
    if (rule.strategy === 'aggregate' && !allowAggregate) {
      problem(at, 'aggregate is only allowed as the first rule of an attribute, not here');
    } else if (rule.strategy === 'aggregate' && i !== 0) {
      problem(at, 'aggregate must be the first rule; the rules after it order the values');
    } else if (rule.strategy === 'sourcePriority' && new Set(rule.sources).size !== rule.sources.length) {
      problem([...at, 'sources'], `sources are listed twice: ${rule.sources.join(', ')}`);
    } else if (rule.strategy === 'trustDecay' && rule.trust === undefined && !hasTopLevelTrust) {
      problem(at, 'trustDecay needs trust profiles: set "trust" on the rule or at the top level of the config');
    }
  });
}

/**
 * The survivorship configuration of one entity type (JSON, validated):
 * - `trust`: source -> trust profile, used by `trustDecay` rules that carry no table of their own;
 * - `defaultStrategies`: the rule list of every attribute not configured below;
 * - `attributes`: attribute -> `{ strategies, normalize? }`;
 * - `groups`: group name -> `{ attributes, strategies }`, attributes taken together from one record.
 * References (`customerRef`, `productRef`, `assetRefs`, `parentRef`, `locationRef`) cannot be
 * configured: they become golden-to-golden relationships elsewhere.
 *
 * @example
 * ```ts
 * const config = survivorshipConfigSchema.parse({
 *   entity: 'product',
 *   defaultStrategies: [{ strategy: 'sourcePriority', sources: ['erp', 'crm', 'fsm'] }, { strategy: 'mostRecent' }],
 *   groups: { pricing: { attributes: ['price', 'currency'], strategies: [{ strategy: 'sourcePriority', sources: ['erp'] }] } },
 * });
 * ```
 */
export const survivorshipConfigSchema = z
  .strictObject({
    entity: z.enum(ENTITY_TYPES),
    trust: trustTable.default({}),
    defaultStrategies: z.array(ruleSchema).min(1),
    attributes: z.record(z.string().min(1), attributeConfigSchema).default({}),
    groups: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a group name is an identifier'), groupConfigSchema)
      .default({}),
  })
  .superRefine((config, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    const known = ENTITY_ATTRIBUTES[config.entity];
    const hasTrust = Object.keys(config.trust).length > 0;
    const describe = (name: string): string | undefined => {
      if (REFERENCE_ATTRIBUTES.has(name)) {
        return `${name} is a reference: it becomes a golden-to-golden relationship, not a survived attribute`;
      }
      if (!Object.hasOwn(known, name)) {
        return `"${name}" is not a ${config.entity} attribute (known: ${Object.keys(known).join(', ')})`;
      }
      return undefined;
    };

    checkRules(config.defaultStrategies, ['defaultStrategies'], false, hasTrust, problem);

    const groupOf = new Map<string, string>();
    for (const [group, spec] of Object.entries(config.groups)) {
      if (Object.hasOwn(known, group)) problem(['groups', group], `group name "${group}" is also an attribute name`);
      checkRules(spec.strategies, ['groups', group, 'strategies'], false, hasTrust, problem);
      spec.attributes.forEach((member, i) => {
        const bad = describe(member);
        if (bad !== undefined) problem(['groups', group, 'attributes', i], bad);
        const other = groupOf.get(member);
        if (other !== undefined) {
          problem(['groups', group, 'attributes', i], `${member} is already in group ${other}; an attribute belongs to one group`);
        }
        groupOf.set(member, group);
      });
    }

    for (const [name, spec] of Object.entries(config.attributes)) {
      const bad = describe(name);
      if (bad !== undefined) problem(['attributes', name], bad);
      const group = groupOf.get(name);
      if (group !== undefined) {
        problem(['attributes', name], `${name} belongs to group ${group}; configure the group's strategies instead`);
      }
      checkRules(spec.strategies, ['attributes', name, 'strategies'], true, hasTrust, problem);
    }
  });

export type SurvivorshipConfig = z.output<typeof survivorshipConfigSchema>;
export type SurvivorshipConfigInput = z.input<typeof survivorshipConfigSchema>;

/**
 * Validates a survivorship configuration, returning every problem as `path: message`.
 *
 * @example
 * ```ts
 * const r = parseSurvivorshipConfig(JSON.parse(text));
 * if (!r.ok) throw new UsageError(`survivorship config: ${r.errors.join('; ')}`);
 * surviveGoldenRecord(records, r.config, pins, clock);
 * ```
 */
export function parseSurvivorshipConfig(
  input: unknown,
): { ok: true; config: SurvivorshipConfig } | { ok: false; errors: string[] } {
  const result = survivorshipConfigSchema.safeParse(input);
  if (result.success) return { ok: true, config: result.data };
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return { ok: false, errors };
}

/**
 * The attributes of an entity type that survivorship handles (all but references).
 *
 * @example
 * ```ts
 * survivableAttributes('asset'); // ['serialNumber', 'partNumber', 'name', 'installDate', 'status']
 * ```
 */
export function survivableAttributes(entity: EntityType): string[] {
  return Object.keys(ENTITY_ATTRIBUTES[entity]).filter((name) => !REFERENCE_ATTRIBUTES.has(name));
}
