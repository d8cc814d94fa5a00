import { candidatePairs } from '../blocking/candidate-pairs';
import { blockingReport, type BlockingReport } from '../blocking/blocking-report';
import { clusterPairs } from '../clustering/cluster-pairs';
import type { IdPair } from '../clustering/types';
import type { PreparedRecord } from '../model/prepared-record';
import type { MatchModel } from '../model/schema';
import { modelsFor, type ModelEntry } from '../models/registry';
import { prepareRecord } from '../prepare';
import { withRareTokens } from '../prepare/token-rarity';
import { NO_REFERENCES } from '../prepare/types';
import { type CompiledModel, compileModel } from '../scoring/compare';
import { matchWeightToProbability } from '../scoring/math';
import { scorePair, type ExplanationRow } from '../scoring/score';
import { frequencyTables, type TermFrequencyTable } from '../scoring/term-frequency';
import { trainModel } from '../scoring/train';
import { competitionAdjustments, estimateOverlaps, MAX_OVERLAP, pairKey as indexPairKey } from './competition';
import { estimatePrior } from './estimate-prior';
import { compareRecords } from './record-order';
import { inThreadScorePairs, PAIR_DETERMINISTIC_MATCH, PAIR_HARD_NEGATIVE, PAIR_UNREVIEWED, type PairWeights, weighPairs } from './score-pairs';
import type { MergedPair, ModelRun, RecordIdPair, ResolveInput, ResolveRecord, ResolveResult, ResolveReviewPair } from './types';

interface Group {
  entry: ModelEntry;
  /** Members in canonical order; dense id = position. */
  members: ResolveRecord[];
}

interface GroupOutcome {
  clusters: number[][];
  review: ResolveReviewPair[];
  pairs: MergedPair[];
  report: BlockingReport;
  run: ModelRun;
  conflicts: { mustLink: RecordIdPair; cannotLink: RecordIdPair }[];
  frequencies: Record<string, TermFrequencyTable>;
}

function termFrequencyTables(model: MatchModel, records: readonly PreparedRecord[]): Record<string, TermFrequencyTable> {
  return frequencyTables(model, records);
}

/** Dense source index per record (order of first appearance; records are in canonical order). */
function sourceIndexes(records: readonly PreparedRecord[]): Int32Array {
  const index = new Map<string, number>();
  const out = new Int32Array(records.length);
  records.forEach((record, i) => {
    let s = index.get(record.source);
    if (s === undefined) {
      s = index.size;
      index.set(record.source, s);
    }
    out[i] = s;
  });
  return out;
}

/**
 * The overlaps between the group's sources competition uses: the entry's stored ones (by source
 * name) when it has them, else estimated from the pair weights when `estimate`, else none.
 */
function overlapsOf(
  entry: ModelEntry,
  records: readonly PreparedRecord[],
  sources: Int32Array,
  blocked: { left: Int32Array; right: Int32Array; count: number },
  weight: Float64Array,
  estimate: boolean,
): { byIndex: number[][]; byName: Record<string, Record<string, number>> } | undefined {
  const names: string[] = [];
  records.forEach((r, i) => (names[sources[i]] = r.source));
  if (names.length < 2) return undefined;
  const stored = entry.overlap;
  const byIndex = stored
    ? names.map((x) => names.map((y) => Math.min(MAX_OVERLAP, Math.max(0, stored[x]?.[y] ?? 0))))
    : estimate
      ? estimateOverlaps(sources, blocked.left, blocked.right, weight, blocked.count)
      : undefined;
  if (!byIndex) return undefined;
  const byName: Record<string, Record<string, number>> = {};
  byIndex.forEach((row, x) =>
    row.forEach((share, y) => {
      if (share > 0) (byName[names[x]] ??= {})[names[y]] = share;
    }),
  );
  return { byIndex, byName };
}

