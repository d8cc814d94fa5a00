/*
 * Compiling a match model into closures. Each record gets a "view": an array of derived values
 * (equality keys interned to integers, texts, token sets, packed dates, numbers, OCR folds,
 * term-frequency u), computed once per record and cached, so the per-pair work is the level
 * predicates alone. Levels of a comparison that share a measure (two Jaro-Winkler thresholds)
 * compute it once per pair.
 */

import type { PreparedRecord, PreparedValue } from '../model/prepared-record';
import {
  modelSchema,
  type Comparison,
  type DeterministicRule,
  type Level,
  type MatchModel,
  type MatchModelInput,
  type NonNullLevel,
} from '../model/schema';
import { levelProbabilities } from '../model/defaults';
import { describeLevel } from '../model/describe';
import { jaroWinkler } from '../similarity/jaro-winkler';
import { levenshtein } from '../similarity/levenshtein';
import { damerauLevenshtein } from '../similarity/damerau-levenshtein';
import { intersectionSize, jaccard, tokenSetContains } from '../similarity/jaccard';
import { isPackedDateTransposed, packDate } from '../similarity/dates';
import { ocrFold } from '../similarity/ocr-fold';
import { matchWeight, probabilityToMatchWeight, thresholdToMatchWeight } from './math';
import { sharesCodePrefix, weightedCosine, weightedOverlap, weightedTokens, type WeightedTokens } from '../similarity/cosine';
import { documentFrequencyKey, inverseDocumentFrequency, termFrequencyU, type TermFrequencyTable } from './term-frequency';
import { valueDate, valueElements, valueKey, valueNumber, valueText, valueTokens } from './values';

/** Derived values of one record, indexed by the compiled model's slots. */
export type RecordView = unknown[];

/** Two records' views in, true when the level holds. */
export type LevelPredicate = (left: RecordView, right: RecordView) => boolean;

export interface CompiledLevel {
  kind: Level['kind'];
  label: string;
  m: number;
  u: number;
  /** log2(m / u); 0 for the null level. */
  weight: number;
  /** Whether term frequencies adjust this level (exact levels on the tf field). */
  tf: boolean;
}

export interface CompiledComparison {
  name: string;
  index: number;
  fields: readonly string[];
  levels: CompiledLevel[];
  /** Level weights, index-aligned with `levels`. */
  weights: Float64Array;
  /** log2(u) per level, for term-frequency adjustments. */
  log2u: Float64Array;
  /** 1 where the level is term-frequency adjusted. */
  tfLevels: Uint8Array;
  /** View slot holding log2(u_tf) of the record's value (NaN when unknown); -1 without tf. */
  tfSlot: number;
  tfWeight: number;
  /** The level index of a pair: 0 when either side misses `fields[0]`, else the first level that holds. */
  level: (left: RecordView, right: RecordView) => number;
}

/** Raw outcome of a deterministic rule for a pair. */
export const RULE_NOT_APPLICABLE = 0;
export const RULE_EQUAL = 1;
export const RULE_CONFLICT = 2;
/** A value that may have been cut (see `cutField`) agrees with the other: it cannot confirm the pair. */
export const RULE_UNSURE = 3;

export interface CompiledRule {
  name: string;
  index: number;
  rule: DeterministicRule;
  /** RULE_NOT_APPLICABLE, RULE_EQUAL, RULE_CONFLICT or RULE_UNSURE. */
  evaluate: (left: RecordView, right: RecordView) => number;
}

export interface CompiledModel {
  model: MatchModel;
  /** log2(prior / (1 - prior)). */
  priorWeight: number;
  comparisons: CompiledComparison[];
  rules: CompiledRule[];
  thresholds: { autoMerge: number; review: number };
  /** Term-frequency fields configured in the model without a table given: no adjustment for them. */
  missingTermFrequencies: string[];
  /** The record's derived values, computed on first use and cached per record object. */
  view: (record: PreparedRecord) => RecordView;
}

export interface CompileOptions {
  /** Term-frequency tables by field name (see `buildTermFrequencies`). */
  termFrequencies?: Readonly<Record<string, TermFrequencyTable>>;
}

type Derive = (value: PreparedValue | undefined) => unknown;

