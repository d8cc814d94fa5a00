import { describe, expect, it } from 'vitest';
import type { MatchModelInput } from '../model/schema';
import type { PreparedRecord } from '../model/prepared-record';
import { compileModel } from './compare';
import { scorePair, scoreWeight } from './score';
import { buildTermFrequencies, termFrequency, termFrequencyAdjustment, termFrequencyU } from './term-frequency';

const model: MatchModelInput = {
  entity: 'customer',
  version: 1,
  prior: 0.001,
  thresholds: { autoMerge: { probability: 0.99 }, review: { probability: 0.5 } },
  comparisons: [
    {
      name: 'familyName',
      fields: ['familyName'],
      levels: [{ kind: 'null' }, { kind: 'exact', m: 0.9, u: 0.05 }, { kind: 'jaroWinkler', min: 0.9, m: 0.05, u: 0.05 }, { kind: 'else', m: 0.05, u: 0.9 }],
      tf: { field: 'familyName', minU: 0.001 },
    },
  ],
};

let id = 0;
const rec = (familyName: string | null): PreparedRecord => ({ id: id++, source: 'crm', fields: { familyName } });
const records = [
  ...Array.from({ length: 60 }, () => rec('smith')),
  ...Array.from({ length: 38 }, (_, i) => rec(`name${i}`)),
  rec('zylberstein'),
  rec(null),
];

describe('term frequencies', () => {
  const table = buildTermFrequencies(records, 'familyName');

  it('counts values among records that have one', () => {
    expect(table.total).toBe(99);
    expect(termFrequency(table, 'smith')).toBeCloseTo(60 / 99, 12);
    expect(termFrequency(table, 'unknown')).toBe(0);
    expect(termFrequencyU(table, 'zylberstein', 0.05)).toBe(0.05);
    expect(termFrequencyU(table, 'unknown', 0)).toBeNull();
    expect(termFrequencyAdjustment(0.01, 0.001)).toBeCloseTo(log10to2(10), 12);
  });

  it('makes agreement on a rare surname weigh more than on a common one', () => {
    const compiled = compileModel(model, { termFrequencies: { familyName: table } });
    const rare = scoreWeight(compiled, rec('zylberstein'), rec('zylberstein')).weight;
    const common = scoreWeight(compiled, rec('smith'), rec('smith')).weight;
    const plain = compileModel(model);
    const average = scoreWeight(plain, rec('smith'), rec('smith')).weight;
    expect(rare).toBeGreaterThan(average);
    expect(common).toBeLessThan(average);
    expect(rare - common).toBeCloseTo(Math.log2((60 / 99) / (1 / 99)), 9);
  });

  it('reports the adjustment in the explanation and keeps rows summing to the weight', () => {
    const compiled = compileModel(model, { termFrequencies: { familyName: table } });
    const scored = scorePair(compiled, rec('zylberstein'), rec('zylberstein'), 'familyName');
    const row = scored.explanation[1];
    expect(row.tfU).toBeCloseTo(1 / 99, 12);
    expect(row.tfAdjustment).toBeCloseTo(Math.log2(0.05 / (1 / 99)), 12);
    expect(row.weight).toBeCloseTo(Math.log2(0.9 / 0.05) + Math.log2(0.05 / (1 / 99)), 12);
    expect(scored.weight).toBeCloseTo(scored.explanation.reduce((a, r) => a + r.weight, 0), 12);
  });

  it('does not adjust fuzzy levels', () => {
    const compiled = compileModel(model, { termFrequencies: { familyName: table } });
    const scored = scorePair(compiled, rec('smith'), rec('smithe'), 'x');
    expect(scored.explanation[1].level).toBe(2);
    expect(scored.explanation[1].tfAdjustment).toBeUndefined();
  });

  it('applies the minU floor and a partial tf weight', () => {
    const floored = compileModel(
      { ...model, comparisons: [{ ...model.comparisons[0], tf: { field: 'familyName', minU: 0.1, weight: 0.5 } }] },
      { termFrequencies: { familyName: table } },
    );
    const row = scorePair(floored, rec('zylberstein'), rec('zylberstein'), 'x').explanation[1];
    expect(row.tfU).toBeCloseTo(0.1, 12);
    expect(row.tfAdjustment).toBeCloseTo(0.5 * Math.log2(0.05 / 0.1), 12);
  });
});

function log10to2(x: number): number {
  return Math.log(x) / Math.log(2);
}
