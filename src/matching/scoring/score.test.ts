import { describe, expect, it } from 'vitest';
import type { MatchModelInput } from '../model/schema';
import type { PreparedRecord } from '../model/prepared-record';
import { compileModel } from './compare';
import { createWeightResult, scorePair, scoreWeight } from './score';

const model: MatchModelInput = {
  entity: 'customer',
  version: 3,
  prior: 0.001,
  thresholds: { autoMerge: { probability: 0.99 }, review: { probability: 0.5 } },
  comparisons: [
    {
      name: 'name',
      fields: ['name'],
      levels: [
        { kind: 'null' },
        { kind: 'exact', m: 0.8, u: 0.01 },
        { kind: 'jaroWinkler', min: 0.9, m: 0.15, u: 0.04, label: 'similar name' },
        { kind: 'else', m: 0.05, u: 0.95 },
      ],
    },
    {
      name: 'city',
      fields: ['city'],
      levels: [{ kind: 'null' }, { kind: 'exact', m: 0.9, u: 0.2 }, { kind: 'else', m: 0.1, u: 0.8 }],
    },
    {
      name: 'phone',
      fields: ['phone'],
      levels: [{ kind: 'null' }, { kind: 'exact', m: 0.7, u: 0.001 }, { kind: 'else', m: 0.3, u: 0.999 }],
    },
  ],
  rules: [{ name: 'vat', fields: ['taxId'], weight: 25, conflictWeight: -5 }],
};

const rec = (id: number, fields: PreparedRecord['fields']): PreparedRecord => ({ id, source: 'erp', fields });
const log2 = Math.log2;

describe('scorePair', () => {
  const compiled = compileModel(model);
  const left = rec(1, { name: 'muller gmbh', city: 'berlin', phone: null });
  const right = rec(2, { name: 'mueller gmbh', city: 'berlin', phone: '+4930123' });

  it('explains the prior and every comparison, and the rows add up to the weight', () => {
    const scored = scorePair(compiled, left, right, 'city');
    expect(scored).toMatchObject({ left: 1, right: 2, rule: 'city' });
    expect(scored.deterministic).toBeUndefined();
    const [prior, name, city, phone] = scored.explanation;
    expect(scored.explanation).toHaveLength(4);
    expect(prior).toMatchObject({ kind: 'prior', comparison: 'prior', level: -1, m: null, u: null });
    expect(prior.weight).toBeCloseTo(log2(0.001 / 0.999), 12);
    expect(prior.bayesFactor).toBeCloseTo(0.001 / 0.999, 12);
    expect(name).toMatchObject({ comparison: 'name', level: 2, label: 'similar name', m: 0.15, u: 0.04, leftValue: 'muller gmbh', rightValue: 'mueller gmbh' });
    expect(name.weight).toBeCloseTo(log2(0.15 / 0.04), 12);
    expect(name.bayesFactor).toBeCloseTo(0.15 / 0.04, 12);
    expect(city).toMatchObject({ level: 1, label: 'exact match', m: 0.9, u: 0.2 });
    expect(city.weight).toBeCloseTo(log2(0.9 / 0.2), 12);
    expect(phone).toMatchObject({ level: 0, weight: 0, bayesFactor: 1, m: null, u: null, leftValue: null });
    expect(name.tfAdjustment).toBeUndefined();

    const expected = log2(0.001 / 0.999) + log2(0.15 / 0.04) + log2(0.9 / 0.2);
    expect(scored.weight).toBeCloseTo(expected, 12);
    expect(scored.weight).toBeCloseTo(scored.explanation.reduce((a, r) => a + r.weight, 0), 12);
    expect(scored.probability).toBeCloseTo(2 ** expected / (1 + 2 ** expected), 12);
  });

  it('matches the fast path', () => {
    const out = createWeightResult(compiled);
    const fast = scoreWeight(compiled, left, right, out);
    expect(fast).toBe(out);
    expect(fast.weight).toBeCloseTo(scorePair(compiled, left, right, 'x').weight, 12);
    expect([...fast.levels]).toEqual([2, 1, 0]);
  });

  it('adds the rule weight for equal identifiers and marks a deterministic match', () => {
    const a = rec(3, { name: 'acme', city: 'ulm', taxId: 'DE123' });
    const b = rec(4, { name: 'zenith', city: 'bonn', taxId: 'DE123' });
    const scored = scorePair(compiled, a, b, 'taxId');
    expect(scored.deterministic).toEqual({ rule: 'vat', outcome: 'match' });
    const row = scored.explanation.at(-1)!;
    expect(row).toMatchObject({ kind: 'rule', comparison: 'vat', weight: 25, leftValue: 'DE123' });
    const expected = log2(0.001 / 0.999) + log2(0.05 / 0.95) + log2(0.1 / 0.8) + 25;
    expect(scored.weight).toBeCloseTo(expected, 12);
    expect(scoreWeight(compiled, a, b).deterministicMatch).toBe(true);
  });

  it('marks conflicting identifiers as a hard negative', () => {
    const a = rec(5, { name: 'acme', city: 'ulm', taxId: 'DE123' });
    const b = rec(6, { name: 'acme', city: 'ulm', taxId: 'DE999' });
    const scored = scorePair(compiled, a, b, 'name');
    expect(scored.deterministic).toEqual({ rule: 'vat', outcome: 'hardNegative' });
    expect(scored.explanation.at(-1)).toMatchObject({ kind: 'rule', weight: -5 });
    const fast = scoreWeight(compiled, a, b);
    expect(fast.hardNegative).toBe(true);
    expect(fast.deterministicMatch).toBe(false);
    expect([...fast.rules]).toEqual([2]);
  });

  it('leaves rules out when an identifier is missing', () => {
    const a = rec(7, { name: 'acme', taxId: 'DE123' });
    const b = rec(8, { name: 'acme', taxId: null });
    const scored = scorePair(compiled, a, b, 'name');
    expect(scored.deterministic).toBeUndefined();
    expect(scored.explanation.every((r) => r.kind !== 'rule')).toBe(true);
  });
});