/** Collects the distinct derived values the model needs, one slot each. */
class SlotRegistry {
  readonly fields: string[] = [];
  readonly derives: Derive[] = [];
  private readonly index = new Map<string, number>();

  slot(kind: string, field: string, derive: Derive): number {
    const key = `${kind}\u0000${field}`;
    let slot = this.index.get(key);
    if (slot === undefined) {
      slot = this.fields.length;
      this.fields.push(field);
      this.derives.push(derive);
      this.index.set(key, slot);
    }
    return slot;
  }

  /** Equality keys are interned to small integers, so exact levels and null checks compare numbers. */
  private readonly interned = new Map<string, number>();
  private intern(key: string | null): number | null {
    if (key === null) return null;
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.interned.size;
      this.interned.set(key, id);
    }
    return id;
  }

  key(field: string): number {
    return this.slot('key', field, (v) => this.intern(valueKey(v)));
  }
  text(field: string): number {
    return this.slot('text', field, valueText);
  }
  tokens(field: string): number {
    return this.slot('tokens', field, valueTokens);
  }
  /** Tokens weighted by IDF from the field's document-frequency table (weight 1 without one). */
  weighted(field: string, table: TermFrequencyTable | undefined): number {
    return this.slot('weighted', field, (v) => {
      const tokens = valueTokens(v);
      if (tokens === null) return null;
      return weightedTokens(tokens, table ? (t) => inverseDocumentFrequency(table, t) : () => 1);
    });
  }
  elements(field: string): number {
    return this.slot('elements', field, valueElements);
  }
  number(field: string): number {
    return this.slot('number', field, valueNumber);
  }
  /** The date packed as yyyymmdd. */
  date(field: string): number {
    return this.slot('date', field, (v) => {
      const date = valueDate(v);
      return date === null ? null : packDate(date);
    });
  }
  /** Days since 1970-01-01. */
  days(field: string): number {
    return this.slot('days', field, (v) => valueDate(v)?.days ?? null);
  }
  ocr(field: string): number {
    return this.slot('ocr', field, (v) => {
      const key = valueKey(v);
      return this.intern(key === null ? null : `\u0000ocr:${ocrFold(key)}`);
    });
  }

  /** The slot holding the record's source system (interned), for levels that hold across sources only. */
  source(): number {
    return this.slot('source', SOURCE_FIELD, () => null);
  }
  private readonly sources = new Map<string, number>();
  private sourceId(source: string): number {
    let id = this.sources.get(source);
    if (id === undefined) {
      id = this.sources.size;
      this.sources.set(source, id);
    }
    return id;
  }

  viewer(): (record: PreparedRecord) => RecordView {
    const { fields, derives } = this;
    // Dense ids index two parallel arrays (fast); the owner check keeps a view tied to its record
    // object. Other ids fall back to a WeakMap.
    const owners: (PreparedRecord | undefined)[] = [];
    const views: (RecordView | undefined)[] = [];
    const others = new WeakMap<PreparedRecord, RecordView>();
    const derive = (record: PreparedRecord): RecordView => {
      const view: RecordView = new Array(fields.length);
      const values = record.fields;
      for (let s = 0; s < fields.length; s++) {
        view[s] = fields[s] === SOURCE_FIELD ? this.sourceId(record.source) : derives[s](values[fields[s]]);
      }
      return view;
    };
    return (record) => {
      const id = record.id;
      if (id >= 0 && id <= MAX_DENSE_ID && (id | 0) === id) {
        if (owners[id] === record) return views[id]!;
        while (owners.length < id) {
          owners.push(undefined);
          views.push(undefined);
        }
        const view = derive(record);
        owners[id] = record;
        views[id] = view;
        return view;
      }
      let view = others.get(record);
      if (view === undefined) {
        view = derive(record);
        others.set(record, view);
      }
      return view;
    };
  }
}

/**
 * Per-comparison cache of similarity values for the pair being compared, so that several levels
 * on the same measure and field (e.g. Jaro-Winkler >= 0.92, then >= 0.8) compute it once.
 * Distances are computed once with the largest bound any level of the comparison needs.
 */
