/*
 * Unsupervised training of a match model: term-frequency tables from the records, u from random
 * pairs, m by EM on the candidate pairs, and the prior from the expected number of matches.
 *
 * EM runs one session per blocking rule, as Splink does: within the pairs a rule produced, the
 * comparisons on that rule's fields agree far more often among non-matches than random pairs do,
 * so with u held fixed they would be mistaken for evidence; each session therefore leaves them
 * out. A comparison's m is the average over the sessions that trained it, weighted by each
 * session's expected matches.
 */

import type { PreparedRecord } from '../model/prepared-record';
import { modelSchema, type Comparison, type MatchModel, type MatchModelInput } from '../model/schema';
import { levelProbabilities } from '../model/defaults';
import { withTrainedValues } from '../model/update';
import { compileModel } from './compare';
import { deterministicAnchors, levelReport, runEm, type EmOptions, type LevelReport } from './em';
import { estimateU } from './estimate-u';
import { buildTermFrequencies, type TermFrequencyTable } from './term-frequency';
import { intersectionSize } from '../similarity/jaccard';
import { valueElements } from './values';
import { candidatePairCount, computeLevelVectors, forEachCandidatePair, type CandidatePairs, type LevelVectors } from './vectors';

export interface TrainOptions extends EmOptions {
  /** Seed of the random-pair sample for u. Default 1. */
  seed?: number;
  /** Random pairs for u. Default 1,000,000. */
  uSamplePairs?: number;
  /** Pseudo-count for u. Default 1. */
  uSmoothing?: number;
  /** 'blockingRules': one EM session per blocking rule (default); 'single': one session, nothing left out. */
  sessions?: 'blockingRules' | 'single';
  /** Re-estimate the prior from the expected matches among the candidate pairs. Default true. */
  estimatePrior?: boolean;
  /** Share of true matches the candidate pairs are believed to contain, for the prior. Default 1. */
  recall?: number;
  /** Fix the posterior of pairs decided by deterministic rules (anchors m and lambda). Default true. */
  anchorDeterministic?: boolean;
  /** Starting share of matches among each session's pairs. Default 0.1. */
  initialLambda?: number;
  /** Prebuilt tables; missing ones are built from `records`. */
  termFrequencies?: Readonly<Record<string, TermFrequencyTable>>;
}

export interface SessionReport {
  /** The blocking rule's name, or 'unblocked' / 'all'. */
  name: string;
  pairs: number;
  trained: string[];
  excluded: string[];
  iterations: number;
  converged: boolean;
  /** Share of matches among this session's pairs. */
  lambda: number;
  expectedMatches: number;
  patterns: number;
  skipped?: string;
}

export interface TrainingReport {
  records: number;
  candidatePairs: number;
  u: { pairs: number; exhaustive: boolean; seed: number };
  sessions: SessionReport[];
  prior: { before: number; after: number; estimated: boolean; expectedMatches: number; totalPairs: number };
  /** Comparisons no session could train (their m kept its previous or default value). */
  untrained: string[];
  converged: boolean;
  levels: LevelReport[];
}

export interface TrainResult {
  model: MatchModel;
  report: TrainingReport;
  termFrequencies: Record<string, TermFrequencyTable>;
}

/** Every prepared field a comparison reads. */
function comparisonFields(comparison: Comparison): Set<string> {
  const fields = new Set(comparison.fields);
  for (const level of comparison.levels) {
    if ('field' in level && level.field) fields.add(level.field);
    if (level.kind === 'exactOcr' && level.fold) fields.add(level.fold);
  }
  if (comparison.tf) fields.add(comparison.tf.field);
  return fields;
}

interface Session {
  name: string;
  rows: Uint32Array;
  trainable: boolean[];
}

/** Which pairs each blocking rule would have produced: every `on` field shares an element. */
function blockingMembership(
  model: MatchModel,
  records: readonly PreparedRecord[],
  pairs: CandidatePairs,
): Uint8Array[] {
  const elements = new Map<string, (string[] | null)[]>();
  for (const rule of model.blocking) {
    for (const field of rule.on) {
      if (!elements.has(field)) elements.set(field, records.map((r) => valueElements(r.fields[field])));
    }
  }
  const count = candidatePairCount(pairs);
  return model.blocking.map((rule) => {
    const columns = rule.on.map((field) => elements.get(field)!);
    const member = new Uint8Array(count);
    forEachCandidatePair(pairs, (i, j, k) => {
      for (const column of columns) {
        const x = column[i];
        const y = column[j];
        if (x === null || y === null || intersectionSize(x, y) === 0) return;
      }
      member[k] = 1;
    });
    return member;
  });
}