/** The explanation row of a competition demotion (or of an overlap gain); the rows still add up to the pair's weight. */
function competitionRow(bits: number): ExplanationRow {
  const gain = bits < 0;
  return {
    kind: 'rule',
    comparison: gain ? 'onlyCandidate' : 'betterCandidate',
    level: -1,
    label: gain
      ? "each is the other's only plausible candidate, and most records of their sources have a match in the other"
      : 'a better candidate of the same source competes (one match per source expected)',
    leftValue: null,
    rightValue: null,
    m: null,
    u: null,
    bayesFactor: 2 ** -bits,
    weight: -bits,
  };
}

/** Steward pairs whose two records are both in the group, as dense ids. */
function localPairs(pairs: readonly RecordIdPair[] | undefined, dense: ReadonlyMap<number, number>): IdPair[] {
  const out: IdPair[] = [];
  for (const [a, b] of pairs ?? []) {
    const x = dense.get(a);
    const y = dense.get(b);
    if (x !== undefined && y !== undefined) out.push([x, y]);
  }
  return out;
}

/**
 * The comparisons run once (in worker threads when the scorer has them); the prior is estimated
 * from their level vectors, which do not depend on it, and the weights are summed from them. The
 * vectors are dropped on return.
 */
async function scoreGroup(
  model: MatchModel,
  termFrequencies: Record<string, TermFrequencyTable>,
  records: PreparedRecord[],
  blocked: { left: Int32Array; right: Int32Array; count: number },
  withPrior: boolean,
  linkOnly: boolean,
  input: ResolveInput,
  phase: (name: string) => void,
): Promise<{ scored: PairWeights; compiled: CompiledModel; model: MatchModel }> {
  const scorer = input.scorePairs ?? inThreadScorePairs;
  const vectors = await scorer({ model, termFrequencies, records, left: blocked.left, right: blocked.right });
  phase('compare');
  if (withPrior) {
    const estimate = estimatePrior(model, records, { left: blocked.left, right: blocked.right, count: blocked.count }, termFrequencies, linkOnly, vectors);
    model = { ...model, prior: estimate.prior };
    phase('prior');
  }
  const compiled = compileModel(model, { termFrequencies });
  const scored = weighPairs(compiled, records, blocked.left, vectors);
  phase('weigh');
  return { scored, compiled, model };
}

/**
 * The values of the model's single-field identifiers whose conflict is a hard negative (a serial
 * number, a VAT id, a GTIN), interned per record (-1: none, or not a single value), so that
 * clustering keeps two different values apart even where blocking never compared them.
 */
function identityKeys(model: MatchModel, records: readonly PreparedRecord[]): Int32Array[] {
  return model.rules
    .filter((rule) => rule.onConflict === 'hardNegative' && rule.fields.length === 1)
    .map((rule) => {
      const field = rule.fields[0];
      const ids = new Map<string, number>();
      const values = new Int32Array(records.length).fill(-1);
      records.forEach((r, i) => {
        const v = r.fields[field];
        if (typeof v !== 'string' || v === '') return;
        let id = ids.get(v);
        if (id === undefined) ids.set(v, (id = ids.size));
        values[i] = id;
      });
      return values;
    });
}