class PairMemo {
  /** Bumped for every pair; a cached value is valid while its epoch matches. */
  epoch = 0;
  private readonly bounds = new Map<string, { max: number }>();
  private readonly measures = new Map<string, PairMeasure>();

  /** The largest distance bound the comparison's levels need for a measure (filled by `raise`). */
  bound(kind: string, slot: number): { max: number } {
    const key = `${kind}:${slot}`;
    let bound = this.bounds.get(key);
    if (!bound) {
      bound = { max: 0 };
      this.bounds.set(key, bound);
    }
    return bound;
  }

  raise(kind: string, slot: number, max: number): void {
    const bound = this.bound(kind, slot);
    if (max > bound.max) bound.max = max;
  }

  /** The measure of the current pair, computed at most once per pair for each kind and slot. */
  measure(kind: string, slot: number, compute: (x: unknown, y: unknown) => number): PairMeasure {
    const key = `${kind}:${slot}`;
    const existing = this.measures.get(key);
    if (existing) return existing;
    let at = -1;
    let value = 0;
    const cached: PairMeasure = (a, b) => {
      if (at !== this.epoch) {
        value = compute(a[slot], b[slot]);
        at = this.epoch;
      }
      return value;
    };
    this.measures.set(key, cached);
    return cached;
  }
}

type PairMeasure = (left: RecordView, right: RecordView) => number;

/** Levenshtein distance, or `max + 1` when the lengths alone exceed `max`. */
function levenshteinBounded(x: string, y: string, max: number): number {
  const diff = x.length - y.length;
  if (diff > max || -diff > max) return max + 1;
  return x === y ? 0 : levenshtein(x, y);
}

/** Pseudo field name of the record's source system in a view (not a prepared field). */
const SOURCE_FIELD = '\u0000source';

/** Ids up to this index the view cache directly. */
const MAX_DENSE_ID = 1 << 27;

