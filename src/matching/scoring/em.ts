/*
 * Expectation-Maximisation of m (and optionally lambda, u) from unlabelled level vectors, as
 * Splink does: u comes from random pairs and stays fixed, the null level is skipped, pairs are
 * conditionally independent across comparisons given match status. Identical level vectors are
 * grouped into patterns first, so an iteration costs O(patterns), not O(pairs).
 */

import type { MatchModel } from '../model/schema';
import { levelProbabilities } from '../model/defaults';
import { describeLevel } from '../model/describe';
import { withTrainedValues } from '../model/update';
import type { LevelVectors } from './vectors';

export interface EmOptions {
  /** Default 100. */
  maxIterations?: number;
  /** Stop when no m, u or lambda moves by more than this. Default 1e-5. */
  tolerance?: number;
  /** Laplace pseudo-count added to each non-null level's expected count. Default 1. */
  smoothing?: number;
  /** Estimate lambda (the share of matches among the pairs). Default true. */
  estimateLambda?: boolean;
  /** Estimate u as well instead of holding it fixed. Default false. */
  estimateU?: boolean;
}

/** Pair membership: a known match, a known non-match, or unknown (the default). */
export const ANCHOR_NONE = -1;
export const ANCHOR_NON_MATCH = 0;
export const ANCHOR_MATCH = 1;

export interface EmProblem {
  /** Level index per pair and comparison, row-major. */
  levels: Uint8Array;
  comparisonCount: number;
  /** Rows of `levels` to use; all rows when absent. */
  rows?: Uint32Array;
  /** Starting m and fixed (or starting) u per comparison per level; index 0 is the null level. */
  m: readonly (readonly number[])[];
  u: readonly (readonly number[])[];
  /** Starting share of matches among the pairs. */
  lambda: number;
  /** Comparisons that take part; others are left out of the likelihood and keep their m. Default all. */
  trainable?: readonly boolean[];
  /** Comparisons that take part with their m held (their u is still estimated with `estimateU`). */
  fixedM?: readonly boolean[];
  /** Per row of `levels`: ANCHOR_MATCH / ANCHOR_NON_MATCH fix the pair's posterior. */
  anchors?: Int8Array;
}

export interface EmResult {
  m: number[][];
  u: number[][];
  lambda: number;
  iterations: number;
  converged: boolean;
  /** Largest parameter change in the last iteration. */
  maxChange: number;
  /** Sum of the posteriors: the expected number of matches among the pairs. */
  expectedMatches: number;
  pairs: number;
  /** Distinct (level vector, anchor) patterns. */
  patterns: number;
  /** P(match | levels) per used row, in the order of `rows` (or of all rows). */
  posteriors: Float64Array;
}

const LAMBDA_FLOOR = 1e-9;

interface Patterns {
  levels: Uint8Array;
  counts: Float64Array;
  anchors: Int8Array;
  ofRow: Uint32Array;
  size: number;
}

function groupPatterns(problem: EmProblem, active: number[], rowCount: number, rowAt: (k: number) => number): Patterns {
  const width = active.length;
  const stride = problem.comparisonCount;
  const radices = active.map((c) => problem.m[c].length);
  let span = 3;
  for (const r of radices) span *= r;
  const numericKeys = span < Number.MAX_SAFE_INTEGER;
  const index = new Map<number | string, number>();
  const levels: number[] = [];
  const counts: number[] = [];
  const anchors: number[] = [];
  const ofRow = new Uint32Array(rowCount);
  for (let k = 0; k < rowCount; k++) {
    const row = rowAt(k);
    const anchor = problem.anchors ? problem.anchors[row] : ANCHOR_NONE;
    const anchorDigit = anchor === ANCHOR_MATCH ? 2 : anchor === ANCHOR_NON_MATCH ? 1 : 0;
    let key: number | string;
    if (numericKeys) {
      let n = anchorDigit;
      for (let i = 0; i < width; i++) n = n * radices[i] + problem.levels[row * stride + active[i]];
      key = n;
    } else {
      let s = String(anchorDigit);
      for (let i = 0; i < width; i++) s += ',' + problem.levels[row * stride + active[i]];
      key = s;
    }
    let p = index.get(key);
    if (p === undefined) {
      p = counts.length;
      index.set(key, p);
      counts.push(0);
      anchors.push(anchor === ANCHOR_MATCH || anchor === ANCHOR_NON_MATCH ? anchor : ANCHOR_NONE);
      for (let i = 0; i < width; i++) levels.push(problem.levels[row * stride + active[i]]);
    }
    counts[p]++;
    ofRow[k] = p;
  }
  return {
    levels: Uint8Array.from(levels),
    counts: Float64Array.from(counts),
    anchors: Int8Array.from(anchors),
    ofRow,
    size: counts.length,
  };
}