async function resolveGroup(group: Group, input: ResolveInput): Promise<GroupOutcome> {
  const { entry, members } = group;
  const options = input.options ?? {};
  const context = input.context ?? NO_REFERENCES;
  const records = members.map((record, i) =>
    prepareRecord(input.entity, { id: i, source: record.source, sourceId: record.sourceId, attributes: record.attributes }, context),
  );
  if (entry.rareTokens) withRareTokens(records, entry.rareTokens);
  const phase = (name: string) => input.onPhase?.(`${entry.name}: ${name}`);
  phase('prepare');

  const maxBlockSize = options.maxBlockSize ?? 500;
  const blocked = candidatePairs(records, entry.model.blocking, { linkOnly: options.linkOnly, maxBlockSize });
  phase(`block (${blocked.count} pairs)`);

  let model = entry.model;
  let termFrequencies: Record<string, TermFrequencyTable>;
  let training: ModelRun['training'];
  if (options.train && blocked.count > 0) {
    const trained = trainModel(model, records, { left: blocked.left, right: blocked.right, count: blocked.count }, {
      seed: options.seed ?? 1,
      uSamplePairs: options.uSamplePairs,
      maxBlockSize,
    });
    model = trained.model;
    termFrequencies = trained.termFrequencies;
    training = trained.report;
    phase('train');
  } else {
    termFrequencies = termFrequencyTables(model, records);
    // A neighbourhood's values counted against all records of the last full run (see ModelEntry).
    for (const [key, table] of Object.entries(termFrequencies)) {
      const total = entry.termFrequencyTotals?.[key];
      if (total !== undefined && total > table.total) termFrequencies[key] = { ...table, total };
    }
    if (input.storedFrequencies) await withStoredFrequencies(entry.name, termFrequencies, input.storedFrequencies);
  }
  const weighed = await scoreGroup(model, termFrequencies, records, blocked, !training && (options.estimatePrior ?? true), options.linkOnly === true, input, phase);
  const { scored, compiled } = weighed;
  model = weighed.model;
  // One-to-one evidence across sources (see competition.ts): a pair that loses to a better
  // candidate of the same other source is demoted to review; two records that are each other's
  // only plausible candidate gain the overlap of their sources.
  const dense = new Map<number, number>();
  members.forEach((record, i) => dense.set(record.id, i));
  const cannotLink = localPairs(input.cannotLink, dense);
  let overlap: ReturnType<typeof overlapsOf>;
  let adjustment: Float64Array;
  if (options.competition === false) {
    adjustment = new Float64Array(blocked.count);
  } else {
    const sources = sourceIndexes(records);
    overlap = overlapsOf(entry, records, sources, blocked, scored.weight, options.overlap ?? options.estimatePrior ?? true);
    adjustment = competitionAdjustments({
      source: sources,
      left: blocked.left,
      right: blocked.right,
      weight: scored.weight,
      count: blocked.count,
      thresholds: compiled.thresholds,
      overlap: overlap?.byIndex,
      cannotLink: new Set(cannotLink.map(([a, b]) => indexPairKey(a, b, records.length))),
    });
  }
  // Final weights in place of the scored ones (no second array of one number per pair).
  const weights = scored.weight;
  for (let k = 0; k < blocked.count; k++) weights[k] -= adjustment[k];
  const hardNegatives: IdPair[] = [];
  for (let k = 0; k < blocked.count; k++) {
    if (scored.flags[k] & PAIR_HARD_NEGATIVE) hardNegatives.push([blocked.left[k], blocked.right[k]]);
  }
  const clustering = clusterPairs({
    n: records.length,
    pairs: { left: blocked.left, right: blocked.right, weight: weights },
    thresholds: compiled.thresholds,
    mustLink: localPairs(input.mustLink, dense),
    cannotLink,
    hardNegatives,
    identityKeys: identityKeys(model, records),
    clearlyDifferent: options.clearlyDifferent,
  });

  phase('cluster');
  const idOf = (i: number) => members[i].id;
  const ordered = (a: number, b: number): [number, number] => (idOf(a) < idOf(b) ? [idOf(a), idOf(b)] : [idOf(b), idOf(a)]);
  const pairKey = (a: number, b: number) => indexPairKey(a, b, records.length);
  const reviewRule = new Map<number, string>();
  const reviewAdjustment = new Map<number, number>();
  const unreviewed = new Set<number>();
  for (const pair of clustering.review) reviewRule.set(pairKey(pair.left, pair.right), '');
  for (let k = 0; k < blocked.count && reviewRule.size > 0; k++) {
    const key = pairKey(blocked.left[k], blocked.right[k]);
    if (reviewRule.has(key)) {
      reviewRule.set(key, blocked.ruleNames[blocked.rule[k]]);
      if (adjustment[k] !== 0) reviewAdjustment.set(key, adjustment[k]);
      if (scored.flags[k] & PAIR_UNREVIEWED) unreviewed.add(key);
    }
  }
  // Off the queue: pairs whose identifiers conflict under a rule that does not review its
  // conflicts, and pairs of the review band that a better candidate demoted below review (the
  // floor holds them at review; see competition.ts). A steward decides the better candidate;
  // declared not a match, it no longer competes, and the pair comes back at its own weight.
  const { autoMerge, review: reviewFloor } = compiled.thresholds;
  const lostToBetter = (pair: { left: number; right: number; weight: number }, key: number) => {
    const demoted = reviewAdjustment.get(key);
    return demoted !== undefined && demoted > 0 && pair.weight <= reviewFloor && pair.weight + demoted < autoMerge;
  };
  const listed =
    unreviewed.size === 0 && reviewAdjustment.size === 0
      ? clustering.review
      : clustering.review.filter((pair) => {
          const key = pairKey(pair.left, pair.right);
          return !unreviewed.has(key) && !lostToBetter(pair, key);
        });
  const review = listed.map((pair): ResolveReviewPair => {
    const rule = reviewRule.get(pairKey(pair.left, pair.right)) ?? '';
    const [x, y] = idOf(pair.left) < idOf(pair.right) ? [pair.left, pair.right] : [pair.right, pair.left];
    const explained = scorePair(compiled, records[x], records[y], rule);
    const demoted = reviewAdjustment.get(pairKey(pair.left, pair.right));
    if (demoted !== undefined) explained.explanation.push(competitionRow(demoted));
    const [left, right] = [idOf(x), idOf(y)];
    return {
      left,
      right,
      weight: pair.weight,
      probability: matchWeightToProbability(pair.weight),
      reason: pair.reason,
      rule,
      model: entry.name,
      explanation: explained.explanation,
    };
  });
  const merged: MergedPair[] = [];
  const { clusterOf } = clustering;
  for (let k = 0; k < blocked.count && options.mergedPairs !== false; k++) {
    const a = blocked.left[k];
    const b = blocked.right[k];
    if (weights[k] < compiled.thresholds.autoMerge || clusterOf[a] !== clusterOf[b]) continue;
    const [left, right] = ordered(a, b);
    merged.push({
      left,
      right,
      weight: weights[k],
      rule: blocked.ruleNames[blocked.rule[k]],
      model: entry.name,
      deterministic: (scored.flags[k] & PAIR_DETERMINISTIC_MATCH) !== 0,
    });
  }
  phase(`review and merged pairs (${review.length} review)`);
  return {
    clusters: clustering.clusters.map((cluster) => cluster.map(idOf)),
    review,
    pairs: merged,
    report: blockingReport(blocked),
    run: {
      model,
      records: records.length,
      candidatePairs: blocked.count,
      ...(training ? { training } : {}),
      ...(overlap ? { overlap: overlap.byName } : {}),
      termFrequencyTotals: Object.fromEntries(Object.entries(termFrequencies).map(([key, table]) => [key, table.total])),
    },
    conflicts: clustering.conflicts.map((c) => ({
      mustLink: [idOf(c.mustLink[0]), idOf(c.mustLink[1])] as const,
      cannotLink: [idOf(c.cannotLink[0]), idOf(c.cannotLink[1])] as const,
    })),
    frequencies: termFrequencies,
  };
}

