import { z } from 'zod';

/**
 * The declarative match model of one entity type: how candidate pairs are blocked, which
 * comparisons are made, their levels with trained `m` / `u` probabilities, deterministic rules on
 * strong identifiers, the prior and the decision thresholds. It is authored as JSON, versioned,
 * diffed, and training writes its estimates back into the same shape.
 *
 * Conventions
 * - `m` = P(level | records match), `u` = P(level | records do not match). Both are in (0, 1].
 *   Within a comparison the non-null levels' `m` (and `u`) sum to 1 when present.
 * - A match weight is log2 of a Bayes factor, in bits; a pair's total weight is the prior weight
 *   plus the weight of each comparison's level (plus term-frequency adjustments and rules).
 * - Thresholds are either a match probability (`{ probability }`) or a total match weight
 *   (`{ matchWeight }`, bits). Both are compared against the pair's posterior.
 *
 * @example
 * ```ts
 * const model = modelSchema.parse(JSON.parse(text));
 * const result = modelSchema.safeParse(json);
 * if (!result.success) console.log(z.prettifyError(result.error));
 * ```
 */

const probability = z.number().gt(0).lt(1);
const mOrU = z.number().gt(0).lte(1);
const name = z.string().min(1);
const fieldName = z.string().min(1);

/** Members every non-null level may carry. */
const levelCommon = {
  /** Text shown to stewards; defaults to a description built from the kind. */
  label: z.string().optional(),
  /** P(level | match). Filled by training; defaults are used until then. */
  m: mOrU.optional(),
  /** P(level | non-match). Filled by training; defaults are used until then. */
  u: mOrU.optional(),
  /** Compare this prepared field instead of the comparison's first field (e.g. a phonetic code). */
  field: fieldName.optional(),
  /**
   * The level holds only for two records of different sources. For evidence that means something
   * between catalogs only: another catalog writes a model number with its own suffix, while
   * within one catalog a different code is a different product.
   */
  acrossSources: z.boolean().optional(),
};

export const nullLevelSchema = z.strictObject({
  kind: z.literal('null'),
  label: z.string().optional(),
});
export const exactLevelSchema = z.strictObject({ kind: z.literal('exact'), ...levelCommon });
export const exactOcrLevelSchema = z.strictObject({
  kind: z.literal('exactOcr'),
  ...levelCommon,
  /** Prepared field holding an OCR-folded value; when absent the built-in fold is applied. */
  fold: fieldName.optional(),
});
export const jaroWinklerLevelSchema = z.strictObject({
  kind: z.literal('jaroWinkler'),
  ...levelCommon,
  min: z.number().gt(0).lte(1),
});
export const levenshteinLevelSchema = z.strictObject({
  kind: z.literal('levenshtein'),
  ...levelCommon,
  max: z.number().int().positive(),
});
export const damerauLevenshteinLevelSchema = z.strictObject({
  kind: z.literal('damerauLevenshtein'),
  ...levelCommon,
  max: z.number().int().positive(),
});
export const jaccardLevelSchema = z.strictObject({
  kind: z.literal('jaccard'),
  ...levelCommon,
  min: z.number().gt(0).lte(1),
});
/**
 * IDF-weighted cosine of two token sets: each token weighs ln(1 + N / df), df its document
 * frequency over the records being resolved (rare words count, common ones hardly do).
 */
export const tokenCosineLevelSchema = z.strictObject({
  kind: z.literal('tokenCosine'),
  ...levelCommon,
  min: z.number().gt(0).lte(1),
  /**
   * `cosine` (default) or `overlap`: the shared weight over the smaller side's weight (squared
   * IDF), 1 when one name's words are all in the other ("emedia guitar basics" in
   * "emedia music corp emedia guitar basics").
   */
  measure: z.enum(['cosine', 'overlap']).default('cosine'),
});
/**
 * Two codes of the lists where one is a prefix of the other (FS726TP / FS726TPNA: a regional or
 * colour suffix), the shorter having at least `minLength` characters.
 */