function planSessions(model: MatchModel, membership: Uint8Array[], pairCount: number, mode: 'blockingRules' | 'single'): {
  sessions: Session[];
  first: Int32Array;
} {
  const first = new Int32Array(pairCount).fill(-1);
  const everything = new Array<boolean>(model.comparisons.length).fill(true);
  if (mode === 'single' || model.blocking.length === 0) {
    first.fill(0);
    return { sessions: [{ name: 'all', rows: Uint32Array.from({ length: pairCount }, (_, k) => k), trainable: everything }], first };
  }
  const sessions: Session[] = model.blocking.map((rule, r) => {
    const on = new Set(rule.on);
    const trainable = model.comparisons.map((c) => ![...comparisonFields(c)].some((f) => on.has(f)));
    const rows: number[] = [];
    const member = membership[r];
    for (let k = 0; k < pairCount; k++) {
      if (member[k] === 1) {
        rows.push(k);
        if (first[k] === -1) first[k] = r;
      }
    }
    return { name: rule.name, rows: Uint32Array.from(rows), trainable };
  });
  const unblocked: number[] = [];
  for (let k = 0; k < pairCount; k++) {
    if (first[k] === -1) {
      first[k] = sessions.length;
      unblocked.push(k);
    }
  }
  if (unblocked.length > 0) sessions.push({ name: 'unblocked', rows: Uint32Array.from(unblocked), trainable: everything });
  return { sessions, first };
}

function posteriorOfRow(
  vectors: LevelVectors,
  row: number,
  m: readonly number[][],
  u: readonly number[][],
  lambda: number,
  anchors: Int8Array | undefined,
): number {
  if (anchors && anchors[row] >= 0) return anchors[row];
  let logit = Math.log(lambda / (1 - lambda));
  const width = vectors.comparisonCount;
  for (let c = 0; c < width; c++) {
    const level = vectors.levels[row * width + c];
    if (level > 0) logit += Math.log(m[c][level] / u[c][level]);
  }
  return 1 / (1 + Math.exp(-logit));
}

/**
 * Train a model without labels: term-frequency tables, u from random pairs (seeded), m by EM on
 * the candidate pairs (indices into `records`, from blocking), and the prior. Returns the model in
 * the same JSON shape with values filled and `version` bumped, a report, and the tf tables.
 *
 * @example
 * ```ts
 * const { model: trained, report } = trainModel(model, records, pairs, { seed: 42 });
 * writeFileSync('person.model.json', JSON.stringify(trained, null, 2));
 * ```
 */