/** Raises each value's count in the tables to its count among all records, where that is larger. */
async function withStoredFrequencies(
  model: string,
  tables: Record<string, TermFrequencyTable>,
  stored: NonNullable<ResolveInput['storedFrequencies']>,
): Promise<void> {
  const asked = Object.entries(tables).flatMap(([key, table]) => [...table.counts.keys()].map((value) => ({ key, value })));
  if (asked.length === 0) return;
  for (const { key, value, count } of await stored(model, asked)) {
    const counts = tables[key]?.counts;
    if (counts && count > (counts.get(value) ?? 0)) counts.set(value, count);
  }
}

/** Joins clusters of different models that a steward must-linked, unless a cannot-link forbids it. */
function applyCrossGroupMustLinks(clusters: number[][], input: ResolveInput): number[][] {
  if (!input.mustLink || input.mustLink.length === 0) return clusters;
  const clusterOf = new Map<number, number>();
  clusters.forEach((cluster, c) => cluster.forEach((id) => clusterOf.set(id, c)));
  const parent = clusters.map((_, c) => c);
  const find = (c: number): number => (parent[c] === c ? c : (parent[c] = find(parent[c])));
  const members = clusters.map((cluster) => new Set(cluster));
  const links = [...input.mustLink].map(([a, b]) => (a < b ? [a, b] : [b, a])).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  for (const [a, b] of links) {
    const ca = clusterOf.get(a);
    const cb = clusterOf.get(b);
    if (ca === undefined || cb === undefined) continue;
    const ra = find(ca);
    const rb = find(cb);
    if (ra === rb) continue;
    const blocked = (input.cannotLink ?? []).some(
      ([x, y]) => (members[ra].has(x) && members[rb].has(y)) || (members[ra].has(y) && members[rb].has(x)),
    );
    if (blocked) continue;
    parent[rb] = ra;
    for (const id of members[rb]) members[ra].add(id);
  }
  const joined = new Map<number, number[]>();
  clusters.forEach((cluster, c) => {
    const root = find(c);
    const list = joined.get(root);
    if (list) for (const id of cluster) list.push(id);
    else joined.set(root, [...cluster]);
  });
  return [...joined.values()];
}

