/*
 * Compiling a match model into closures. Each record gets a "view": an array of derived values
 * (equality keys, texts, token sets, dates, numbers, OCR folds, term-frequency u), computed once
 * per record and cached, so the per-pair work is the level predicates alone.
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
import { levenshteinWithin } from '../similarity/levenshtein';
import { damerauLevenshteinWithin } from '../similarity/damerau-levenshtein';
import { intersectionSize, jaccard, tokenSetContains } from '../similarity/jaccard';
import { isDateTransposed, type DateParts } from '../similarity/dates';
import { ocrFold } from '../similarity/ocr-fold';
import { matchWeight, probabilityToMatchWeight, thresholdToMatchWeight } from './math';
import { termFrequencyU, type TermFrequencyTable } from './term-frequency';
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

export interface CompiledRule {
  name: string;
  index: number;
  rule: DeterministicRule;
  /** RULE_NOT_APPLICABLE, RULE_EQUAL or RULE_CONFLICT. */
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

  key(field: string): number {
    return this.slot('key', field, valueKey);
  }
  text(field: string): number {
    return this.slot('text', field, valueText);
  }
  tokens(field: string): number {
    return this.slot('tokens', field, valueTokens);
  }
  elements(field: string): number {
    return this.slot('elements', field, valueElements);
  }
  number(field: string): number {
    return this.slot('number', field, valueNumber);
  }
  date(field: string): number {
    return this.slot('date', field, valueDate);
  }
  ocr(field: string): number {
    return this.slot('ocr', field, (v) => {
      const key = valueKey(v);
      return key === null ? null : ocrFold(key);
    });
  }

  viewer(): (record: PreparedRecord) => RecordView {
    const { fields, derives } = this;
    const cache = new WeakMap<PreparedRecord, RecordView>();
    return (record) => {
      let view = cache.get(record);
      if (view === undefined) {
        view = new Array(fields.length);
        const values = record.fields;
        for (let s = 0; s < fields.length; s++) view[s] = derives[s](values[fields[s]]);
        cache.set(record, view);
      }
      return view;
    };
  }
}

function compileLevel(level: NonNullLevel, comparison: Comparison, slots: SlotRegistry): LevelPredicate {
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
      return (a, b) => {
        const x = a[s] as string | null;
        const y = b[s] as string | null;
        return x !== null && y !== null && (x === y || jaroWinkler(x, y) >= min);
      };
    }
    case 'levenshtein': {
      const s = slots.text(field);
      const max = level.max;
      return (a, b) => {
        const x = a[s] as string | null;
        const y = b[s] as string | null;
        return x !== null && y !== null && levenshteinWithin(x, y, max);
      };
    }
    case 'damerauLevenshtein': {
      const s = slots.text(field);
      const max = level.max;
      return (a, b) => {
        const x = a[s] as string | null;
        const y = b[s] as string | null;
        return x !== null && y !== null && damerauLevenshteinWithin(x, y, max);
      };
    }
    case 'jaccard': {
      const s = slots.tokens(field);
      const min = level.min;
      return (a, b) => {
        const x = a[s] as string[] | null;
        const y = b[s] as string[] | null;
        return x !== null && y !== null && jaccard(x, y) >= min;
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
      const s = slots.date(field);
      const days = level.days;
      return (a, b) => {
        const x = a[s] as DateParts | null;
        const y = b[s] as DateParts | null;
        return x !== null && y !== null && Math.abs(x.days - y.days) <= days;
      };
    }
    case 'dateTransposed': {
      const s = slots.date(field);
      return (a, b) => {
        const x = a[s] as DateParts | null;
        const y = b[s] as DateParts | null;
        return x !== null && y !== null && isDateTransposed(x, y);
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
    case 'swapped': {
      const s0 = slots.key(comparison.fields[0]);
      const s1 = slots.key(comparison.fields[1]);
      return (a, b) => a[s0] !== null && a[s1] !== null && a[s0] === b[s1] && a[s1] === b[s0];
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
  const predicates = comparison.levels.slice(1).map((level) => compileLevel(level as NonNullLevel, comparison, slots));
  const count = predicates.length;
  const level = (a: RecordView, b: RecordView): number => {
    if (a[nullSlot] === null || b[nullSlot] === null) return 0;
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
  const evaluate = (a: RecordView, b: RecordView): number => {
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
  const parsed = modelSchema.parse(model);
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