export const codePrefixLevelSchema = z.strictObject({
  kind: z.literal('codePrefix'),
  ...levelCommon,
  minLength: z.number().int().positive().default(4),
});
export const tokenSetContainsLevelSchema = z.strictObject({
  kind: z.literal('tokenSetContains'),
  ...levelCommon,
});
export const arrayIntersectLevelSchema = z.strictObject({
  kind: z.literal('arrayIntersect'),
  ...levelCommon,
  min: z.number().int().positive().default(1),
});
export const dateWithinLevelSchema = z.strictObject({
  kind: z.literal('dateWithin'),
  ...levelCommon,
  days: z.number().int().nonnegative(),
});
export const dateTransposedLevelSchema = z.strictObject({
  kind: z.literal('dateTransposed'),
  ...levelCommon,
});
export const numericRelativeLevelSchema = z.strictObject({
  kind: z.literal('numericRelative'),
  ...levelCommon,
  maxRel: z.number().nonnegative(),
});
export const numericAbsoluteLevelSchema = z.strictObject({
  kind: z.literal('numericAbsolute'),
  ...levelCommon,
  max: z.number().nonnegative(),
});
export const prefixLevelSchema = z.strictObject({
  kind: z.literal('prefix'),
  ...levelCommon,
  length: z.number().int().positive(),
});
/**
 * A serial cut at its source's field length against a whole one, or two cut serials: the cut value
 * (`cutField`) is the beginning of the other's whole value (`field`), or of the other's cut value
 * (`between: 'twoCuts'`, either way round). Weak evidence: the beginning of a serial is shared by
 * many units.
 */
export const cutPrefixLevelSchema = z.strictObject({
  kind: z.literal('cutPrefix'),
  ...levelCommon,
  /** Prepared field holding the beginning of a value that may have been cut. */
  cutField: fieldName,
  between: z.enum(['cutAndWhole', 'twoCuts']).default('cutAndWhole'),
});
export const swappedLevelSchema = z.strictObject({
  kind: z.literal('swapped'),
  label: levelCommon.label,
  m: levelCommon.m,
  u: levelCommon.u,
});
/**
 * A cross match of a two-field comparison: `fields[0]` of one record equals (or, with `min`, is
 * Jaro-Winkler similar to) `fields[1]` of the other, either way round ("Barker" as given name in
 * one record, as family name in the other; one name of a swapped pair missing or mistyped).
 */
export const crossLevelSchema = z.strictObject({
  kind: z.literal('cross'),
  label: levelCommon.label,
  m: levelCommon.m,
  u: levelCommon.u,
  min: z.number().gt(0).lte(1).optional(),
});
/**
 * The value of `fields[1]` of one record (every element of a list) is among the tokens of
 * `fields[0]` of the other, either way round: a manufacturer named in the other record's product
 * name when that record has no manufacturer of its own.
 */
export const crossInLevelSchema = z.strictObject({
  kind: z.literal('crossIn'),
  label: levelCommon.label,
  m: levelCommon.m,
  u: levelCommon.u,
});
/** `field` is missing on both records (e.g. neither has a manufacturer): usually neutral, m = u. */
export const absentLevelSchema = z.strictObject({
  kind: z.literal('absent'),
  label: levelCommon.label,
  m: levelCommon.m,
  u: levelCommon.u,
  field: fieldName,
});
/** Two dates agreeing on the listed parts only (same month and day, a year mistyped: `["month", "day"]`). */
export const datePartsLevelSchema = z.strictObject({
  kind: z.literal('dateParts'),
  ...levelCommon,
  parts: z.array(z.enum(['year', 'month', 'day'])).min(1),
});
export const elseLevelSchema = z.strictObject({
  kind: z.literal('else'),
  label: levelCommon.label,
  m: levelCommon.m,
  u: levelCommon.u,
});

/** One comparison level; levels are tried in order and the first whose predicate holds wins. */
export const levelSchema = z.discriminatedUnion('kind', [
  nullLevelSchema,
  exactLevelSchema,
  exactOcrLevelSchema,
  jaroWinklerLevelSchema,
  levenshteinLevelSchema,
  damerauLevenshteinLevelSchema,
  jaccardLevelSchema,
  tokenSetContainsLevelSchema,
  tokenCosineLevelSchema,
  codePrefixLevelSchema,
  arrayIntersectLevelSchema,
  dateWithinLevelSchema,
  dateTransposedLevelSchema,
  numericRelativeLevelSchema,
  numericAbsoluteLevelSchema,
  prefixLevelSchema,
  cutPrefixLevelSchema,
  swappedLevelSchema,
  crossLevelSchema,
  crossInLevelSchema,
  absentLevelSchema,
  datePartsLevelSchema,
  elseLevelSchema,
]);

