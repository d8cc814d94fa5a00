import { describe, expect, it } from 'vitest';
import { evaluate, parseXrefs, recordKey, type Truth, type XrefRow } from '../../bench/lib/evaluate';

/** Truth from `{ 'src|id': 'entity' }`. */
const truthOf = (o: Record<string, string>): Truth => new Map(Object.entries(o));
/** Xrefs from `{ 'src|id': 'golden' }` (entity customer). */
const xrefsOf = (o: Record<string, string>, entity = 'customer'): XrefRow[] =>
  Object.entries(o).map(([k, goldenId]) => {
    const [source, sourceId] = k.split('|');
    return { entity, source, sourceId, goldenId };
  });

// Truth: A = {1,2,3}, B = {4,5}, C = {6}: true pairs 3 + 1 = 4.
const truth = truthOf({ 's|1': 'A', 's|2': 'A', 's|3': 'A', 's|4': 'B', 's|5': 'B', 's|6': 'C' });

describe('evaluate (dedupe)', () => {
  it('scores a perfect clustering 1 everywhere', () => {
    const m = evaluate(xrefsOf({ 's|1': 'g1', 's|2': 'g1', 's|3': 'g1', 's|4': 'g2', 's|5': 'g2', 's|6': 'g3' }), truth);
    expect(m.pairwise).toEqual({ truePairs: 4, predictedPairs: 4, correctPairs: 4, precision: 1, recall: 1, f1: 1 });
    expect(m.bcubed).toEqual({ precision: 1, recall: 1, f1: 1 });
    expect(m).toMatchObject({ records: 6, missing: 0, extra: 0, trueEntities: 3, predictedClusters: 3 });
  });

  it('scores everything in one cluster: recall 1, precision 4/15', () => {
    const m = evaluate(xrefsOf({ 's|1': 'g', 's|2': 'g', 's|3': 'g', 's|4': 'g', 's|5': 'g', 's|6': 'g' }), truth);
    expect(m.pairwise.predictedPairs).toBe(15);
    expect(m.pairwise.correctPairs).toBe(4);
    expect(m.pairwise.precision).toBeCloseTo(4 / 15, 12);
    expect(m.pairwise.recall).toBe(1);
    expect(m.pairwise.f1).toBeCloseTo((2 * (4 / 15)) / (4 / 15 + 1), 12);
    // B-cubed precision: records of A see 3/6, of B 2/6, of C 1/6: (3*3 + 2*2 + 1*1) / 6 / 6.
    expect(m.bcubed.precision).toBeCloseTo(14 / 36, 12);
    expect(m.bcubed.recall).toBe(1);
  });

  it('scores all singletons: recall 0, precision vacuously 1, F1 0', () => {
    const m = evaluate(xrefsOf({ 's|1': 'a', 's|2': 'b', 's|3': 'c', 's|4': 'd', 's|5': 'e', 's|6': 'f' }), truth);
    expect(m.pairwise).toEqual({ truePairs: 4, predictedPairs: 0, correctPairs: 0, precision: 1, recall: 0, f1: 0 });
    expect(m.bcubed.precision).toBe(1);
    // B-cubed recall: A records 1/3 each, B 1/2 each, C 1: (3 * 1/3 + 2 * 1/2 + 1) / 6 = 0.5.
    expect(m.bcubed.recall).toBeCloseTo(0.5, 12);
  });

  it('scores a split and a wrong merge by hand', () => {
    // Predicted: {1,2}, {3,4,5}, {6}: correct pairs (1,2) and (4,5) = 2; predicted 1 + 3 = 4.
    const m = evaluate(xrefsOf({ 's|1': 'x', 's|2': 'x', 's|3': 'y', 's|4': 'y', 's|5': 'y', 's|6': 'z' }), truth);
    expect(m.pairwise).toMatchObject({ truePairs: 4, predictedPairs: 4, correctPairs: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
    // B-cubed P: 1,2 -> 2/2; 3 -> 1/3; 4,5 -> 2/3; 6 -> 1: (2 + 1/3 + 4/3 + 1) / 6.
    expect(m.bcubed.precision).toBeCloseTo((2 + 1 / 3 + 4 / 3 + 1) / 6, 12);
    // B-cubed R: 1,2 -> 2/3; 3 -> 1/3; 4,5 -> 2/2; 6 -> 1: (4/3 + 1/3 + 2 + 1) / 6.
    expect(m.bcubed.recall).toBeCloseTo((4 / 3 + 1 / 3 + 2 + 1) / 6, 12);
  });

  it('scores truth records missing from the export as singletons and ignores extra rows', () => {
    const m = evaluate(xrefsOf({ 's|1': 'g1', 's|2': 'g1', 's|4': 'g2', 's|5': 'g2', 's|6': 'g3', 's|99': 'g3', 'other|1': 'g1' }), truth);
    expect(m.missing).toBe(1);
    expect(m.extra).toBe(2);
    expect(m.pairwise).toMatchObject({ truePairs: 4, predictedPairs: 2, correctPairs: 2, precision: 1, recall: 0.5 });
  });

  it('filters the export by entity', () => {
    const rows = [...xrefsOf({ 's|1': 'g', 's|2': 'g', 's|3': 'g' }), ...xrefsOf({ 's|4': 'g', 's|5': 'g', 's|6': 'g' }, 'product')];
    const m = evaluate(rows, truthOf({ 's|1': 'A', 's|2': 'A', 's|3': 'A' }), { entity: 'customer' });
    expect(m.pairwise.f1).toBe(1);
    expect(m.extra).toBe(0);
  });

  it('treats golden and true ids as opaque strings', () => {
    const t = truthOf({ 'a|x,1': 'e\t1', 'a|x,2': 'e\t1', 'b|y': 'e,1' });
    const m = evaluate(xrefsOf({ 'a|x,1': 'g\t', 'a|x,2': 'g\t', 'b|y': 'g,' }), t);
    expect(m.pairwise.f1).toBe(1);
  });

  it('rejects a record attached to two golden records', () => {
    const rows = [...xrefsOf({ 's|1': 'g1' }), ...xrefsOf({ 's|1': 'g2' })];
    expect(() => evaluate(rows, truth)).toThrow(/two golden records/);
  });

  it('counts cluster sizes, not pairs: one huge wrong cluster stays cheap', () => {
    const n = 200_000;
    const t: Truth = new Map();
    const rows: XrefRow[] = [];
    for (let i = 0; i < n; i++) {
      t.set(recordKey('s', String(i)), String(i % 1000));
      rows.push({ entity: 'customer', source: 's', sourceId: String(i), goldenId: 'everything' });
    }
    const started = performance.now();
    const m = evaluate(rows, t);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(m.pairwise.predictedPairs).toBe((n * (n - 1)) / 2);
    expect(m.pairwise.truePairs).toBe(1000 * ((200 * 199) / 2));
    expect(m.pairwise.recall).toBe(1);
  });
});

describe('evaluate (linkage, cross-source pairs only)', () => {
  // Two files a and b; truth: a1=b1, a2=b2, a3 and b3 unmatched.
  const linkTruth = truthOf({ 'a|1': 'E1', 'b|1': 'E1', 'a|2': 'E2', 'b|2': 'E2', 'a|3': 'E3', 'b|3': 'E4' });

  it('counts the one-to-one links', () => {
    const m = evaluate(xrefsOf({ 'a|1': 'g1', 'b|1': 'g1', 'a|2': 'g2', 'b|2': 'g2', 'a|3': 'g3', 'b|3': 'g4' }), linkTruth, { crossSourceOnly: true });
    expect(m.pairwise).toEqual({ truePairs: 2, predictedPairs: 2, correctPairs: 2, precision: 1, recall: 1, f1: 1 });
  });

  it('does not count same-source pairs, predicted or true', () => {
    // Predicted {a1, a2, b1}: cross pairs (a1,b1) correct, (a2,b1) wrong; the same-source pair
    // (a1,a2) is not counted. {b2} alone: link a2-b2 missed.
    const m = evaluate(xrefsOf({ 'a|1': 'g1', 'a|2': 'g1', 'b|1': 'g1', 'b|2': 'g2', 'a|3': 'g3', 'b|3': 'g4' }), linkTruth, { crossSourceOnly: true });
    expect(m.pairwise).toMatchObject({ truePairs: 2, predictedPairs: 2, correctPairs: 1, precision: 0.5, recall: 0.5 });
    // Counting all pairs instead: predicted 3, correct 1, true 2.
    const all = evaluate(xrefsOf({ 'a|1': 'g1', 'a|2': 'g1', 'b|1': 'g1', 'b|2': 'g2', 'a|3': 'g3', 'b|3': 'g4' }), linkTruth);
    expect(all.pairwise).toMatchObject({ truePairs: 2, predictedPairs: 3, correctPairs: 1 });
  });

  it('counts a many-to-many true entity by its cross pairs only', () => {
    // One Amazon record matching two Google records: true entity {a1, b1, b2}: cross pairs 2.
    const t = truthOf({ 'a|1': 'E', 'b|1': 'E', 'b|2': 'E' });
    const m = evaluate(xrefsOf({ 'a|1': 'g', 'b|1': 'g', 'b|2': 'h' }), t, { crossSourceOnly: true });
    expect(m.pairwise).toMatchObject({ truePairs: 2, predictedPairs: 1, correctPairs: 1, precision: 1, recall: 0.5 });
  });
});

describe('parseXrefs', () => {
  it('reads the export CSV, quoted fields included', () => {
    const rows = parseXrefs('entity,source,sourceId,goldenId\ncustomer,crm,"A,1",G1\nproduct,erp,P-1,G2\n');
    expect(rows).toEqual([
      { entity: 'customer', source: 'crm', sourceId: 'A,1', goldenId: 'G1' },
      { entity: 'product', source: 'erp', sourceId: 'P-1', goldenId: 'G2' },
    ]);
  });

  it('accepts a header-only export', () => {
    expect(parseXrefs('entity,source,sourceId,goldenId\n')).toEqual([]);
  });

  it('rejects a wrong header and an empty file', () => {
    expect(() => parseXrefs('entity,source,id,golden\nc,s,1,g\n')).toThrow(/missing column\(s\) sourceId, goldenId/);
    expect(() => parseXrefs('')).toThrow(/empty/);
  });
});