export function trainModel(
  model: MatchModel | MatchModelInput,
  records: readonly PreparedRecord[],
  candidatePairs: CandidatePairs,
  options: TrainOptions = {},
): TrainResult {
  const parsed = modelSchema.parse(model);
  const seed = options.seed ?? 1;

  const termFrequencies: Record<string, TermFrequencyTable> = { ...options.termFrequencies };
  for (const comparison of parsed.comparisons) {
    const field = comparison.tf?.field;
    if (field && !termFrequencies[field]) termFrequencies[field] = buildTermFrequencies(records, field);
  }
  const compiled = compileModel(parsed, { termFrequencies });

  const uEstimate = estimateU(compiled, records, {
    samplePairs: options.uSamplePairs,
    seed,
    smoothing: options.uSmoothing,
  });
  const u = uEstimate.u;
  const start = parsed.comparisons.map((c) => levelProbabilities(c).m);

  const vectors = computeLevelVectors(compiled, records, candidatePairs);
  const anchors = options.anchorDeterministic ?? true ? deterministicAnchors(vectors, parsed.rules) : undefined;
  const membership = blockingMembership(parsed, records, candidatePairs);
  const { sessions, first } = planSessions(parsed, membership, vectors.pairCount, options.sessions ?? 'blockingRules');

  const names = parsed.comparisons.map((c) => c.name);
  const mSums = start.map((levels) => new Array<number>(levels.length).fill(0));
  const mWeights = new Array<number>(names.length).fill(0);
  const sessionReports: SessionReport[] = [];
  const sessionResults: ({ lambda: number; posteriors: Float64Array } | null)[] = [];
  let converged = true;

  for (const session of sessions) {
    const trained = names.filter((_, c) => session.trainable[c]);
    const excluded = names.filter((_, c) => !session.trainable[c]);
    const base = { name: session.name, pairs: session.rows.length, trained, excluded };
    if (session.rows.length === 0 || trained.length === 0) {
      sessionReports.push({
        ...base,
        iterations: 0,
        converged: true,
        lambda: 0,
        expectedMatches: 0,
        patterns: 0,
        skipped: session.rows.length === 0 ? 'no pairs' : 'every comparison is on a blocking field',
      });
      sessionResults.push(null);
      continue;
    }
    const result = runEm(
      {
        levels: vectors.levels,
        comparisonCount: vectors.comparisonCount,
        rows: session.rows,
        m: start,
        u,
        lambda: options.initialLambda ?? 0.1,
        trainable: session.trainable,
        anchors,
      },
      { ...options, estimateU: false },
    );
    converged &&= result.converged;
    sessionResults.push({ lambda: result.lambda, posteriors: result.posteriors });
    sessionReports.push({
      ...base,
      iterations: result.iterations,
      converged: result.converged,
      lambda: result.lambda,
      expectedMatches: result.expectedMatches,
      patterns: result.patterns,
    });
    const weight = result.expectedMatches;
    if (!(weight > 0)) continue;
    session.trainable.forEach((isTrained, c) => {
      if (!isTrained) return;
      mWeights[c] += weight;
      for (let l = 1; l < mSums[c].length; l++) mSums[c][l] += weight * result.m[c][l];
    });
  }

  const m = start.map((levels, c) =>
    mWeights[c] > 0 ? levels.map((value, l) => (l === 0 ? 1 : mSums[c][l] / mWeights[c])) : [...levels],
  );
  const untrained = names.filter((_, c) => mWeights[c] === 0);

  // Expected matches among the candidates: each pair counted once, in the first session that holds it.
  let expectedMatches = 0;
  const trainedSessions = sessionResults.filter((s): s is { lambda: number; posteriors: Float64Array } => s !== null);
  const fallbackLambda =
    trainedSessions.length > 0 ? trainedSessions.reduce((a, s) => a + s.lambda, 0) / trainedSessions.length : 0.1;
  sessions.forEach((session, s) => {
    const result = sessionResults[s];
    for (let pos = 0; pos < session.rows.length; pos++) {
      const row = session.rows[pos];
      if (first[row] !== s) continue;
      expectedMatches += result ? result.posteriors[pos] : posteriorOfRow(vectors, row, m, u, fallbackLambda, anchors);
    }
  });
  const n = records.length;
  const totalPairs = (n * (n - 1)) / 2;
  const estimatePrior = (options.estimatePrior ?? true) && vectors.pairCount > 0 && totalPairs > 0;
  const prior = estimatePrior
    ? Math.min(0.5, Math.max(1e-12, expectedMatches / (options.recall ?? 1) / totalPairs))
    : parsed.prior;

  const trainedModel = withTrainedValues(parsed, {
    m,
    u,
    prior,
    training: {
      records: n,
      candidatePairs: vectors.pairCount,
      uSamplePairs: uEstimate.pairs,
      seed,
      converged,
    },
  });
  const trainedNames = new Set(names.filter((_, c) => mWeights[c] > 0));
  return {
    model: trainedModel,
    report: {
      records: n,
      candidatePairs: vectors.pairCount,
      u: { pairs: uEstimate.pairs, exhaustive: uEstimate.exhaustive, seed },
      sessions: sessionReports,
      prior: { before: parsed.prior, after: trainedModel.prior, estimated: estimatePrior, expectedMatches, totalPairs },
      untrained,
      converged,
      levels: levelReport(parsed, trainedModel, trainedNames),
    },
    termFrequencies,
  };
}