/** Term-frequency adjustment of a comparison's exact levels on `field`. */
export const termFrequencySchema = z.strictObject({
  /** Prepared field whose value frequencies replace the exact level's average `u`. */
  field: fieldName,
  /** Floor for the value frequency, so a value seen once does not dominate. */
  minU: z.number().nonnegative().lt(1).default(0),
  /** Fraction of the adjustment applied, 0..1 (1 = full, as Splink's default). */
  weight: z.number().min(0).max(1).default(1),
});

export const comparisonSchema = z.strictObject({
  name,
  description: z.string().optional(),
  /** Prepared fields; levels test `fields[0]` unless they say otherwise, `swapped` uses two. */
  fields: z.array(fieldName).min(1),
  /** `null` first, then decreasing strength, `else` last. */
  levels: z.array(levelSchema).min(2).max(255),
  tf: termFrequencySchema.optional(),
});

export const blockingRuleSchema = z.strictObject({
  name,
  /** Prepared field names; array fields explode to one key per element. */
  on: z.array(fieldName).min(1),
  maxBlockSize: z.number().int().positive().optional(),
});

/**
 * A deterministic rule on strong identifiers (VAT, DUNS, GLN, GTIN, serial + manufacturer).
 * It applies only when every field is present on both sides. All fields equal (array fields:
 * sharing an element) is strong evidence: `onEqual: 'match'` adds `weight` bits. Any field
 * differing is a conflict: `onConflict: 'hardNegative'` forbids an automatic merge and adds
 * `conflictWeight` bits (0 unless set).
 */
export const deterministicRuleSchema = z.strictObject({
  name,
  fields: z.array(fieldName).min(1),
  onEqual: z.enum(['match', 'none']).default('match'),
  onConflict: z.enum(['hardNegative', 'none']).default('hardNegative'),
  weight: z.number().default(20),
  conflictWeight: z.number().max(0).default(0),
  /**
   * For a single-field rule: a prepared field holding the beginning of a value that may have been
   * cut at its source's field length (a serial number's `serialCut`, set when `fields[0]` is not).
   * A cut value that is not the beginning of the other record's value (whole or cut, either way
   * round) is a conflict; one that is cannot tell the records apart nor confirm them (the beginning
   * of a serial is shared by many units): with `cutAgreement: 'review'` (default) and
   * `onConflict: 'hardNegative'` such a pair is not merged automatically either, and goes to review
   * when its weight is above the review threshold; with `'evidence'` the other comparisons decide
   * (for records that carry more evidence of identity than the serial: an installed asset's
   * customer, site and installation date, where competing candidates of another source demote
   * each other to review).
   */
  cutField: fieldName.optional(),
  cutAgreement: z.enum(['review', 'evidence']).default('review'),
  /**
   * `false`: a pair whose identifiers conflict is not put on the steward review queue, however alike
   * the rest (a different serial number is a different unit: consecutive units of one product and
   * batch agree on everything else). Default `true`: a VAT id that differs between two otherwise
   * equal companies may be a typo worth a look.
   */
  reviewConflicts: z.boolean().default(true),
});

/** A threshold as a total match weight (bits) or as a match probability. */
export const thresholdSchema = z.union([
  z.strictObject({ matchWeight: z.number() }),
  z.strictObject({ probability }),
]);

/** What the last training saw; informative only. */
export const trainingSummarySchema = z.strictObject({
  records: z.number().int().nonnegative(),
  candidatePairs: z.number().int().nonnegative(),
  uSamplePairs: z.number().int().nonnegative(),
  seed: z.number().int(),
  converged: z.boolean(),
});

const sumTolerance = 0.01;