function posteriorsOf(patterns: Patterns, active: number[], m: number[][], u: number[][], lambda: number, out: Float64Array): void {
  const width = active.length;
  const logBf = active.map((c) => m[c].map((mv, l) => (l === 0 ? 0 : Math.log(mv / u[c][l]))));
  const logPriorOdds = Math.log(lambda / (1 - lambda));
  for (let p = 0; p < patterns.size; p++) {
    const anchor = patterns.anchors[p];
    if (anchor !== ANCHOR_NONE) {
      out[p] = anchor;
      continue;
    }
    let logit = logPriorOdds;
    for (let i = 0; i < width; i++) logit += logBf[i][patterns.levels[p * width + i]];
    out[p] = 1 / (1 + Math.exp(-logit));
  }
}

/**
 * Run EM on level vectors. Returns m (and u, lambda) per comparison per level; comparisons not
 * trainable keep their starting m. Deterministic: no randomness involved.
 *
 * @example
 * ```ts
 * const result = runEm({ levels, comparisonCount: 3, m: startM, u: fixedU, lambda: 0.1 });
 * result.m[0][1] // estimated P(exact | match) of comparison 0
 * ```
 */
export function runEm(problem: EmProblem, options: EmOptions = {}): EmResult {
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-5;
  const smoothing = options.smoothing ?? 1;
  const estimateLambda = options.estimateLambda ?? true;
  const estimateU = options.estimateU ?? false;
  const comparisonCount = problem.comparisonCount;
  const active: number[] = [];
  for (let c = 0; c < comparisonCount; c++) if (problem.trainable?.[c] ?? true) active.push(c);
  const rowCount = problem.rows ? problem.rows.length : problem.levels.length / Math.max(1, comparisonCount);
  const rows = problem.rows;
  const patterns = groupPatterns(problem, active, rowCount, rows ? (k) => rows[k] : (k) => k);
  const width = active.length;

  let m = problem.m.map((levels) => [...levels]);
  let u = problem.u.map((levels) => [...levels]);
  let lambda = Math.min(1 - LAMBDA_FLOOR, Math.max(LAMBDA_FLOOR, problem.lambda));
  const posterior = new Float64Array(patterns.size);
  let iterations = 0;
  let converged = false;
  let maxChange = Infinity;

  while (iterations < maxIterations && rowCount > 0) {
    iterations++;
    posteriorsOf(patterns, active, m, u, lambda, posterior);
    const mCounts = active.map((c) => new Float64Array(m[c].length));
    const uCounts = active.map((c) => new Float64Array(u[c].length));
    let matches = 0;
    for (let p = 0; p < patterns.size; p++) {
      const count = patterns.counts[p];
      const post = posterior[p] * count;
      const nonPost = count - post;
      matches += post;
      for (let i = 0; i < width; i++) {
        const level = patterns.levels[p * width + i];
        mCounts[i][level] += post;
        uCounts[i][level] += nonPost;
      }
    }
    const nextM = m.map((levels) => [...levels]);
    const nextU = u.map((levels) => [...levels]);
    active.forEach((c, i) => {
      if (!problem.fixedM?.[c]) nextM[c] = normalizeLevels(mCounts[i], smoothing, m[c]);
      if (estimateU) nextU[c] = normalizeLevels(uCounts[i], smoothing, u[c]);
    });
    const nextLambda = estimateLambda
      ? Math.min(1 - LAMBDA_FLOOR, Math.max(LAMBDA_FLOOR, matches / rowCount))
      : lambda;
    maxChange = Math.abs(nextLambda - lambda);
    for (const c of active) {
      for (let l = 1; l < m[c].length; l++) {
        maxChange = Math.max(maxChange, Math.abs(nextM[c][l] - m[c][l]), Math.abs(nextU[c][l] - u[c][l]));
      }
    }
    m = nextM;
    u = nextU;
    lambda = nextLambda;
    if (maxChange < tolerance) {
      converged = true;
      break;
    }
  }

  posteriorsOf(patterns, active, m, u, lambda, posterior);
  const posteriors = new Float64Array(rowCount);
  let expectedMatches = 0;
  for (let k = 0; k < rowCount; k++) {
    posteriors[k] = posterior[patterns.ofRow[k]];
    expectedMatches += posteriors[k];
  }
  return {
    m,
    u,
    lambda,
    iterations,
    converged,
    maxChange: rowCount > 0 ? maxChange : 0,
    expectedMatches,
    pairs: rowCount,
    patterns: patterns.size,
    posteriors,
  };
}

function normalizeLevels(counts: Float64Array, smoothing: number, previous: readonly number[]): number[] {
  let total = 0;
  for (let l = 1; l < counts.length; l++) total += counts[l];
  const denominator = total + smoothing * (counts.length - 1);
  if (!(denominator > 0)) return [...previous];
  const out = [1];
  for (let l = 1; l < counts.length; l++) out.push((counts[l] + smoothing) / denominator);
  return out;
}

/** Which deterministic-rule outcomes anchor a pair's posterior. */
export interface AnchorRules {
  onEqual: 'match' | 'none';
  onConflict: 'hardNegative' | 'none';
}

/**
 * Anchors from the rule outcomes of level vectors: a hard-negative conflict makes a known
 * non-match, otherwise an equal identifier with `onEqual: 'match'` makes a known match.
 *
 * @example
 * ```ts
 * const anchors = deterministicAnchors(vectors, model.rules);
 * ```
 */
