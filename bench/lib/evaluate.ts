/**
 * Quality of a resolution against a ground truth: pairwise precision / recall / F1 and B-cubed.
 *
 * The prediction is a cross-reference export (`entity,source,sourceId,goldenId`): two records are
 * "the same" exactly when they share a goldenId. The truth maps a record key `source|sourceId`
 * to its true entity id. Only records in the truth are scored; a truth record missing from the
 * export counts as a singleton (it was matched with nothing), an exported record that is not in
 * the truth is ignored.
 *
 * Everything is counted from the contingency table of (predicted cluster, true entity) cell
 * sizes, never by enumerating pairs, so a run that wrongly merges 100,000 records costs no more
 * than a good one.
 *
 * @example
 * ```ts
 * const m = evaluate(readXrefs('xrefs.csv'), truth, { entity: 'customer' });
 * m.pairwise.f1; m.bcubed.f1;
 * ```
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

/** Record key -> true entity id. Keys are `source|sourceId` (see `recordKey`). */
export type Truth = Map<string, string>;

export interface XrefRow {
  entity: string;
  source: string;
  sourceId: string;
  goldenId: string;
}

/** The key of a record in a truth map. Source names never contain `|`. */
export function recordKey(source: string, sourceId: string): string {
  return `${source}|${sourceId}`;
}

function sourceOf(key: string): string {
  return key.slice(0, key.indexOf('|'));
}

const XREF_COLUMNS = ['entity', 'source', 'sourceId', 'goldenId'];

/** Parses a cross-reference export (CSV with the header `entity,source,sourceId,goldenId`). */
export function parseXrefs(text: string, origin = 'xrefs'): XrefRow[] {
  if (text.trim() === '') throw new Error(`${origin} is empty (expected the header entity,source,sourceId,goldenId)`);
  const rows = parse(text, {
    bom: true,
    skip_empty_lines: true,
    columns: (header: string[]) => {
      const missing = XREF_COLUMNS.filter((c) => !header.includes(c));
      if (missing.length > 0) throw new Error(`${origin}: missing column(s) ${missing.join(', ')} (header: ${header.join(',')})`);
      return header;
    },
  }) as Record<string, string>[];
  return rows.map((r) => ({ entity: r.entity, source: r.source, sourceId: r.sourceId, goldenId: r.goldenId }));
}

/** Reads a cross-reference export file. */
export function readXrefs(file: string): XrefRow[] {
  return parseXrefs(readFileSync(file, 'utf8'), file);
}

export interface EvaluateOptions {
  /** Score only export rows of this entity type (the truth is taken as given). */
  entity?: string;
  /**
   * Linkage: count only pairs whose two records come from different sources, for both the
   * predicted and the true pairs (the truth of Febrl4, Abt-Buy, Amazon-Google labels pairs
   * between two files only). B-cubed is computed over all records either way.
   */
  crossSourceOnly?: boolean;
}

export interface PairwiseMetrics {
  /** Pairs in the same true entity. */
  truePairs: number;
  /** Pairs in the same predicted cluster. */
  predictedPairs: number;
  /** Pairs in both. */
  correctPairs: number;
  /** correct / predicted; 1 when nothing was predicted (no false merge). */
  precision: number;
  /** correct / true; 1 when the truth has no pairs. */
  recall: number;
  f1: number;
}

export interface BCubedMetrics {
  /** Mean over records of |predicted cluster ∩ true entity| / |predicted cluster|. */
  precision: number;
  /** Mean over records of |predicted cluster ∩ true entity| / |true entity|. */
  recall: number;
  f1: number;
}

export interface Evaluation {
  /** Records scored (the truth's records). */
  records: number;
  /** Truth records absent from the export (scored as singletons). */
  missing: number;
  /** Export rows (of the entity) not in the truth (ignored). */
  extra: number;
  trueEntities: number;
  predictedClusters: number;
  pairwise: PairwiseMetrics;
  bcubed: BCubedMetrics;
}

const pairs = (n: number) => (n * (n - 1)) / 2;
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function sumPairs(map: Map<string, number>): number {
  let s = 0;
  for (const n of map.values()) s += pairs(n);
  return s;
}

/**
 * Scores an export against a truth. Throws when the export attaches one record to two golden
 * records (the clustering is then not a partition and the metrics are undefined).
 */
export function evaluate(xrefs: Iterable<XrefRow>, truth: Truth, options: EvaluateOptions = {}): Evaluation {
  const golden = new Map<string, string>();
  let extra = 0;
  for (const x of xrefs) {
    if (options.entity !== undefined && x.entity !== options.entity) continue;
    const key = recordKey(x.source, x.sourceId);
    const prev = golden.get(key);
    if (prev !== undefined && prev !== x.goldenId) {
      throw new Error(`record ${x.entity} ${key} is attached to two golden records (${prev} and ${x.goldenId})`);
    }
    golden.set(key, x.goldenId);
    if (!truth.has(key)) extra++;
  }

  // Contingency: cell = (predicted cluster, true entity) as small integer ids, with sub-counts
  // per source for linkage.
  const ids = new Map<string, number>();
  const idOf = (k: string) => {
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    return id;
  };
  const cell = new Map<string, number>();
  const pred = new Map<string, number>();
  const act = new Map<string, number>();
  const cellSrc = new Map<string, number>();
  const predSrc = new Map<string, number>();
  const actSrc = new Map<string, number>();
  const cellParts = new Map<string, [string, string]>();
  let missing = 0;
  for (const [key, trueId] of truth) {
    const g = golden.get(key);
    if (g === undefined) missing++;
    // A record missing from the export is a cluster of its own.
    const gi = `g${g === undefined ? idOf(`m\u0000${key}`) : idOf(`g\u0000${g}`)}`;
    const ti = `t${idOf(`t\u0000${trueId}`)}`;
    const c = `${gi},${ti}`;
    if (!cellParts.has(c)) cellParts.set(c, [gi, ti]);
    bump(cell, c);
    bump(pred, gi);
    bump(act, ti);
    if (options.crossSourceOnly) {
      const si = idOf(`s\u0000${sourceOf(key)}`);
      bump(cellSrc, `${c},${si}`);
      bump(predSrc, `${gi},${si}`);
      bump(actSrc, `${ti},${si}`);
    }
  }

  let correctPairs = sumPairs(cell);
  let predictedPairs = sumPairs(pred);
  let truePairs = sumPairs(act);
  if (options.crossSourceOnly) {
    correctPairs -= sumPairs(cellSrc);
    predictedPairs -= sumPairs(predSrc);
    truePairs -= sumPairs(actSrc);
  }
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;

  let bp = 0;
  let br = 0;
  for (const [c, n] of cell) {
    const [g, t] = cellParts.get(c)!;
    bp += (n * n) / pred.get(g)!;
    br += (n * n) / act.get(t)!;
  }
  const N = truth.size;
  const bcP = N === 0 ? 1 : bp / N;
  const bcR = N === 0 ? 1 : br / N;

  return {
    records: N,
    missing,
    extra,
    trueEntities: act.size,
    predictedClusters: pred.size,
    pairwise: { truePairs, predictedPairs, correctPairs, precision, recall, f1: f1(precision, recall) },
    bcubed: { precision: bcP, recall: bcR, f1: f1(bcP, bcR) },
  };
}
