/*
 * Scoring a pair: the total match weight is the prior weight plus each comparison level's weight,
 * plus term-frequency adjustments, plus the weights of deterministic rules that fired.
 * `scoreWeight` is the bulk path (no objects built); `scorePair` adds the explanation rows that
 * the steward console renders as they are.
 */

import type { PreparedRecord, PreparedValue } from '../model/prepared-record';
import {
  RULE_CONFLICT,
  RULE_EQUAL,
  RULE_UNSURE,
  type CompiledModel,
  type CompiledRule,
} from './compare';
import { matchWeightToBayesFactor, matchWeightToProbability, probabilityToBayesFactor } from './math';

/** Reusable output of `scoreWeight`; allocate once per worker with `createWeightResult`. */
export interface WeightResult {
  /** Total match weight in bits. */
  weight: number;
  /** Level index per comparison. */
  levels: Uint8Array;
  /** Raw rule outcome per rule: 0 not applicable, 1 equal, 2 conflict. */
  rules: Uint8Array;
  /** A rule with `onConflict: 'hardNegative'` saw conflicting identifiers: never merge automatically. */
  hardNegative: boolean;
  /** A rule with `onEqual: 'match'` saw equal identifiers (and no hard negative fired). */
  deterministicMatch: boolean;
}

export type DeterministicOutcome = 'match' | 'hardNegative';

/** One line of a pair's explanation. Rows' `weight`s add up to the pair's weight. */
export interface ExplanationRow {
  kind: 'prior' | 'comparison' | 'rule';
  /** 'prior', the comparison's name or the rule's name. */
  comparison: string;
  /** Level index within the comparison; -1 for the prior and rules. */
  level: number;
  label: string;
  leftValue: PreparedValue;
  rightValue: PreparedValue;
  /** The level's m and u; null for the prior and rules. */
  m: number | null;
  u: number | null;
  /** 2^weight: m / u for a level, times the term-frequency factor when adjusted. */
  bayesFactor: number;
  /** Bits this row adds to the total, term-frequency adjustment included. */
  weight: number;
  /** Bits of `weight` that come from term frequency: log2(u / tfU) × tf weight. */
  tfAdjustment?: number;
  /** The u the value's frequency gave (replacing `u` for this pair). */
  tfU?: number;
}

export interface ScoredPair {
  left: number;
  right: number;
  weight: number;
  probability: number;
  /** The blocking rule that produced the pair. */
  rule: string;
  deterministic?: { rule: string; outcome: DeterministicOutcome };
  explanation: ExplanationRow[];
}

/**
 * A result buffer sized for the model, to pass to `scoreWeight` again and again.
 *
 * @example
 * ```ts
 * const out = createWeightResult(compiled);
 * for (const [i, j] of pairs) if (scoreWeight(compiled, records[i], records[j], out).weight > t) keep(i, j);
 * ```
 */
export function createWeightResult(compiled: CompiledModel): WeightResult {
  return {
    weight: 0,
    levels: new Uint8Array(compiled.comparisons.length),
    rules: new Uint8Array(compiled.rules.length),
    hardNegative: false,
    deterministicMatch: false,
  };
}

/**
 * Total match weight and level vector of a pair, written into `out` (no allocation when given).
 *
 * @example
 * ```ts
 * const { weight, levels } = scoreWeight(compiled, left, right, out);
 * ```
 */
export function scoreWeight(
  compiled: CompiledModel,
  left: PreparedRecord,
  right: PreparedRecord,
  out: WeightResult = createWeightResult(compiled),
): WeightResult {
  const a = compiled.view(left);
  const b = compiled.view(right);
  const comparisons = compiled.comparisons;
  const levels = out.levels;
  let weight = compiled.priorWeight;
  for (let c = 0; c < comparisons.length; c++) {
    const comparison = comparisons[c];
    const level = comparison.level(a, b);
    levels[c] = level;
    weight += comparison.weights[level];
    if (comparison.tfLevels[level] === 1) {
      const log2TfU = a[comparison.tfSlot] as number;
      if (log2TfU === log2TfU) weight += (comparison.log2u[level] - log2TfU) * comparison.tfWeight;
    }
  }
  let hardNegative = false;
  let deterministicMatch = false;
  const rules = compiled.rules;
  for (let r = 0; r < rules.length; r++) {
    const outcome = rules[r].evaluate(a, b);
    out.rules[r] = outcome;
    const rule = rules[r].rule;
    if (outcome === RULE_EQUAL) {
      if (rule.onEqual === 'match') {
        weight += rule.weight;
        deterministicMatch = true;
      }
    } else if (outcome === RULE_CONFLICT) {
      weight += rule.conflictWeight;
      if (rule.onConflict === 'hardNegative') hardNegative = true;
    } else if (outcome === RULE_UNSURE && rule.onConflict === 'hardNegative') {
      hardNegative = true;
    }
  }
  out.weight = weight;
  out.hardNegative = hardNegative;
  out.deterministicMatch = deterministicMatch && !hardNegative;
  return out;
}