/**
 * Resolve the records of one entity type: prepare, block, (optionally train without labels),
 * score, and cluster under steward constraints. The algorithm of batch and incremental runs
 * alike. Records are taken in canonical order (source, sourceId), so the result does not depend
 * on the order they are given in. Records are split between the entity's models by their
 * `applies` predicate and never compared across models; a record no model applies to stays alone.
 *
 * @example
 * ```ts
 * const result = await resolveEntity({
 *   entity: 'customer',
 *   records: [
 *     { id: 1, source: 'erp', sourceId: '100', attributes: { name: 'Acme GmbH', taxId: 'DE136695976' } },
 *     { id: 2, source: 'crm', sourceId: 'A-9', attributes: { name: 'ACME G.m.b.H.', taxId: 'DE 136 695 976' } },
 *   ],
 *   cannotLink: [],
 *   options: { train: false },
 * });
 * result.clusters // [[1, 2]]
 * ```
 */
export async function resolveEntity(input: ResolveInput): Promise<ResolveResult> {
  const entries = input.models ?? modelsFor(input.entity);
  const sorted = [...input.records].sort(compareRecords);
  const groups: Group[] = entries.map((entry) => ({ entry, members: [] }));
  const unmatched: number[][] = [];
  for (const record of sorted) {
    const g = entries.findIndex((entry) => entry.applies(record.attributes));
    if (g === -1) unmatched.push([record.id]);
    else groups[g].members.push(record);
  }
  const result: ResolveResult = { clusters: [], review: [], pairs: [], candidatePairs: 0, blockingReport: {}, model: {}, conflicts: [] };
  let clusters: number[][] = unmatched;
  for (const group of groups) {
    if (group.members.length === 0) continue;
    const outcome = await resolveGroup(group, input);
    clusters = clusters.concat(outcome.clusters);
    for (const pair of outcome.review) result.review.push(pair);
    for (const pair of outcome.pairs) result.pairs.push(pair);
    for (const conflict of outcome.conflicts) result.conflicts.push(conflict);
    result.blockingReport[group.entry.name] = outcome.report;
    result.model[group.entry.name] = outcome.run;
    if (input.keepFrequencies) (result.frequencies ??= {})[group.entry.name] = outcome.frequencies;
    result.candidatePairs += outcome.run.candidatePairs;
    input.betweenModels?.();
  }
  clusters = applyCrossGroupMustLinks(clusters, input);
  for (const cluster of clusters) cluster.sort((a, b) => a - b);
  clusters.sort((a, b) => a[0] - b[0]);
  result.clusters = clusters;
  result.review.sort((x, y) => y.weight - x.weight || x.left - y.left || x.right - y.right);
  result.pairs.sort((x, y) => x.left - y.left || x.right - y.right);
  return result;
}
