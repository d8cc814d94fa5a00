/*
 * Unsupervised training of a match model: term-frequency tables from the records, u from random
 * pairs, m by EM on the candidate pairs, and the prior from the expected number of matches.
 *
 * EM runs one session per blocking rule, as Splink does: among the pairs a rule produced, the
 * comparisons on that rule's fields agree far more often among non-matches than among random
 * pairs, so with u held fixed they would be mistaken for evidence; each session leaves them out.
 *
 * Unlike Splink, sessions are not averaged. Round 1 runs each session alone (u re-estimated
 * inside it) to rank the sessions by their share of matches. Round 2 goes down that ranking:
 * each session estimates only the comparisons no earlier session could, with the m already
 * estimated held fixed. In a loose session (few matches among many pairs sharing a name or a
 * city) the latent "match" class otherwise drifts to whatever correlated agreement is most
 * common, e.g. same name and a similar e-mail; the fixed m pin it to real matches.
 */

import type { PreparedRecord } from '../model/prepared-record';
import { modelSchema, type Comparison, type MatchModel, type MatchModelInput } from '../model/schema';
import { levelProbabilities } from '../model/defaults';
import { withTrainedValues } from '../model/update';
import { compileModel } from './compare';
import { deterministicAnchors, levelReport, runEm, type EmOptions, type EmResult, type LevelReport } from './em';
import { estimateU } from './estimate-u';
import { frequencyTables, type TermFrequencyTable } from './term-frequency';
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
  /**
   * u in the EM sessions that estimate m: 'fixed' holds the random-pair u (Splink's way);
   * 'estimate' re-estimates it among each session's pairs, starting from the random-pair u, which
   * helps when other fields correlate with the blocking fields but is noisy when a session holds
   * few non-matches. Either way the model keeps the random-pair u. Default 'fixed'.
   */
  sessionU?: 'fixed' | 'estimate';
  /** Starting share of matches among each session's pairs. Default 0.1. */
  initialLambda?: number;
  /** Prebuilt tables; missing ones are built from `records`. */
  termFrequencies?: Readonly<Record<string, TermFrequencyTable>>;
  /**
   * The block-size bound blocking applied to rules without their own `maxBlockSize`: pairs that
   * share only an oversized block were not produced by that rule. Default: no bound.
   */
  maxBlockSize?: number;
}