function compileLevel(
  level: NonNullLevel,
  comparison: Comparison,
  slots: SlotRegistry,
  memo: PairMemo,
  tables: Readonly<Record<string, TermFrequencyTable>>,
): LevelPredicate {
  const field = ('field' in level && level.field) || comparison.fields[0];
  switch (level.kind) {
    case 'exact': {
      const s = slots.key(field);
      return (a, b) => a[s] !== null && a[s] === b[s];
    }
    case 'exactOcr': {
      const s = level.fold ? slots.key(level.fold) : slots.ocr(field);
      return (a, b) => a[s] !== null && a[s] === b[s];
    }
    case 'jaroWinkler': {
      const s = slots.text(field);
      const min = level.min;
      const similarity = memo.measure('jaroWinkler', s, (x, y) => jaroWinkler(x as string, y as string));
      return (a, b) => {
        const x = a[s];
        return x !== null && b[s] !== null && (x === b[s] || similarity(a, b) >= min);
      };
    }
    case 'levenshtein': {
      const s = slots.text(field);
      const max = level.max;
      const bound = memo.bound('levenshtein', s);
      const distance = memo.measure('levenshtein', s, (x, y) => levenshteinBounded(x as string, y as string, bound.max));
      return (a, b) => a[s] !== null && b[s] !== null && distance(a, b) <= max;
    }
    case 'damerauLevenshtein': {
      const s = slots.text(field);
      const max = level.max;
      const bound = memo.bound('damerauLevenshtein', s);
      const distance = memo.measure('damerauLevenshtein', s, (x, y) => damerauLevenshtein(x as string, y as string, bound.max));
      return (a, b) => a[s] !== null && b[s] !== null && distance(a, b) <= max;
    }
    case 'jaccard': {
      const s = slots.tokens(field);
      const min = level.min;
      const similarity = memo.measure('jaccard', s, (x, y) => jaccard(x as string[], y as string[]));
      return (a, b) => a[s] !== null && b[s] !== null && similarity(a, b) >= min;
    }
    case 'tokenCosine': {
      const s = slots.weighted(field, tables[documentFrequencyKey(field)]);
      const min = level.min;
      const overlap = level.measure === 'overlap';
      const similarity = overlap
        ? memo.measure('tokenOverlap', s, (x, y) => weightedOverlap(x as WeightedTokens, y as WeightedTokens))
        : memo.measure('tokenCosine', s, (x, y) => weightedCosine(x as WeightedTokens, y as WeightedTokens));
      return (a, b) => a[s] !== null && b[s] !== null && similarity(a, b) >= min;
    }
    case 'codePrefix': {
      const s = slots.tokens(field);
      const minLength = level.minLength;
      return (a, b) => {
        const x = a[s] as string[] | null;
        const y = b[s] as string[] | null;
        return x !== null && y !== null && sharesCodePrefix(x, y, minLength);
      };
    }
    case 'tokenSetContains': {
      const s = slots.tokens(field);
      return (a, b) => {
        const x = a[s] as string[] | null;
        const y = b[s] as string[] | null;
        return x !== null && y !== null && tokenSetContains(x, y);
      };
    }
    case 'arrayIntersect': {
      const s = slots.tokens(field);
      const min = level.min;
      return (a, b) => {
        const x = a[s] as string[] | null;
        const y = b[s] as string[] | null;
        return x !== null && y !== null && intersectionSize(x, y) >= min;
      };
    }
    case 'dateWithin': {
      const s = slots.days(field);
      const days = level.days;
      return (a, b) => {
        const x = a[s] as number | null;
        const y = b[s] as number | null;
        return x !== null && y !== null && Math.abs(x - y) <= days;
      };
    }
    case 'dateTransposed': {
      const s = slots.date(field);
      return (a, b) => {
        const x = a[s] as number | null;
        const y = b[s] as number | null;
        return x !== null && y !== null && isPackedDateTransposed(x, y);
      };
    }
    case 'numericRelative': {
      const s = slots.number(field);
      const maxRel = level.maxRel;
      return (a, b) => {
        const x = a[s] as number | null;
        const y = b[s] as number | null;
        if (x === null || y === null) return false;
        const scale = Math.max(Math.abs(x), Math.abs(y));
        return scale === 0 || Math.abs(x - y) <= maxRel * scale;
      };
    }
    case 'numericAbsolute': {
      const s = slots.number(field);
      const max = level.max;
      return (a, b) => {
        const x = a[s] as number | null;
        const y = b[s] as number | null;
        return x !== null && y !== null && Math.abs(x - y) <= max;
      };
    }
    case 'prefix': {
      const s = slots.text(field);
      const length = level.length;
      return (a, b) => {
        const x = a[s] as string | null;
        const y = b[s] as string | null;
        if (x === null || y === null || x.length < length || y.length < length) return false;
        for (let i = 0; i < length; i++) if (x.charCodeAt(i) !== y.charCodeAt(i)) return false;
        return true;
      };
    }
    case 'cutPrefix': {
      const whole = slots.text(field);
      const cut = slots.text(level.cutField);
      const starts = (x: unknown, y: unknown): boolean => x !== null && y !== null && (y as string).startsWith(x as string);
      if (level.between === 'twoCuts') {
        return (a, b) => a[cut] !== null && b[cut] !== null && (starts(a[cut], b[cut]) || starts(b[cut], a[cut]));
      }
      return (a, b) => starts(a[cut], b[whole]) || starts(b[cut], a[whole]);
    }
    case 'swapped': {
      const s0 = slots.key(comparison.fields[0]);
      const s1 = slots.key(comparison.fields[1]);
      return (a, b) => a[s0] !== null && a[s1] !== null && a[s0] === b[s1] && a[s1] === b[s0];
    }
    case 'cross': {
      const s0 = slots.text(comparison.fields[0]);
      const s1 = slots.text(comparison.fields[1]);
      const min = level.min;
      const same = (x: unknown, y: unknown): boolean => {
        if (x === null || y === null) return false;
        return x === y || (min !== undefined && jaroWinkler(x as string, y as string) >= min);
      };
      return (a, b) => same(a[s0], b[s1]) || same(a[s1], b[s0]);
    }
    case 'crossIn': {
      const s0 = slots.tokens(comparison.fields[0]);
      const s1 = slots.elements(comparison.fields[1]);
      const within = (x: unknown, y: unknown): boolean =>
        x !== null && y !== null && intersectionSize(x as string[], y as string[]) === (x as string[]).length;
      return (a, b) => within(a[s1], b[s0]) || within(b[s1], a[s0]);
    }
    case 'absent': {
      const s = slots.key(level.field);
      return (a, b) => a[s] === null && b[s] === null;
    }
    case 'dateParts': {
      const s = slots.date(field);
      let mask = 0;
      for (const part of level.parts) mask |= part === 'year' ? 4 : part === 'month' ? 2 : 1;
      return (a, b) => {
        const x = a[s] as number | null;
        const y = b[s] as number | null;
        if (x === null || y === null) return false;
        if (mask & 4 && Math.floor(x / 10000) !== Math.floor(y / 10000)) return false;
        if (mask & 2 && Math.floor(x / 100) % 100 !== Math.floor(y / 100) % 100) return false;
        return !(mask & 1) || x % 100 === y % 100;
      };
    }
    case 'else':
      return () => true;
  }
}