export const modelSchema = z
  .strictObject({
    entity: name,
    version: z.number().int().nonnegative(),
    description: z.string().optional(),
    /** Probability that two records drawn at random match (lambda). */
    prior: probability,
    thresholds: z.strictObject({ autoMerge: thresholdSchema, review: thresholdSchema }),
    blocking: z.array(blockingRuleSchema).default([]),
    comparisons: z.array(comparisonSchema).min(1),
    rules: z.array(deterministicRuleSchema).default([]),
    training: trainingSummarySchema.optional(),
  })
  .superRefine((model, ctx) => {
    uniqueNames(model.comparisons, ['comparisons'], ctx);
    uniqueNames(model.blocking, ['blocking'], ctx);
    uniqueNames(model.rules, ['rules'], ctx);
    model.comparisons.forEach((comparison, c) => checkComparison(comparison, ['comparisons', c], ctx));
    model.rules.forEach((rule, r) => {
      if (rule.cutField !== undefined && rule.fields.length !== 1) {
        ctx.addIssue({ code: 'custom', path: ['rules', r, 'cutField'], message: `rule "${rule.name}": cutField needs exactly one field, it has ${rule.fields.length}` });
      }
    });
    const merge = thresholdBits(model.thresholds.autoMerge);
    const review = thresholdBits(model.thresholds.review);
    if (merge < review) {
      ctx.addIssue({
        code: 'custom',
        path: ['thresholds', 'autoMerge'],
        message: 'autoMerge must be at least as strict as review',
      });
    }
  });

type Ctx = z.core.$RefinementCtx;

function uniqueNames(items: { name: string }[], path: (string | number)[], ctx: Ctx): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.name)) {
      ctx.addIssue({ code: 'custom', path: [...path, i, 'name'], message: `duplicate name "${item.name}"` });
    }
    seen.add(item.name);
  });
}

function checkComparison(comparison: z.output<typeof comparisonSchema>, path: (string | number)[], ctx: Ctx): void {
  const { levels } = comparison;
  const issue = (at: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path: [...path, ...at], message });
  if (levels[0].kind !== 'null') issue(['levels', 0, 'kind'], 'the first level must be the "null" level');
  if (levels[levels.length - 1].kind !== 'else') {
    issue(['levels', levels.length - 1, 'kind'], 'the last level must be the "else" level');
  }
  levels.forEach((level, l) => {
    if (level.kind === 'null' && l !== 0) issue(['levels', l, 'kind'], '"null" may only be the first level');
    if (level.kind === 'else' && l !== levels.length - 1) issue(['levels', l, 'kind'], '"else" may only be the last level');
    if ((level.kind === 'swapped' || level.kind === 'cross' || level.kind === 'crossIn') && comparison.fields.length < 2) {
      issue(['levels', l, 'kind'], `"${level.kind}" needs two fields in the comparison`);
    }
  });
  for (const key of ['m', 'u'] as const) {
    const values = levels.slice(1).map((level) => (level.kind === 'null' ? undefined : level[key]));
    if (values.every((v) => v !== undefined)) {
      const sum = values.reduce((a: number, b) => a + (b ?? 0), 0);
      if (Math.abs(sum - 1) > sumTolerance) {
        issue(['levels'], `the levels' ${key} values sum to ${sum.toPrecision(4)}, not 1`);
      }
    } else if (values.some((v) => v !== undefined)) {
      issue(['levels'], `either every non-null level has ${key} or none has`);
    }
  }
}

function thresholdBits(t: Threshold): number {
  return 'matchWeight' in t ? t.matchWeight : Math.log2(t.probability / (1 - t.probability));
}

export type Level = z.output<typeof levelSchema>;
export type LevelKind = Level['kind'];
export type NonNullLevel = Exclude<Level, { kind: 'null' }>;
export type Comparison = z.output<typeof comparisonSchema>;
export type TermFrequencySettings = z.output<typeof termFrequencySchema>;
export type BlockingRule = z.output<typeof blockingRuleSchema>;
export type DeterministicRule = z.output<typeof deterministicRuleSchema>;
export type Threshold = z.output<typeof thresholdSchema>;
export type TrainingSummary = z.output<typeof trainingSummarySchema>;
/** A validated model, defaults applied. */
export type MatchModel = z.output<typeof modelSchema>;
/** A model as authored (defaults optional). */
export type MatchModelInput = z.input<typeof modelSchema>;

/**
 * Validate a model as authored, with defaults applied; throws a `ZodError` whose issues carry paths.
 *
 * @example
 * ```ts
 * const model = parseModel(JSON.parse(readFileSync('person.model.json', 'utf8')));
 * ```
 */
export function parseModel(json: unknown): MatchModel {
  return modelSchema.parse(json);
}