export function deterministicAnchors(vectors: LevelVectors, rules: readonly AnchorRules[]): Int8Array {
  const anchors = new Int8Array(vectors.pairCount).fill(ANCHOR_NONE);
  const width = vectors.ruleCount;
  if (width === 0) return anchors;
  for (let k = 0; k < vectors.pairCount; k++) {
    let anchor = ANCHOR_NONE;
    for (let r = 0; r < width; r++) {
      const outcome = vectors.rules[k * width + r];
      if (outcome === 2 && rules[r].onConflict === 'hardNegative') {
        anchor = ANCHOR_NON_MATCH;
        break;
      }
      if (outcome === 1 && rules[r].onEqual === 'match') anchor = ANCHOR_MATCH;
    }
    anchors[k] = anchor;
  }
  return anchors;
}

/** One level's values before and after training. */
export interface LevelReport {
  comparison: string;
  level: number;
  label: string;
  mBefore: number;
  mAfter: number;
  uBefore: number;
  uAfter: number;
  /** Whether EM estimated this level's m. */
  trained: boolean;
}

export interface EmReport {
  iterations: number;
  converged: boolean;
  maxChange: number;
  /** Share of matches among the pairs trained on (not the model prior). */
  lambda: number;
  expectedMatches: number;
  pairs: number;
  patterns: number;
  /** Prior before and after; unchanged unless `totalPairs` was given. */
  prior: { before: number; after: number };
  levels: LevelReport[];
}

export interface ModelEmOptions extends EmOptions {
  /** Starting share of matches among the pairs. Default 0.1. */
  initialLambda?: number;
  /** Fix the posterior of pairs decided by deterministic rules. Default true. */
  anchorDeterministic?: boolean;
  /** All possible pairs of the records; when given, the prior becomes expectedMatches / recall / totalPairs. */
  totalPairs?: number;
  /** Share of true matches the pairs are believed to contain. Default 1. */
  recall?: number;
  /** Comparisons by name to leave out (e.g. those on the blocking fields). */
  exclude?: readonly string[];
}

/**
 * Level-by-level report of a model change.
 *
 * @example
 * ```ts
 * levelReport(before, after, new Set(['dob']))
 * ```
 */
export function levelReport(before: MatchModel, after: MatchModel, trained: ReadonlySet<string>): LevelReport[] {
  const rows: LevelReport[] = [];
  before.comparisons.forEach((comparison, c) => {
    const old = levelProbabilities(comparison);
    const next = levelProbabilities(after.comparisons[c]);
    comparison.levels.forEach((level, l) => {
      if (l === 0) return;
      rows.push({
        comparison: comparison.name,
        level: l,
        label: describeLevel(level),
        mBefore: old.m[l],
        mAfter: next.m[l],
        uBefore: old.u[l],
        uAfter: next.u[l],
        trained: trained.has(comparison.name),
      });
    });
  });
  return rows;
}

/**
 * Train a model's m by EM on the level vectors of candidate pairs, u taken from the model and held
 * fixed (unless `estimateU`). Returns the model with m filled and version bumped, and a report.
 *
 * @example
 * ```ts
 * const vectors = computeLevelVectors(compileModel(model), records, pairs);
 * const { model: trained, report } = expectationMaximisation(model, vectors);
 * ```
 */
export function expectationMaximisation(
  model: MatchModel,
  vectors: LevelVectors,
  options: ModelEmOptions = {},
): { model: MatchModel; report: EmReport } {
  const probabilities = model.comparisons.map((c) => levelProbabilities(c));
  const excluded = new Set(options.exclude ?? []);
  const trainable = model.comparisons.map((c) => !excluded.has(c.name));
  const anchors =
    options.anchorDeterministic ?? true ? deterministicAnchors(vectors, model.rules) : undefined;
  const result = runEm(
    {
      levels: vectors.levels,
      comparisonCount: vectors.comparisonCount,
      m: probabilities.map((p) => p.m),
      u: probabilities.map((p) => p.u),
      lambda: options.initialLambda ?? 0.1,
      trainable,
      anchors,
    },
    options,
  );
  const prior =
    options.totalPairs !== undefined && options.totalPairs > 0
      ? Math.min(0.5, Math.max(LAMBDA_FLOOR, result.expectedMatches / (options.recall ?? 1) / options.totalPairs))
      : undefined;
  const trained = withTrainedValues(model, {
    m: result.m.map((levels, c) => (trainable[c] ? levels : probabilities[c].m)),
    u: options.estimateU ? result.u : probabilities.map((p) => p.u),
    prior,
  });
  const names = new Set(model.comparisons.filter((_, c) => trainable[c]).map((c) => c.name));
  return {
    model: trained,
    report: {
      iterations: result.iterations,
      converged: result.converged,
      maxChange: result.maxChange,
      lambda: result.lambda,
      expectedMatches: result.expectedMatches,
      pairs: result.pairs,
      patterns: result.patterns,
      prior: { before: model.prior, after: trained.prior },
      levels: levelReport(model, trained, names),
    },
  };
}