function compileComparison(
  comparison: Comparison,
  index: number,
  slots: SlotRegistry,
  tables: Readonly<Record<string, TermFrequencyTable>>,
  missingTables: Set<string>,
): CompiledComparison {
  const { m, u } = levelProbabilities(comparison);
  const nullSlot = slots.key(comparison.fields[0]);
  const memo = new PairMemo();
  const nonNull = comparison.levels.slice(1) as NonNullLevel[];
  for (const lvl of nonNull) {
    if (lvl.kind === 'levenshtein' || lvl.kind === 'damerauLevenshtein') {
      memo.raise(lvl.kind, slots.text(lvl.field ?? comparison.fields[0]), lvl.max);
    }
  }
  for (const lvl of nonNull) {
    if (lvl.kind === 'tokenCosine') {
      const key = documentFrequencyKey(lvl.field ?? comparison.fields[0]);
      if (!tables[key]) missingTables.add(key);
    }
  }
  const predicates = nonNull.map((lvl) => {
    const predicate = compileLevel(lvl, comparison, slots, memo, tables);
    if (!('acrossSources' in lvl) || !lvl.acrossSources) return predicate;
    const source = slots.source();
    return (a: RecordView, b: RecordView) => a[source] !== b[source] && predicate(a, b);
  });
  const count = predicates.length;
  const level = (a: RecordView, b: RecordView): number => {
    if (a[nullSlot] === null || b[nullSlot] === null) return 0;
    memo.epoch++;
    for (let i = 0; i < count; i++) if (predicates[i](a, b)) return i + 1;
    return count;
  };

  const tf = comparison.tf;
  const table = tf ? tables[tf.field] : undefined;
  if (tf && !table) missingTables.add(tf.field);
  let tfSlot = -1;
  if (tf && table) {
    const minU = tf.minU;
    tfSlot = slots.slot(`tf:${minU}`, tf.field, (value) => {
      const key = valueKey(value);
      const tfU = key === null ? null : termFrequencyU(table, key, minU);
      return tfU === null ? Number.NaN : Math.log2(tfU);
    });
  }
  const levels: CompiledLevel[] = comparison.levels.map((lvl, l) => {
    const isTf =
      tfSlot >= 0 && lvl.kind === 'exact' && ((lvl.field ?? comparison.fields[0]) === tf?.field);
    return {
      kind: lvl.kind,
      label: describeLevel(lvl),
      m: m[l],
      u: u[l],
      weight: l === 0 ? 0 : matchWeight(m[l], u[l]),
      tf: isTf,
    };
  });
  return {
    name: comparison.name,
    index,
    fields: comparison.fields,
    levels,
    weights: Float64Array.from(levels, (l) => l.weight),
    log2u: Float64Array.from(levels, (l) => Math.log2(l.u)),
    tfLevels: Uint8Array.from(levels, (l) => (l.tf ? 1 : 0)),
    tfSlot,
    tfWeight: tf?.weight ?? 0,
    level,
  };
}