export interface SessionReport {
  /** The blocking rule's name, or 'unblocked' / 'all'. */
  name: string;
  pairs: number;
  /** Comparisons whose m this session estimated. */
  trained: string[];
  /** Comparisons on the rule's fields, left out of this session. */
  excluded: string[];
  /** Position in round 2 (1 = first, the session with the largest share of matches). */
  rank?: number;
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

/** Most keys one record yields for one rule (several list fields multiply). */
const MAX_KEYS_PER_RECORD = 64;

/** A record's blocking keys under a rule: its `on` values joined, list fields exploded; null when a value is missing. */
function ruleKeys(record: PreparedRecord, on: readonly string[]): string[] | null {
  let keys: string[] = [''];
  for (let f = 0; f < on.length; f++) {
    const parts = valueElements(record.fields[on[f]]);
    if (parts === null) return null;
    const next: string[] = [];
    for (const prefix of keys) {
      for (const part of parts) if (next.length < MAX_KEYS_PER_RECORD) next.push(f === 0 ? part : `${prefix}\u0001${part}`);
    }
    keys = next;
  }
  return keys;
}

/**
 * Which candidate pairs each blocking rule would have produced: the two records share a key of
 * the rule whose block is not larger than the rule's bound (oversized blocks yield no pairs).
 */
function blockingMembership(
  model: MatchModel,
  records: readonly PreparedRecord[],
  pairs: CandidatePairs,
  defaultMaxBlockSize: number,
): Uint8Array[] {
  const count = candidatePairCount(pairs);
  return model.blocking.map((rule) => {
    const bound = rule.maxBlockSize ?? defaultMaxBlockSize;
    const keysOf = records.map((record) => ruleKeys(record, rule.on));
    const sizes = new Map<string, number>();
    for (const keys of keysOf) if (keys) for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
    const kept = keysOf.map((keys) => {
      const small = keys?.filter((key) => sizes.get(key)! <= bound).sort();
      return small && small.length > 0 ? small : null;
    });
    const member = new Uint8Array(count);
    forEachCandidatePair(pairs, (i, j, k) => {
      const x = kept[i];
      const y = kept[j];
      if (x !== null && y !== null && intersectionSize(x, y) > 0) member[k] = 1;
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

  const termFrequencies: Record<string, TermFrequencyTable> = frequencyTables(parsed, records, options.termFrequencies);
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
  const membership = blockingMembership(parsed, records, candidatePairs, options.maxBlockSize ?? Infinity);
  const { sessions, first } = planSessions(parsed, membership, vectors.pairCount, options.sessions ?? 'blockingRules');

  const names = parsed.comparisons.map((c) => c.name);
  const initialLambda = options.initialLambda ?? 0.1;
  const runSession = (session: Session, m: number[][], estimateU: boolean, fixedM?: boolean[]) =>
    runEm(
      {
        levels: vectors.levels,
        comparisonCount: vectors.comparisonCount,
        rows: session.rows,
        m,
        u,
        lambda: initialLambda,
        trainable: session.trainable,
        fixedM,
        anchors,
      },
      { ...options, estimateU },
    );
  const runnable = (session: Session) => session.rows.length > 0 && session.trainable.some(Boolean);

  // Round 1: every session on its own, to rank them by their share of matches. u is re-estimated
  // within each session here, so that fields correlated with the blocking fields do not inflate it.
  const firstLambda = sessions.map((session) => (runnable(session) ? runSession(session, start, true).lambda : -1));
  const order = sessions.map((_, s) => s).filter((s) => firstLambda[s] >= 0);
  order.sort((a, b) => firstLambda[b] - firstLambda[a] || a - b);

  // Round 2: in that order, each session estimates the comparisons no earlier session could, with
  // the m already estimated held fixed so that they pin down which latent class is "match".
  const m = start.map((levels) => [...levels]);
  const estimatedBy: (string | null)[] = names.map(() => null);
  const sessionResults: (EmResult | null)[] = sessions.map(() => null);
  for (const s of order) {
    const session = sessions[s];
    const fixedM = names.map((_, c) => estimatedBy[c] !== null);
    const result = runSession(session, m, options.sessionU === 'estimate', fixedM);
    sessionResults[s] = result;
    session.trainable.forEach((isTrainable, c) => {
      if (!isTrainable || estimatedBy[c] !== null) return;
      m[c] = result.m[c];
      estimatedBy[c] = session.name;
    });
  }
  let converged = true;
  const sessionReports: SessionReport[] = sessions.map((session, s) => {
    const result = sessionResults[s];
    const base = {
      name: session.name,
      pairs: session.rows.length,
      trained: names.filter((_, c) => estimatedBy[c] === session.name),
      excluded: names.filter((_, c) => !session.trainable[c]),
    };
    if (!result) {
      return {
        ...base,
        iterations: 0,
        converged: true,
        lambda: 0,
        expectedMatches: 0,
        patterns: 0,
        skipped: session.rows.length === 0 ? 'no pairs' : 'every comparison is on a blocking field',
      };
    }
    converged &&= result.converged;
    return {
      ...base,
      rank: order.indexOf(s) + 1,
      iterations: result.iterations,
      converged: result.converged,
      lambda: result.lambda,
      expectedMatches: result.expectedMatches,
      patterns: result.patterns,
    };
  });
  const untrained = names.filter((_, c) => estimatedBy[c] === null);

  // Expected matches among the candidates: each pair counted once, in the first session that holds it.
  let expectedMatches = 0;
  const trainedSessions = sessionResults.filter((r): r is EmResult => r !== null);
  const fallbackLambda =
    trainedSessions.length > 0 ? trainedSessions.reduce((a, r) => a + r.lambda, 0) / trainedSessions.length : initialLambda;
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
  const trainedNames = new Set(names.filter((_, c) => estimatedBy[c] !== null));
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
