/**
 * The truth loaders of bench/lib/datasets.ts give the record, entity and true-pair counts stated
 * in each dataset's SOURCE.md, and the truth itself, exported as a resolution, scores 1.
 * Fails (never skips) when the datasets folder is absent.
 */
import { describe, expect, it } from 'vitest';
import { DATASETS, datasetByName, requireDatasetsDir } from '../../bench/lib/datasets';
import { evaluate, type Truth, type XrefRow } from '../../bench/lib/evaluate';

/** The truth as a cross-reference export: the true entity id is the golden id. */
function truthAsXrefs(truth: Truth, entity: string): XrefRow[] {
  return [...truth].map(([key, trueId]) => {
    const i = key.indexOf('|');
    return { entity, source: key.slice(0, i), sourceId: key.slice(i + 1), goldenId: trueId };
  });
}

/** Record counts and true pairs (cross-source pairs for linkage) from SOURCE.md. */
const expected: Record<string, { records: number; entities?: number; truePairs: number }> = {
  febrl1: { records: 1_000, entities: 500, truePairs: 500 },
  febrl2: { records: 5_000, entities: 4_000, truePairs: 1_934 },
  febrl3: { records: 5_000, entities: 2_000, truePairs: 6_538 },
  febrl4: { records: 10_000, entities: 5_000, truePairs: 5_000 },
  fake_1000: { records: 1_000, entities: 251, truePairs: 2_031 },
  historical_50k: { records: 50_578, entities: 5_156, truePairs: 303_961 },
  'abt-buy': { records: 2_152, entities: 1_076, truePairs: 1_076 },
  'amazon-google': { records: 4_393, truePairs: 1_103 },
  patstat: { records: 2_379, entities: 102, truePairs: 293_785 },
  'fodors-zagats': { records: 864, truePairs: 112 },
};

describe('dataset truth', () => {
  it('finds the datasets folder (MDM_DATASETS, default ../shared/datasets)', () => {
    expect(() => requireDatasetsDir()).not.toThrow();
  });

  it('has an expectation for every dataset', () => {
    expect(Object.keys(expected).sort()).toEqual(DATASETS.map((d) => d.name).sort());
  });

  for (const d of DATASETS) {
    it(`${d.name}: counts as documented, and the truth scores itself 1`, () => {
      const truth = d.loadTruth(requireDatasetsDir());
      const e = expected[d.name];
      expect(truth.size).toBe(e.records);
      if (e.entities !== undefined) expect(new Set(truth.values()).size).toBe(e.entities);
      const m = evaluate(truthAsXrefs(truth, d.entity), truth, { crossSourceOnly: d.linkage, entity: d.entity });
      expect(m.pairwise.truePairs).toBe(e.truePairs);
      expect(m.pairwise.f1).toBe(1);
      expect(m.bcubed.f1).toBe(1);
      for (const key of truth.keys()) expect(d.files.map((f) => f.source)).toContain(key.slice(0, key.indexOf('|')));
    });
  }

  it('febrl4: every pair links 4a rec-N-org to 4b rec-N-dup-0', () => {
    const truth = datasetByName('febrl4').loadTruth(requireDatasetsDir());
    expect(truth.get('febrl4a|rec-1070-org')).toBe('1070');
    expect(truth.get('febrl4b|rec-1070-dup-0')).toBe('1070');
  });

  it('abt-buy: gt.csv D1 is an Abt id and D2 a Buy id (first row 206|216)', () => {
    const truth = datasetByName('abt-buy').loadTruth(requireDatasetsDir());
    expect(truth.get('abt|206')).toBe(truth.get('buy|216'));
    expect(truth.get('abt|206')).not.toBe(truth.get('buy|206'));
  });
});