function compileRule(rule: DeterministicRule, index: number, slots: SlotRegistry): CompiledRule {
  const fieldSlots = rule.fields.map((field) => slots.elements(field));
  const n = fieldSlots.length;
  const cut = rule.cutField === undefined ? -1 : slots.text(rule.cutField);
  const whole = cut < 0 ? -1 : slots.text(rule.fields[0]);
  const startsWith = (x: unknown, y: unknown): boolean => (y as string).startsWith(x as string);
  const evaluate = (a: RecordView, b: RecordView): number => {
    if (cut >= 0 && (a[cut] !== null || b[cut] !== null)) {
      const x = a[cut] ?? a[whole];
      const y = b[cut] ?? b[whole];
      if (x === null || y === null) return RULE_NOT_APPLICABLE;
      // Two cut values: one the beginning of the other; a cut and a whole one: the whole starts with the cut.
      const consistent = a[cut] !== null && b[cut] !== null ? startsWith(x, y) || startsWith(y, x) : a[cut] !== null ? startsWith(x, y) : startsWith(y, x);
      if (!consistent) return RULE_CONFLICT;
      return rule.cutAgreement === 'review' ? RULE_UNSURE : RULE_NOT_APPLICABLE;
    }
    let equal = true;
    for (let i = 0; i < n; i++) {
      const x = a[fieldSlots[i]] as string[] | null;
      const y = b[fieldSlots[i]] as string[] | null;
      if (x === null || y === null) return RULE_NOT_APPLICABLE;
      if (equal && intersectionSize(x, y) === 0) equal = false;
    }
    return equal ? RULE_EQUAL : RULE_CONFLICT;
  };
  return { name: rule.name, index, rule, evaluate };
}

/**
 * Models already validated, by object: a model is compiled for every group a resolution scores
 * (a real-time one resolves a few records, and validation would cost it more than the scoring).
 * Models are not changed in place (a new prior makes a new object), so the object is the key.
 */
const parsedModels = new WeakMap<object, MatchModel>();

/**
 * Validate a model and turn it into closures for fast scoring. Compile once per worker and reuse.
 * Comparisons with `tf` need the field's table in `options.termFrequencies`; without it they
 * score with the level's average `u` (listed in `missingTermFrequencies`).
 *
 * @example
 * ```ts
 * const compiled = compileModel(model, { termFrequencies: { familyName: buildTermFrequencies(records, 'familyName') } });
 * const level = compiled.comparisons[0].level(compiled.view(a), compiled.view(b));
 * ```
 */
export function compileModel(model: MatchModel | MatchModelInput, options: CompileOptions = {}): CompiledModel {
  let parsed = parsedModels.get(model);
  if (!parsed) parsedModels.set(model, (parsed = modelSchema.parse(model)));
  const slots = new SlotRegistry();
  const missing = new Set<string>();
  const tables = options.termFrequencies ?? {};
  const comparisons = parsed.comparisons.map((c, i) => compileComparison(c, i, slots, tables, missing));
  const rules = parsed.rules.map((r, i) => compileRule(r, i, slots));
  return {
    model: parsed,
    priorWeight: probabilityToMatchWeight(parsed.prior),
    comparisons,
    rules,
    thresholds: {
      autoMerge: thresholdToMatchWeight(parsed.thresholds.autoMerge),
      review: thresholdToMatchWeight(parsed.thresholds.review),
    },
    missingTermFrequencies: [...missing],
    view: slots.viewer(),
  };
}

const standalone = new WeakMap<Comparison, { level: CompiledComparison['level']; view: CompiledModel['view'] }>();

/**
 * The level index of a pair for one comparison of a model: 0 (the null level) when either side
 * misses the comparison's first field, otherwise the first level whose predicate holds.
 * Compiles the comparison on first use; for bulk work use `compileModel`.
 *
 * @example
 * ```ts
 * comparisonLevel(model.comparisons[0], left, right) // e.g. 1 for an exact match
 * ```
 */
export function comparisonLevel(comparison: Comparison, left: PreparedRecord, right: PreparedRecord): number {
  let compiled = standalone.get(comparison);
  if (!compiled) {
    const slots = new SlotRegistry();
    const c = compileComparison(comparison, 0, slots, {}, new Set());
    compiled = { level: c.level, view: slots.viewer() };
    standalone.set(comparison, compiled);
  }
  return compiled.level(compiled.view(left), compiled.view(right));
}