function shownValue(record: PreparedRecord, fields: readonly string[]): PreparedValue {
  if (fields.length === 1) return record.fields[fields[0]] ?? null;
  return fields.map((f) => {
    const v = record.fields[f];
    return v === null || v === undefined ? '' : Array.isArray(v) ? v.join(' ') : String(v);
  });
}

function ruleRow(rule: CompiledRule, outcome: number, left: PreparedRecord, right: PreparedRecord): ExplanationRow | null {
  const settings = rule.rule;
  let weight: number;
  let label: string;
  if (outcome === RULE_EQUAL && settings.onEqual === 'match') {
    weight = settings.weight;
    label = 'identifiers equal';
  } else if (outcome === RULE_CONFLICT && (settings.onConflict === 'hardNegative' || settings.conflictWeight !== 0)) {
    weight = settings.conflictWeight;
    label = settings.onConflict === 'hardNegative' ? 'identifiers conflict: hard negative' : 'identifiers conflict';
  } else if (outcome === RULE_UNSURE && settings.onConflict === 'hardNegative') {
    weight = 0;
    label = 'a cut identifier agrees but cannot confirm: no automatic merge';
  } else {
    return null;
  }
  return {
    kind: 'rule',
    comparison: rule.name,
    level: -1,
    label,
    leftValue: shownValue(left, settings.fields),
    rightValue: shownValue(right, settings.fields),
    m: null,
    u: null,
    bayesFactor: matchWeightToBayesFactor(weight),
    weight,
  };
}

/**
 * Score a pair with its full explanation: the prior row first, then one row per comparison, then
 * rows for deterministic rules that fired. `weight` equals the sum of the rows' weights.
 *
 * @example
 * ```ts
 * const scored = scorePair(compiled, records[i], records[j], 'surname+dob');
 * scored.explanation[0].comparison // 'prior'
 * ```
 */
export function scorePair(
  compiled: CompiledModel,
  left: PreparedRecord,
  right: PreparedRecord,
  blockingRule: string,
): ScoredPair {
  const result = scoreWeight(compiled, left, right);
  const a = compiled.view(left);
  const prior = compiled.model.prior;
  const explanation: ExplanationRow[] = [
    {
      kind: 'prior',
      comparison: 'prior',
      level: -1,
      label: 'probability two random records match',
      leftValue: null,
      rightValue: null,
      m: null,
      u: null,
      bayesFactor: probabilityToBayesFactor(prior),
      weight: compiled.priorWeight,
    },
  ];
  for (const comparison of compiled.comparisons) {
    const l = result.levels[comparison.index];
    const level = comparison.levels[l];
    const row: ExplanationRow = {
      kind: 'comparison',
      comparison: comparison.name,
      level: l,
      label: level.label,
      leftValue: shownValue(left, comparison.fields),
      rightValue: shownValue(right, comparison.fields),
      m: l === 0 ? null : level.m,
      u: l === 0 ? null : level.u,
      bayesFactor: 1,
      weight: level.weight,
    };
    if (comparison.tfLevels[l] === 1) {
      const log2TfU = a[comparison.tfSlot] as number;
      if (log2TfU === log2TfU) {
        row.tfAdjustment = (comparison.log2u[l] - log2TfU) * comparison.tfWeight;
        row.tfU = 2 ** log2TfU;
        row.weight += row.tfAdjustment;
      }
    }
    row.bayesFactor = matchWeightToBayesFactor(row.weight);
    explanation.push(row);
  }
  let deterministic: ScoredPair['deterministic'];
  let firstMatch: string | undefined;
  for (const rule of compiled.rules) {
    const outcome = result.rules[rule.index];
    const row = ruleRow(rule, outcome, left, right);
    if (row) explanation.push(row);
    if ((outcome === RULE_CONFLICT || outcome === RULE_UNSURE) && rule.rule.onConflict === 'hardNegative' && !deterministic) {
      deterministic = { rule: rule.name, outcome: 'hardNegative' };
    }
    if (outcome === RULE_EQUAL && rule.rule.onEqual === 'match' && firstMatch === undefined) firstMatch = rule.name;
  }
  if (!deterministic && firstMatch !== undefined) deterministic = { rule: firstMatch, outcome: 'match' };
  const scored: ScoredPair = {
    left: left.id,
    right: right.id,
    weight: result.weight,
    probability: matchWeightToProbability(result.weight),
    rule: blockingRule,
    explanation,
  };
  if (deterministic) scored.deterministic = deterministic;
  return scored;
}
